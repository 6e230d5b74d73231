"""/sla-statements: a customer's own monthly SLA statements, for the contacts of an HD Customer (portal users).

The list comes from the same permission-checked code as the API (`api.statements`), so the page shows exactly
the statements a user may download; each link goes through `download_statement`."""

import frappe
from frappe import _

from smo_extension.api.statements import customers_of
from smo_extension.api.statements import download_url
from smo_extension.api.statements import reads_every_statement
from smo_extension.engine.statement import parse_month
from smo_extension.sla.statement import STATEMENT
from smo_extension.sla.statement import month_label

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in to see your SLA statements."), frappe.PermissionError)
	context.title = _("Your SLA statements")
	context.no_breadcrumbs = 1
	customers = customers_of()
	context.customers = customers
	context.staff = reads_every_statement()
	rows = frappe.get_all(
		STATEMENT,
		filters={"customer": ("in", customers or [""])},
		fields=["name", "customer", "month", "generated_on", "tickets", "breaches", "resolution_compliance"],
		order_by="month desc, customer asc",
	)
	for row in rows:
		row.month_label = month_label(parse_month(row.month))
		row.download_url = download_url(row.name)
	context.statements = rows
	return context
