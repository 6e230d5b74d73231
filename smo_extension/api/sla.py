"""Whitelisted, typed API of the SLA side."""

import frappe
from frappe import _

from smo_extension.api import ticket_name
from smo_extension.api import typed_whitelist
from smo_extension.permissions import may_analyse_service
from smo_extension.permissions import reads_all_clocks
from smo_extension.sla.ticket import HD_TICKET
from smo_extension.sla.ticket import ISSUE
from smo_extension.sla.ticket import PENDING_FLAG
from smo_extension.sla.ticket import check_source

CLOCK_FIELDS = "agreement agreement_type agreement_version hypercare_liaison service priority team response_state response_due response_elapsed_minutes response_paused_minutes response_target_minutes response_stopped_at resolution_state resolution_due resolution_elapsed_minutes resolution_paused_minutes resolution_target_minutes resolution_stopped_at".split()
# What the customer of the ticket sees: their SLA's state and due times, nothing internal.
CUSTOMER_FIELDS = (
	"agreement agreement_type response_state response_due resolution_state resolution_due".split()
)


def existing_ticket(ticket: str | int, doctype: str = HD_TICKET) -> str:
	name = ticket_name(ticket)
	if not name or not frappe.db.exists(doctype, name):
		message = _("Issue {0} does not exist.") if doctype == ISSUE else _("Ticket {0} does not exist.")
		frappe.throw(message.format(name), frappe.DoesNotExistError)
	return name


@typed_whitelist()
def get_ticket_clocks(ticket: str | int, doctype: str = HD_TICKET) -> list[dict]:
	"""The SMO clocks of one ticket (an HD Ticket, or an ERPNext Issue with `doctype` "Issue"). Whoever reads SMO
	Ticket SLA gets the clocks they may read there (the same rule as `/api/resource`: SMO staff every clock,
	agents those of tickets they may read); the ticket's portal customer gets its SLA clocks only (state and
	due), never an OLA or UC."""
	doctype = check_source(doctype)
	name = existing_ticket(ticket, doctype)
	if not reads_all_clocks():
		frappe.has_permission(doctype, "read", doc=name, throw=True)
	write_left_events(doctype, name)
	if frappe.has_permission("SMO Ticket SLA", "read"):
		return frappe.get_list(
			"SMO Ticket SLA",
			filters={"ticket_doctype": doctype, "ticket": name},
			fields=CLOCK_FIELDS,
			order_by="agreement_type asc, agreement asc",
		)
	return frappe.get_all(
		"SMO Ticket SLA",
		filters={"ticket_doctype": doctype, "ticket": name, "agreement_type": "SLA"},
		fields=CUSTOMER_FIELDS,
		order_by="agreement asc",
	)


def write_left_events(doctype: str, name: str) -> None:
	"""A ticket whose deferred saves left events (SMO Settings: Write Clocks After the Save) gets them written
	now, as the minute's job would: whoever opens its clocks sees those of its last save."""
	if frappe.get_meta(doctype).has_field(PENDING_FLAG) and frappe.db.get_value(doctype, name, PENDING_FLAG):
		from smo_extension.sla import jobs

		jobs.flush_chunk([name], doctype)


@typed_whitelist()
def what_if(agreement: str, from_date: str, to_date: str, metric: str = "Resolution") -> dict:
	"""Replay the period's tickets that `agreement` would judge, with the agreement as it stands now (a Draft, a
	changed Active one, a Draft copy with another calendar or targets), beside their live clocks: met, breached
	and compliance overall and per service, customer and priority, and the tickets whose outcome flips, with both
	due dates. Writes nothing. SMO Managers, SMO Analysts and the service's owner only. See
	`smo_extension.sla.whatif` for which tickets count on each side."""
	check_analysis(agreement)
	from smo_extension.sla import whatif

	return whatif.what_if(agreement.strip(), from_date, to_date, metric)


def check_analysis(agreement: str) -> str:
	"""The agreement's service, when the user may analyse it; a PermissionError for anyone outside the SMO,
	DoesNotExistError for an unknown agreement."""
	if not reads_all_clocks():
		frappe.throw(
			_("Only SMO Managers, SMO Analysts and service owners run what-if replays."),
			frappe.PermissionError,
		)
	name = (agreement or "").strip()
	service = frappe.db.get_value("SMO Service Level Agreement", name, "service") if name else None
	if not service:
		frappe.throw(_("Agreement {0} does not exist.").format(frappe.bold(name)), frappe.DoesNotExistError)
	if not may_analyse_service(service):
		frappe.throw(
			_(
				"Only SMO Managers, SMO Analysts and the owner of service {0} may analyse its agreements."
			).format(frappe.bold(service)),
			frappe.PermissionError,
		)
	return service


@typed_whitelist()
def get_time_ledger(ticket: str | int, doctype: str = HD_TICKET) -> list[dict]:
	"""The ticket's SLA resolution clock split into segments by team and assigned agent: `team`, `agent`,
	`from`, `to`, `business_seconds` (counted while Open) and `paused_seconds` (business time while Paused), as of
	the clock's last evaluation; the segments' business seconds add up to the clock's elapsed time. Whoever reads the ticket's clocks (SMO staff,
	agents of tickets they may read); never the portal customer, since it shows internal teams."""
	if not frappe.has_permission("SMO Ticket SLA", "read"):
		frappe.throw(_("Not permitted to read the time ledger of tickets."), frappe.PermissionError)
	doctype = check_source(doctype)
	name = existing_ticket(ticket, doctype)
	if not reads_all_clocks():
		frappe.has_permission(doctype, "read", doc=name, throw=True)
	from smo_extension.sla.ledger import ticket_ledger

	return ticket_ledger(name, doctype)
