# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""The SMO's charter: what kind of SMO it is, its vision and objectives, sponsor and funding, milestones, and
the IT and non-IT providers in its scope."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate
from frappe.utils import today


class SMOCharterError(frappe.ValidationError):
	pass


class SMOCharter(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from smo_extension.smo.doctype.smo_charter_milestone.smo_charter_milestone import SMOCharterMilestone
		from smo_extension.smo.doctype.smo_charter_objective.smo_charter_objective import SMOCharterObjective
		from smo_extension.smo.doctype.smo_charter_provider.smo_charter_provider import SMOCharterProvider

		annual_budget: DF.Currency
		approved_on: DF.Date | None
		budget_currency: DF.Link | None
		funding_model: DF.Literal["", "Central Budget", "Chargeback", "Showback", "Project Funded", "Mixed"]
		funding_notes: DF.SmallText | None
		milestones: DF.Table[SMOCharterMilestone]
		objectives: DF.Table[SMOCharterObjective]
		providers: DF.Table[SMOCharterProvider]
		smo_type: DF.Literal["Centre of Excellence", "Broader Practice"]
		sponsor: DF.Link | None
		sponsor_name: DF.Data | None
		vision: DF.SmallText | None

	# end: auto-generated types
	def validate(self):
		self.budget_currency = self.budget_currency or frappe.db.get_default("currency")
		self.validate_milestones()
		self.validate_unique("objectives", "objective", _("Objective"))
		self.validate_unique("milestones", "milestone", _("Milestone"))
		self.validate_unique("providers", "provider_name", _("Provider"))

	def validate_milestones(self):
		for row in self.milestones:
			if row.status == "Done":
				row.completed_on = row.completed_on or today()
				if getdate(row.completed_on) > getdate(today()):
					frappe.throw(
						_("Milestone {0} cannot be completed in the future ({1}).").format(
							frappe.bold(row.milestone), frappe.format(row.completed_on, "Date")
						),
						SMOCharterError,
					)
			elif row.completed_on:
				row.completed_on = None

	def validate_unique(self, table: str, field: str, label: str):
		seen = set()
		for row in self.get(table):
			key = (row.get(field) or "").strip().lower()
			if key in seen:
				frappe.throw(
					_("{0} {1} is listed twice.").format(label, frappe.bold(row.get(field))), SMOCharterError
				)
			seen.add(key)

	def overdue_milestones(self, on=None) -> list:
		"""Milestones past their due date and neither done nor cancelled."""
		on = getdate(on or today())
		return [
			row
			for row in self.milestones
			if row.status in ("Planned", "In Progress") and row.due_date and getdate(row.due_date) < on
		]
