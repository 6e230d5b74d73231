# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class SMOTicketEvent(Document):
	"""Append-only log of a ticket's tracked changes: the timeline clocks are replayed from."""

	def validate(self):
		if not self.is_new():
			frappe.throw(_("Ticket events are append-only."))


def on_doctype_update():
	frappe.db.add_index("SMO Ticket Event", ["ticket", "event_time"])
