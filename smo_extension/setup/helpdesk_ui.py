"""What the app adds to the Helpdesk agent UI (Helpdesk 1.15): its fields in the ticket sidebar through the
Default ticket template, and an HD Form Script that puts a coloured SLA button in the ticket header (its colours
rendered from the app's one colour map). The SMO column of the agent ticket list comes with the app's hooks
(api/helpdesk.py): there is nothing to install for it, and it goes with the app."""

import json
import os

import frappe

from smo_extension.sla.states import STATE_COLOURS

TEMPLATE = "Default"
# Fields in the ticket sidebar -> hidden from the customer? The customer sees their SLA's state (the headline is
# the SLA only), never the internal service.
TEMPLATE_FIELDS = {"smo_service": 1, "smo_sla_state": 0}
# Shown there by earlier releases: Helpdesk's own First Response / Resolution badges carry the SMO's due times
# now (SMO Settings "Show the SMO SLA in Helpdesk"), and the SLA button shows every clock.
RETIRED_TEMPLATE_FIELDS = ("smo_response_due", "smo_resolution_due")
FORM_SCRIPT = "SMO SLA Status"
COLOURS_PLACEHOLDER = "__SMO_STATE_COLOURS__"


def form_script_source() -> str:
	with open(os.path.join(os.path.dirname(__file__), "assets", "hd_ticket_form_script.js")) as f:
		source = f.read()
	return source.replace(COLOURS_PLACEHOLDER, json.dumps(STATE_COLOURS, ensure_ascii=False, sort_keys=True))


def add_to_agent_ui() -> None:
	if frappe.db.exists("HD Ticket Template", TEMPLATE):
		template = frappe.get_doc("HD Ticket Template", TEMPLATE)
		changed = False
		kept = [row for row in template.fields if row.fieldname not in RETIRED_TEMPLATE_FIELDS]
		if len(kept) != len(template.fields):
			template.fields = kept
			changed = True
		rows = {row.fieldname: row for row in template.fields}
		for fieldname, hidden in TEMPLATE_FIELDS.items():
			if fieldname not in rows:
				template.append(
					"fields", {"fieldname": fieldname, "required": 0, "hide_from_customer": hidden}
				)
				changed = True
			elif int(rows[fieldname].hide_from_customer or 0) != hidden:
				rows[fieldname].hide_from_customer = hidden
				changed = True
		if changed:
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
		ours = {*TEMPLATE_FIELDS, *RETIRED_TEMPLATE_FIELDS}
		kept = [row for row in template.fields if row.fieldname not in ours]
		if len(kept) != len(template.fields):
			template.fields = kept
			template.flags.ignore_permissions = True
			template.save()
	if frappe.db.exists("HD Form Script", FORM_SCRIPT):
		frappe.delete_doc("HD Form Script", FORM_SCRIPT, ignore_permissions=True, force=True)
