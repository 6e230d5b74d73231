"""The customer's monthly SLA statements: generate (SMO Manager), list and download (the customer's own
contacts, SMO Managers and Analysts).

A portal customer reads no SMO doctype: they get their statements through `get_my_statements` and
`download_statement`, which find the user's HD Customer by Helpdesk's own rule (`helpdesk_compat.contact_customers`) and answer another
customer's statement with a permission error (PERSONAS.md: a portal customer sees their SLA only).
"""

from __future__ import annotations

import frappe
from frappe import _

from smo_extension import helpdesk_compat
from smo_extension.api import typed_whitelist
from smo_extension.permissions import SMO_ANALYST
from smo_extension.permissions import SMO_MANAGER
from smo_extension.permissions import is_smo_manager
from smo_extension.permissions import roles_of
from smo_extension.sla import statement as statements

# What a site with Helpdesk's `block_endpoints` must allow for the portal's statements (docs/ADMIN.md): the value of
# `allowed_custom_endpoints`, matched by Helpdesk as a part of the request path.
PORTAL_ENDPOINTS = ["/api/method/smo_extension.api.statements."]
LIST_FIELDS = ["name", "customer", "month", "status", "generated_on", "sent_on"]


def customers_of(user: str | None = None) -> list[str]:
	"""The HD Customers the user is a contact of (Helpdesk's own rule, in the release's model)."""
	return helpdesk_compat.contact_customers(user or frappe.session.user)


def reads_every_statement(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or bool(roles_of(user) & {SMO_MANAGER, SMO_ANALYST})


@typed_whitelist()
def generate_statement(customer: str, month: str) -> str:
	"""Generate (or regenerate) `customer`'s statement of `month` (YYYY-MM); its PDF is attached as a File.
	Returns the statement's name. SMO Manager only."""
	if not is_smo_manager():
		frappe.throw(_("Only an SMO Manager can generate SLA statements."), frappe.PermissionError)
	customer = customer.strip()
	month = month.strip()
	return statements.generate(customer, month).name


@typed_whitelist()
def get_my_statements() -> list[dict]:
	"""The statements of the customers the signed-in user is a contact of, newest month first."""
	customers = customers_of()
	if not customers:
		frappe.throw(_("Only a customer's contacts have SLA statements here."), frappe.PermissionError)
	rows = frappe.get_all(
		statements.STATEMENT,
		filters={"customer": ("in", customers)},
		fields=LIST_FIELDS,
		order_by="month desc, customer asc",
	)
	for row in rows:
		row["download_url"] = download_url(row.name)
	return rows


def download_url(name: str) -> str:
	from urllib.parse import urlencode

	return "/api/method/smo_extension.api.statements.download_statement?" + urlencode({"statement": name})


@typed_whitelist()
def download_statement(statement: str) -> None:
	"""The statement's PDF as a download: for the customer's own contacts, SMO Managers and Analysts."""
	name = statement.strip()
	if not name or not frappe.db.exists(statements.STATEMENT, name):
		frappe.throw(
			_("SLA statement {0} does not exist.").format(frappe.bold(name)), frappe.DoesNotExistError
		)
	doc = frappe.get_doc(statements.STATEMENT, name)
	if not reads_every_statement() and doc.customer not in customers_of():
		frappe.throw(_("You may download only your own SLA statements."), frappe.PermissionError)
	file = statements.statement_file(doc)
	if not file:
		frappe.throw(
			_("SLA statement {0} has no PDF yet.").format(frappe.bold(name)), frappe.DoesNotExistError
		)
	frappe.local.response.filename = statements.file_name(doc)
	frappe.local.response.filecontent = frappe.get_doc("File", file).get_content()
	frappe.local.response.type = "download"
