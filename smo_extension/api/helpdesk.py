"""Helpdesk's agent ticket list with the SMO's SLA state as a column.

Helpdesk 1.15.1 builds the columns of its ticket list in code (`HDTicket.default_list_data`, read by
`helpdesk.api.doc.get_list_data`), not from a setting; an agent's own saved view (HD View) replaces them. So the
list API is wrapped (`override_whitelisted_methods` in hooks.py): Helpdesk answers as always, and when the answer
carries Helpdesk's default agent columns the SMO column is added after Resolution, with its values read for the
rows of the page. A view an agent saved keeps their own columns (the SMO column is offered among the fields); the
customer portal is left as Helpdesk makes it. Uninstalling the app removes the hook, and with it the column.

The quick filters above Helpdesk's ticket lists (`helpdesk.api.doc.get_quick_filters`) offer every field marked
as a standard filter; Helpdesk hides only `customer` from the portal. The portal's ticket list would so offer the
internal catalog (SMO Service), and its link search answer the customer "no permission": the SMO fields the
ticket template hides from customers are dropped from the portal's quick filters.
"""

from __future__ import annotations

import frappe
from frappe import _

from smo_extension import helpdesk_compat
from smo_extension.api import typed_whitelist
from smo_extension.settings import is_enabled

SMO_COLUMN_KEY = "smo_sla_state"
AFTER_KEY = "resolution_by"


def smo_column() -> dict:
	return {"label": _("SLA (SMO)"), "type": "Select", "key": SMO_COLUMN_KEY, "width": "9rem"}


@typed_whitelist()
def get_list_data(
	doctype: str,
	filters: dict | list | str | None = None,
	default_filters: dict | list | str | None = None,
	order_by: str = "modified desc",
	page_length: int = 20,
	columns: list | str | None = None,
	rows: list | str | None = None,
	show_customer_portal_fields: bool = False,
	view: dict | None = None,
	is_default: bool = False,
) -> dict:
	"""`helpdesk.api.doc.get_list_data`, plus the SMO column on Helpdesk's default agent ticket list."""
	result = helpdesk_compat.get_list_data(
		doctype=doctype,
		filters=filters,
		default_filters=default_filters,
		order_by=order_by,
		page_length=page_length,
		columns=columns,
		rows=rows,
		show_customer_portal_fields=show_customer_portal_fields,
		view=view,
		is_default=is_default,
	)
	if doctype == "HD Ticket" and not show_customer_portal_fields and is_enabled():
		add_smo_column(result)
	return result


def add_smo_column(result: dict) -> None:
	columns = result.get("columns") or []
	if [c.get("key") for c in columns] != helpdesk_compat.default_agent_columns():
		return  # an agent's own view: their columns
	keys = [c.get("key") for c in columns]
	at = keys.index(AFTER_KEY) + 1 if AFTER_KEY in keys else len(columns)
	columns.insert(at, smo_column())
	if SMO_COLUMN_KEY not in result.get("rows", []):
		result.setdefault("rows", []).append(SMO_COLUMN_KEY)
	data = result.get("data") or []
	names = [row.get("name") for row in data if row.get("name") is not None]
	if not names:
		return
	states = dict(
		frappe.get_all(
			"HD Ticket", filters={"name": ("in", names)}, fields=["name", SMO_COLUMN_KEY], as_list=True
		)
	)
	for row in data:
		row[SMO_COLUMN_KEY] = states.get(row.get("name"))


@typed_whitelist()
def get_quick_filters(doctype: str, show_customer_portal_fields: bool = False) -> list:
	"""`helpdesk.api.doc.get_quick_filters`, without the SMO fields hidden from customers on the portal."""
	filters = helpdesk_compat.get_quick_filters(doctype, show_customer_portal_fields)
	if doctype != "HD Ticket" or not show_customer_portal_fields:
		return filters
	from smo_extension.setup.helpdesk_ui import TEMPLATE_FIELDS

	hidden = {fieldname for fieldname, hide in TEMPLATE_FIELDS.items() if hide}
	return [f for f in filters if f.get("name") not in hidden]
