"""The fields smo_extension puts on other apps' doctypes, in one place for install and uninstall."""

from smo_extension.sla.states import SLA_STATES

SECTION_LABEL = "Service level (SMO)"


def get_custom_fields() -> dict[str, list[dict]]:
	"""Custom fields keyed by doctype, in the shape `create_custom_fields` takes. Labels are translated where
	they are shown, as for every DocField."""
	return {
		"HD Ticket": [
			{
				"fieldname": "smo_section",
				"fieldtype": "Section Break",
				"label": SECTION_LABEL,
				"insert_after": "summary",
				"collapsible": 1,
				# open whenever the ticket has an SMO state to show
				"collapsible_depends_on": "eval:doc.smo_sla_state",
			},
			{
				"fieldname": "smo_sla_badge",
				"fieldtype": "HTML",
				"label": "SLA Badge",
				"insert_after": "smo_section",
			},
			{
				"fieldname": "smo_service",
				"fieldtype": "Link",
				"options": "SMO Service",
				"label": "SMO Service",
				"insert_after": "smo_sla_badge",
				"in_standard_filter": 1,
				"search_index": 1,
				"description": "Set it to choose the service; left empty, the SMO mapping rules choose one.",
			},
			{
				"fieldname": "smo_sla_state",
				"fieldtype": "Select",
				"label": "SLA State",
				"options": "\n" + "\n".join(SLA_STATES),
				"insert_after": "smo_service",
				"read_only": 1,
				# Helpdesk's ticket forms show the Default template's fields: a new ticket has no state (nothing
				# to ask for), and its agent sidebar knows a field is read-only only from read_only_depends_on
				"depends_on": "eval:doc.smo_sla_state",
				"read_only_depends_on": "eval:1",
				"in_standard_filter": 1,
				"in_list_view": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "smo_sla_note",
				"fieldtype": "Data",
				"label": "SLA Note",
				"insert_after": "smo_sla_state",
				"read_only": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "smo_column_break",
				"fieldtype": "Column Break",
				"insert_after": "smo_sla_note",
			},
			{
				"fieldname": "smo_response_due",
				"fieldtype": "Datetime",
				"label": "Response Due",
				"insert_after": "smo_column_break",
				"read_only": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "smo_resolution_due",
				"fieldtype": "Datetime",
				"label": "Resolution Due",
				"insert_after": "smo_response_due",
				"read_only": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "smo_service_by_rule",
				"fieldtype": "Check",
				"label": "SMO Service Chosen by Rule",
				"insert_after": "smo_resolution_due",
				"hidden": 1,
				"read_only": 1,
				"no_copy": 1,
			},
			{
				# the version of the ticket's SMO event log that the save left kept (sla/ticket.py, "the log cache")
				"fieldname": "smo_log_version",
				"fieldtype": "Data",
				"label": "SMO Log Version",
				"insert_after": "smo_service_by_rule",
				"hidden": 1,
				"read_only": 1,
				"no_copy": 1,
			},
			{
				# clock events a deferred save left for the minute's job (SMO Settings: Write Clocks After the Save)
				"fieldname": "smo_pending_events",
				"fieldtype": "Long Text",
				"label": "SMO Pending Events",
				"insert_after": "smo_log_version",
				"hidden": 1,
				"read_only": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "smo_events_pending",
				"fieldtype": "Check",
				"label": "SMO Events Pending",
				"insert_after": "smo_pending_events",
				"hidden": 1,
				"read_only": 1,
				"no_copy": 1,
				"search_index": 1,
			},
		],
		"HD Customer": [
			{
				"fieldname": "smo_monthly_statement",
				"fieldtype": "Check",
				"label": "Monthly SLA Statement",
				"insert_after": "domain",
				"default": "0",
				"description": "On the first working day of each month the SMO e-mails last month's SLA statement "
				"(PDF) to this customer's contacts and keeps it attached here.",
			},
		],
	}


def get_erpnext_custom_fields() -> dict[str, list[dict]]:
	"""The fields that exist only where ERPNext is installed: the SMO section on Issue (the same fields as on HD
	Ticket), the ERPNext Customer of an HD Customer, the Contract and Supplier an agreement rests on, and the
	Issue conditions of a mapping rule. Made when ERPNext is installed (before or after the app), removed
	before ERPNext is uninstalled."""
	issue = [dict(f) for f in get_custom_fields()["HD Ticket"]]
	issue[0] = {**issue[0], "insert_after": "agreement_status"}
	for f in issue:
		if f["fieldname"] == "smo_service":
			f["description"] = "Set it to choose the service; left empty, the SMO mapping rules choose one."
	return {
		"Issue": issue,
		"HD Customer": [
			{
				"fieldname": "smo_erpnext_customer",
				"fieldtype": "Link",
				"options": "Customer",
				"label": "ERPNext Customer",
				"insert_after": "smo_monthly_statement",
				"description": "The SMO treats this HD Customer and the ERPNext Customer as one customer: its "
				"agreements, reports and statements count both its tickets and its Issues.",
			},
		],
		"SMO Service Level Agreement": [
			{
				"fieldname": "smo_contract",
				"fieldtype": "Link",
				"options": "Contract",
				"label": "ERPNext Contract",
				"insert_after": "supplier",
				"depends_on": "eval:doc.agreement_type != 'OLA'",
				"description": "The Contract this agreement implements: with the customer for an SLA, with the "
				"supplier for a UC. The agreement must lie within the contract's dates.",
			},
			{
				"fieldname": "smo_supplier",
				"fieldtype": "Link",
				"options": "Supplier",
				"label": "ERPNext Supplier",
				"insert_after": "smo_contract",
				"depends_on": "eval:doc.agreement_type == 'UC'",
			},
		],
		"SMO Service Mapping Rule": [
			{
				"fieldname": "issue_type",
				"fieldtype": "Link",
				"options": "Issue Type",
				"label": "Issue Type",
				"insert_after": "customer",
				"description": "ERPNext Issues of this type (a rule on issue type or project maps Issues only).",
			},
			{
				"fieldname": "project",
				"fieldtype": "Link",
				"options": "Project",
				"label": "Project",
				"insert_after": "issue_type",
			},
		],
	}


def custom_field_names(erpnext: bool = False) -> dict[str, list[str]]:
	fields = get_erpnext_custom_fields() if erpnext else get_custom_fields()
	return {dt: [f["fieldname"] for f in fields] for dt, fields in fields.items()}
