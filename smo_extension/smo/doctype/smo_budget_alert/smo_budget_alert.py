# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class SMOBudgetAlertError(frappe.ValidationError):
	pass


class SMOBudgetAlert(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		agreement: DF.Link
		allowed_breaches: DF.Int
		breached: DF.Int
		causes: DF.SmallText | None
		period_end: DF.Date | None
		period_start: DF.Date
		projected_compliance: DF.Float
		recipients: DF.SmallText | None
		service: DF.Link
		target: DF.Percent
	# end: auto-generated types
	"""The record that an agreement's month was warned about (`smo_extension.sla.budget.notify_budget_risks`):
	what makes the warning go out once per agreement and month. Written by that job only."""

	def validate(self):
		if not self.flags.smo_system:
			frappe.throw(
				_("SMO Budget Alerts are written by the daily error budget check only."), SMOBudgetAlertError
			)


def on_doctype_update():
	frappe.db.add_unique(
		"SMO Budget Alert", ["agreement", "period_start"], constraint_name="unique_agreement_period"
	)
