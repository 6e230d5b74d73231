# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class SMOTicketSLA(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		agreement: DF.Link
		agreement_type: DF.Literal["SLA", "OLA", "UC"]
		agreement_version: DF.Int
		customer: DF.Link | None
		evaluated_at: DF.Datetime | None
		is_running: DF.Check
		next_check_at: DF.Datetime | None
		opened_at: DF.Datetime | None
		priority: DF.Link | None
		resolution_breached_at: DF.Datetime | None
		resolution_due: DF.Datetime | None
		resolution_elapsed_minutes: DF.Float
		resolution_notified_state: DF.Data | None
		resolution_paused_minutes: DF.Float
		resolution_state: DF.Literal["", "Running", "At Risk", "Paused", "Met", "Breached"]
		resolution_stopped_at: DF.Datetime | None
		resolution_target_minutes: DF.Int
		response_breached_at: DF.Datetime | None
		response_due: DF.Datetime | None
		response_elapsed_minutes: DF.Float
		response_notified_state: DF.Data | None
		response_paused_minutes: DF.Float
		response_state: DF.Literal["", "Running", "At Risk", "Paused", "Met", "Breached"]
		response_stopped_at: DF.Datetime | None
		response_target_minutes: DF.Int
		service: DF.Link | None
		team: DF.Link | None
		ticket: DF.Link
	# end: auto-generated types
	"""One clock pair (response and resolution) per ticket and agreement. Written only by the SMO hooks and
	jobs, in bulk; never edited through the form."""

	def validate(self):
		frappe.throw(_("SMO Ticket SLA rows are computed from tickets and cannot be edited."))


def on_doctype_update():
	# one row per document (its source doctype and name) and agreement; the key before sources were added was
	# (ticket, agreement)
	if frappe.db.has_index("tabSMO Ticket SLA", "unique_ticket_agreement"):
		frappe.db.sql_ddl("alter table `tabSMO Ticket SLA` drop index `unique_ticket_agreement`")
	frappe.db.add_unique(
		"SMO Ticket SLA",
		["ticket_doctype", "ticket", "agreement"],
		constraint_name="unique_source_ticket_agreement",
	)
	frappe.db.add_index("SMO Ticket SLA", ["next_check_at"])
	frappe.db.add_index("SMO Ticket SLA", ["agreement", "is_running"])
	# Covering indexes for the SLA Compliance report (by service and agreement, one per metric): the report
	# reads the index alone instead of the whole table.
	for metric in ("response", "resolution"):
		frappe.db.add_index(
			"SMO Ticket SLA",
			[
				"agreement_type",
				"service",
				"agreement",
				f"{metric}_state",
				f"{metric}_stopped_at",
				f"{metric}_breached_at",
				"opened_at",
			],
			index_name=f"smo_{metric}_compliance",
		)
