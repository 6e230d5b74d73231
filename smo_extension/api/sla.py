"""Whitelisted, typed API of the SLA side."""

import frappe
from frappe import _

from smo_extension.api import ticket_name, typed_whitelist
from smo_extension.permissions import reads_all_clocks

CLOCK_FIELDS = [
	"agreement",
	"agreement_type",
	"agreement_version",
	"hypercare_liaison",
	"service",
	"priority",
	"team",
	"response_state",
	"response_due",
	"response_elapsed_minutes",
	"response_target_minutes",
	"response_stopped_at",
	"resolution_state",
	"resolution_due",
	"resolution_elapsed_minutes",
	"resolution_target_minutes",
	"resolution_stopped_at",
]
# What the customer of the ticket sees: their SLA's state and due times, nothing internal.
CUSTOMER_FIELDS = [
	"agreement",
	"agreement_type",
	"response_state",
	"response_due",
	"resolution_state",
	"resolution_due",
]


def existing_ticket(ticket: str | int) -> str:
	name = ticket_name(ticket)
	if not name or not frappe.db.exists("HD Ticket", name):
		frappe.throw(_("Ticket {0} does not exist.").format(name), frappe.DoesNotExistError)
	return name


@typed_whitelist()
def get_ticket_clocks(ticket: str | int) -> list[dict]:
	"""The SMO clocks of one ticket. Whoever reads SMO Ticket SLA gets the clocks they may read there (the same
	rule as `/api/resource`: SMO staff every clock, agents those of tickets they may read); the ticket's portal
	customer gets its SLA clocks only (state and due), never an OLA or UC."""
	name = existing_ticket(ticket)
	if not reads_all_clocks():
		frappe.has_permission("HD Ticket", "read", doc=name, throw=True)
	if frappe.has_permission("SMO Ticket SLA", "read"):
		return frappe.get_list(
			"SMO Ticket SLA",
			filters={"ticket": name},
			fields=CLOCK_FIELDS,
			order_by="agreement_type asc, agreement asc",
		)
	return frappe.get_all(
		"SMO Ticket SLA",
		filters={"ticket": name, "agreement_type": "SLA"},
		fields=CUSTOMER_FIELDS,
		order_by="agreement asc",
	)
