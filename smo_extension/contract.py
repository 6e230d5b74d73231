"""The permission contract of `docs/PERSONAS.md` as data: what each persona may do with each SMO doctype, each
whitelisted method and each report. The site tests walk it over HTTP as each persona; a persona, doctype,
method or report missing here fails the suite. Plain values only (no `frappe` import): tier 1 reads it too.
"""

from __future__ import annotations

# The personas of PERSONAS.md's table, in its order.
MANAGER, ANALYST, OWNER, AGENT, ADMIN, PORTAL, GUEST = (
	"SMO Manager",
	"SMO Analyst",
	"Service Owner",
	"Helpdesk agent",
	"Helpdesk admin",
	"Portal customer",
	"Guest",
)
PERSONAS = (MANAGER, ANALYST, OWNER, AGENT, ADMIN, PORTAL, GUEST)

READ, WRITE, CREATE, DELETE = "read", "write", "create", "delete"
ACTIONS = (READ, WRITE, CREATE, DELETE)
# How far a right reaches: every record, only the records the persona owns (a Service Owner's services, the
# agreements of those services, their policies and improvements), only the clocks of tickets they may read.
ALL, OWN, TICKETS = "all", "own", "tickets"

# doctype -> persona -> action -> reach; a missing action means "not at all".
_READ = {READ: ALL}
_OWNED = {READ: ALL, WRITE: OWN, CREATE: OWN}
_FULL = {READ: ALL, WRITE: ALL, CREATE: ALL, DELETE: ALL}
_SINGLE_FULL = {READ: ALL, WRITE: ALL}
DOCTYPES: dict[str, dict[str, dict[str, str]]] = {
	"SMO Service": {MANAGER: _FULL, ANALYST: _READ, OWNER: _OWNED, AGENT: _READ, ADMIN: _READ},
	"SMO Service Level Agreement": {
		MANAGER: _FULL,
		ANALYST: _READ,
		OWNER: _OWNED,
		AGENT: _READ,
		ADMIN: _READ,
	},
	"SMO Business Calendar": {MANAGER: _FULL, ANALYST: _READ, OWNER: _READ, AGENT: _READ, ADMIN: _READ},
	"SMO Service Mapping Rule": {MANAGER: _FULL, ANALYST: _READ, OWNER: _READ},
	"SMO Ticket SLA": {
		MANAGER: _READ,
		ANALYST: _READ,
		OWNER: _READ,
		AGENT: {READ: TICKETS},
		ADMIN: {READ: TICKETS},
	},
	"SMO Ticket Event": {MANAGER: _READ, ANALYST: _READ},
	"SMO Policy": {MANAGER: _FULL, ANALYST: _READ, OWNER: _OWNED},
	"SMO Framework Practice": {MANAGER: _FULL, ANALYST: _READ, OWNER: _READ},
	"SMO Improvement": {MANAGER: _FULL, ANALYST: _READ, OWNER: _OWNED},
	"SMO PMO Liaison": {MANAGER: _FULL, ANALYST: _READ, OWNER: _READ},
	"SMO Settings": {MANAGER: _SINGLE_FULL, ANALYST: _READ},
	"SMO Charter": {MANAGER: _SINGLE_FULL, ANALYST: _READ, OWNER: _READ},
	# written by the system (generate_statement, the monthly job); a manager may delete one, nobody edits it.
	# Portal customers read their own through the statements API, never through the doctype.
	"SMO SLA Statement": {MANAGER: {READ: ALL, DELETE: ALL}, ANALYST: _READ},
	"SMO Budget Alert": {MANAGER: _READ, ANALYST: _READ, OWNER: _READ},
	"SMO KPI Definition": {MANAGER: _FULL, ANALYST: _READ, OWNER: _READ},
	# what Helpdesk's own SLA said on a ticket before the switch-over: recorded by the import only
	"SMO Helpdesk Verdict": {MANAGER: _READ, ANALYST: _READ},
	# The analyst records measurements (by hand or with `measure`); nothing else of the SMO.
	"SMO KPI Measurement": {
		MANAGER: _FULL,
		ANALYST: {READ: ALL, WRITE: ALL, CREATE: ALL},
		OWNER: _READ,
	},
}
SINGLES = ("SMO Settings", "SMO Charter")
# Written by the system only: nobody creates, edits or deletes them by hand (Repair Clocks is the audited way).
SYSTEM_WRITTEN = ("SMO Ticket SLA", "SMO Ticket Event", "SMO Budget Alert", "SMO Helpdesk Verdict")

