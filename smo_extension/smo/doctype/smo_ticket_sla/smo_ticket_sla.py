# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class SMOTicketSLA(Document):
	"""One clock pair (response and resolution) per ticket and agreement. Written only by the SMO hooks and
	jobs, in bulk; never edited through the form."""

	def validate(self):
		frappe.throw(_("SMO Ticket SLA rows are computed from tickets and cannot be edited."))


def on_doctype_update():
	frappe.db.add_unique("SMO Ticket SLA", ["ticket", "agreement"], constraint_name="unique_ticket_agreement")
	frappe.db.add_index("SMO Ticket SLA", ["next_check_at"])
	frappe.db.add_index("SMO Ticket SLA", ["agreement", "is_running"])
	frappe.db.add_index("SMO Ticket SLA", ["service", "resolution_stopped_at"])
