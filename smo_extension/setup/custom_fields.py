"""The fields smo_extension puts on other apps' doctypes, in one place for install and uninstall."""

from frappe import _

SECTION_LABEL = "Service level (SMO)"


def get_custom_fields() -> dict[str, list[dict]]:
	"""Custom fields keyed by doctype, in the shape `create_custom_fields` takes."""
	return {
		"HD Ticket": [
			{
				"fieldname": "smo_section",
				"fieldtype": "Section Break",
				"label": _(SECTION_LABEL),
				"insert_after": "customer",
				"collapsible": 1,
			},
			{
				"fieldname": "smo_sla_state",
				"fieldtype": "Select",
				"label": _("SMO SLA State"),
				"options": "\nNo SMO clock\nRunning\nAt Risk\nPaused\nMet\nBreached",
				"insert_after": "smo_section",
				"read_only": 1,
				"in_list_view": 0,
				"in_standard_filter": 1,
				"no_copy": 1,
			},
		],
	}


def custom_field_names() -> dict[str, list[str]]:
	return {dt: [f["fieldname"] for f in fields] for dt, fields in get_custom_fields().items()}