# Whitelisted functions and controller methods -> personas that get an answer (everyone else: an error).
# Reach OWN: only on what the persona owns (for a portal customer: their own customer's records); TICKETS:
# only for tickets the persona may read.
_ALL_STAFF = {MANAGER: ALL, ANALYST: ALL, OWNER: ALL}
METHODS: dict[str, dict[str, str]] = {
	"smo_extension.api.sla.get_ticket_clocks": {
		**_ALL_STAFF,
		AGENT: TICKETS,
		ADMIN: TICKETS,
		PORTAL: TICKETS,
	},
	# what-if replay: SMO Managers and Analysts, Service Owners for the agreements of their own services
	"smo_extension.api.sla.what_if": {MANAGER: ALL, ANALYST: ALL, OWNER: OWN},
	# time ledger: whoever reads the ticket's clocks, never the portal customer (it shows internal teams)
	"smo_extension.api.sla.get_time_ledger": {**_ALL_STAFF, AGENT: TICKETS, ADMIN: TICKETS},
	# Helpdesk's ticket list API with the SMO column (override of helpdesk.api.doc.get_list_data): whoever may
	# list tickets gets the rows Helpdesk gives them (a customer their own, staff without a Helpdesk role none).
	"smo_extension.api.helpdesk.get_list_data": {
		MANAGER: TICKETS,
		ANALYST: TICKETS,
		OWNER: TICKETS,
		AGENT: TICKETS,
		ADMIN: TICKETS,
		PORTAL: TICKETS,
	},
	# Helpdesk's quick filters of its lists (override of helpdesk.api.doc.get_quick_filters): field metadata
	# for anyone signed in, as Helpdesk's own; the portal's without the SMO fields hidden from customers
	"smo_extension.api.helpdesk.get_quick_filters": {
		MANAGER: ALL,
		ANALYST: ALL,
		OWNER: ALL,
		AGENT: ALL,
		ADMIN: ALL,
		PORTAL: ALL,
	},
	# the workspace's number card and donut: the SLA Breaches report's readers; the clocks their SMO Ticket SLA
	# rights reach
	"smo_extension.api.workspace.sla_breaches_this_month": _ALL_STAFF,
	"smo_extension.smo.dashboard_chart_source.smo_clock_states.smo_clock_states.get": {
		**_ALL_STAFF,
		AGENT: TICKETS,
		ADMIN: TICKETS,
	},
	"smo_extension.api.catalog.get_service_catalog": {**_ALL_STAFF, AGENT: ALL, ADMIN: ALL},
	"smo_extension.api.catalog.get_service": {**_ALL_STAFF, AGENT: ALL, ADMIN: ALL},
	"smo_extension.api.catalog.search_customers": {**_ALL_STAFF, AGENT: ALL, ADMIN: ALL},
	"smo_extension.api.governance.get_policies_due_for_review": _ALL_STAFF,
	"smo_extension.api.governance.get_service_liaisons": _ALL_STAFF,
	"smo_extension.api.governance.get_improvements": _ALL_STAFF,
	"smo_extension.api.governance.get_charter": _ALL_STAFF,
	"smo_extension.smo.doctype.smo_business_calendar.smo_business_calendar.get_timezones": {
		**_ALL_STAFF,
		AGENT: ALL,
		ADMIN: ALL,
	},
	"smo_extension.api.kpi.measure": {MANAGER: ALL, ANALYST: ALL},
	"smo_extension.api.kpi.get_scorecard": _ALL_STAFF,
	"smo_extension.api.kpi.get_metrics": _ALL_STAFF,
	"smo_extension.api.kpi.red_kpi_count": _ALL_STAFF,
	"smo_extension.api.kpi.services_below_target_count": _ALL_STAFF,
	# controller methods (run_doc_method): doctype.method
	"SMO Service Level Agreement.repair_clocks": {MANAGER: ALL},
	"SMO Policy.mark_reviewed": {MANAGER: ALL, OWNER: OWN},
	"SMO Policy.make_new_version": {MANAGER: ALL, OWNER: OWN},
	"SMO PMO Liaison.sync_now": {MANAGER: ALL},
	# the customer's monthly SLA statement: OWN = the statements of the portal user's own HD Customer
	"smo_extension.api.statements.generate_statement": {MANAGER: ALL},
	"smo_extension.api.statements.get_my_statements": {PORTAL: OWN},
	"smo_extension.api.statements.download_statement": {MANAGER: ALL, ANALYST: ALL, PORTAL: OWN},
	"SMO SLA Statement.send_to_contacts": {MANAGER: ALL},
	# from Helpdesk's own SLAs to the SMO
	"smo_extension.api.adopt.preview_helpdesk_import": {MANAGER: ALL},
	"smo_extension.api.adopt.import_helpdesk_slas": {MANAGER: ALL},
	"smo_extension.api.adopt.switch_to_smo": {MANAGER: ALL},
}

# Reports -> the roles listed on them; every filter and grouping opens for each.
REPORTS: dict[str, tuple[str, ...]] = {
	"SLA Compliance": (MANAGER, ANALYST, OWNER),
	"SLA Breaches": (MANAGER, ANALYST, OWNER),
	"Policy Review Status": (MANAGER, ANALYST, OWNER),
	"Improvement Register": (MANAGER, ANALYST, OWNER),
	"SLA What-If": (MANAGER, ANALYST, OWNER),
	"SLA Time by Team": (MANAGER, ANALYST, OWNER),
	"Error Budget": (MANAGER, ANALYST, OWNER),
	"KPI Scorecard": (MANAGER, ANALYST, OWNER),
	"Service Review": (MANAGER, ANALYST, OWNER),
}


def allowed(doctype: str, persona: str, action: str) -> str | None:
	"""The reach of `persona`'s `action` on `doctype`, or None when it is not allowed at all."""
	return DOCTYPES[doctype].get(persona, {}).get(action)


def persona_names_in(markdown: str) -> list[str]:
	"""The first column of the table under PERSONAS.md's heading, in order."""
	names, in_table = [], False
	for line in markdown.splitlines():
		cells = (
			[c.strip() for c in line.strip().strip("|").split("|")] if line.strip().startswith("|") else []
		)
		if not cells:
			if in_table:
				break
			continue
		if cells[0] == "Persona":
			in_table = True
			continue
		if in_table and not set(cells[0]) <= set("-: "):
			names.append(cells[0])
	return names
