# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class SMOTicketEvent(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		event_time: DF.Datetime
		field: DF.Literal[
			"status_category", "priority", "team", "service", "customer", "first_response", "agent"
		]
		source: DF.Literal["Ticket Save", "Backfill", "Assignment"]
		ticket: DF.Link
		value: DF.Data | None
	# end: auto-generated types
	"""Append-only log of a ticket's tracked changes: the timeline clocks are replayed from."""

	def validate(self):
		if not self.is_new():
			frappe.throw(_("Ticket events are append-only."))


def on_doctype_update():
	frappe.db.add_index("SMO Ticket Event", ["ticket", "event_time"])
