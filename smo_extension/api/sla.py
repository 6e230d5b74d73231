"""Whitelisted, typed API of the SLA side."""

import frappe

CLOCK_FIELDS = [
	"agreement",
	"agreement_type",
	"agreement_version",
	"service",
	"priority",
	"team",
	"response_state",
	"response_due",
	"response_elapsed_minutes",
	"response_target_minutes",
	"resolution_state",
	"resolution_due",
	"resolution_elapsed_minutes",
	"resolution_target_minutes",
	"resolution_stopped_at",
]


@frappe.whitelist()
def get_ticket_clocks(ticket: str) -> list[dict]:
	"""The SMO clocks of one ticket, for whoever may read that ticket (agents in the Helpdesk UI)."""
	frappe.has_permission("HD Ticket", "read", doc=ticket, throw=True)
	return frappe.get_all(
		"SMO Ticket SLA",
		filters={"ticket": ticket},
		fields=CLOCK_FIELDS,
		order_by="agreement_type asc, agreement asc",
	)
