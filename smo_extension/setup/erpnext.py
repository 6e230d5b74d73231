"""What the app sets up where ERPNext is installed beside it (see `erpnext_compat`): ERPNext's fields of the SMO,
the support role's read of Issue clocks, and HD Customers matched to ERPNext Customers by name.

Runs after the app's install and every migrate when ERPNext is there, and when ERPNext is installed after the
app (`after_app_install`); before ERPNext is uninstalled its fields go (`before_app_uninstall`), so nothing of
the app links to a doctype that is gone. Nothing here writes to an ERPNext record but the HD Customer's link."""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from smo_extension import erpnext_compat
from smo_extension.permissions import ERPNEXT_SUPPORT
from smo_extension.setup.custom_fields import custom_field_names
from smo_extension.setup.custom_fields import get_erpnext_custom_fields

# ERPNext's support role reads clocks (those of the Issues it may read: permissions.ticket_sla_query).
READ_DOCTYPES = ("SMO Ticket SLA", "SMO Service", "SMO Service Level Agreement")


def setup() -> dict | None:
	"""Idempotent. Returns the customer match (linked / unmatched) or None without ERPNext."""
	frappe.local.smo_erpnext = None  # installed() asks again: ERPNext may have just been installed
	if not erpnext_compat.installed():
		return None
	create_custom_fields(get_erpnext_custom_fields(), ignore_validate=True)
	grant_support_team()
	match = erpnext_compat.match_customers()
	if match["unmatched"]:
		frappe.logger("smo_extension").info(
			"HD Customers without an ERPNext Customer of the same name: %s", ", ".join(match["unmatched"])
		)
	return match


def grant_support_team() -> None:
	from frappe.permissions import add_permission

	if not frappe.db.exists("Role", ERPNEXT_SUPPORT):
		return
	for doctype in READ_DOCTYPES:
		if not frappe.db.exists(
			"Custom DocPerm", {"parent": doctype, "role": ERPNEXT_SUPPORT, "permlevel": 0}
		) and not frappe.db.exists("DocPerm", {"parent": doctype, "role": ERPNEXT_SUPPORT}):
			add_permission(doctype, ERPNEXT_SUPPORT, 0)


def remove() -> None:
	"""ERPNext's fields of the SMO, removed (their columns and values stay, as for every custom field of the
	app, so a reinstall finds them again)."""
	for doctype, fieldnames in custom_field_names(erpnext=True).items():
		if not frappe.db.exists("DocType", doctype):
			continue
		for name in frappe.get_all(
			"Custom Field", filters={"dt": doctype, "fieldname": ("in", fieldnames)}, pluck="name"
		):
			frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
		frappe.clear_cache(doctype=doctype)
	frappe.local.smo_erpnext = None


def after_app_install(app_name: str) -> None:
	if app_name == erpnext_compat.APP:
		setup()


def before_app_uninstall(app_name: str) -> None:
	if app_name == erpnext_compat.APP:
		remove()
