"""What the app adds to the Helpdesk agent UI (Helpdesk 1.15): its fields in the ticket sidebar through the
Default ticket template, and an HD Form Script that puts a coloured SLA button in the ticket header."""

import os

import frappe

TEMPLATE = "Default"
TEMPLATE_FIELDS = ("smo_service", "smo_sla_state", "smo_response_due", "smo_resolution_due")
FORM_SCRIPT = "SMO SLA Status"


def form_script_source() -> str:
	with open(os.path.join(os.path.dirname(__file__), "assets", "hd_ticket_form_script.js")) as f:
		return f.read()


def add_to_agent_ui() -> None:
	if frappe.db.exists("HD Ticket Template", TEMPLATE):
		template = frappe.get_doc("HD Ticket Template", TEMPLATE)
		present = {row.fieldname for row in template.fields}
		missing = [f for f in TEMPLATE_FIELDS if f not in present]
		for fieldname in missing:
			template.append("fields", {"fieldname": fieldname, "required": 0, "hide_from_customer": 1})
		if missing:
			template.flags.ignore_permissions = True
			template.save()
	if frappe.db.exists("DocType", "HD Form Script"):
		values = {"dt": "HD Ticket", "apply_to": "Form", "enabled": 1, "script": form_script_source()}
		if frappe.db.exists("HD Form Script", FORM_SCRIPT):
			frappe.db.set_value("HD Form Script", FORM_SCRIPT, values)
		else:
			frappe.get_doc({"doctype": "HD Form Script", "name": FORM_SCRIPT, **values}).insert(
				ignore_permissions=True, set_name=FORM_SCRIPT
			)


def remove_from_agent_ui() -> None:
	if frappe.db.exists("HD Ticket Template", TEMPLATE):
		template = frappe.get_doc("HD Ticket Template", TEMPLATE)
		kept = [row for row in template.fields if row.fieldname not in TEMPLATE_FIELDS]
		if len(kept) != len(template.fields):
			template.fields = kept
			template.flags.ignore_permissions = True
			template.save()
	if frappe.db.exists("HD Form Script", FORM_SCRIPT):
		frappe.delete_doc("HD Form Script", FORM_SCRIPT, ignore_permissions=True, force=True)
