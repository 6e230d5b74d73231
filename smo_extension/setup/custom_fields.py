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


def custom_field_names() -> dict[str, list[str]]:
	return {dt: [f["fieldname"] for f in fields] for dt, fields in get_custom_fields().items()}
