# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""The continual-improvement register: items raised by KPI misses, SLA breach trends, reviews, audits and
suggestions, with an owner, a target date and the benefit expected and measured."""

from __future__ import annotations

from datetime import date

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate
from frappe.utils import today

from smo_extension.permissions import set_read_only_onload
from smo_extension.settings import is_enabled

OPEN_STATUSES = ("Proposed", "Approved", "In Progress")
COMMITTED_STATUSES = ("Approved", "In Progress", "Done")


class SMOImprovementError(frappe.ValidationError):
	pass


def is_overdue(status: str, target_date, on: date) -> bool:
	"""Open and past its target date."""
	return bool(status in OPEN_STATUSES and target_date and getdate(target_date) < on)


class SMOImprovement(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		completed_on: DF.Date | None
		description: DF.TextEditor | None
		expected_benefit: DF.SmallText | None
		improvement_owner: DF.Link | None
		improvement_owner_name: DF.Data | None
		is_overdue: DF.Check
		measured_benefit: DF.SmallText | None
		priority: DF.Literal["Low", "Medium", "High", "Critical"]
		raised_from: DF.DynamicLink | None
		raised_from_doctype: DF.Link | None
		rejection_reason: DF.SmallText | None
		service: DF.Link | None
		source: DF.Literal["KPI Miss", "SLA Breach Trend", "Review", "Audit", "Suggestion"]
		status: DF.Literal["Proposed", "Approved", "In Progress", "Done", "Rejected"]
		target_date: DF.Date | None
		title: DF.Data

	# end: auto-generated types
	def onload(self):
		set_read_only_onload(self)

	def validate(self):
		self.validate_origin()
		self.validate_commitment()
		self.validate_closure()
		self.is_overdue = is_overdue(self.status, self.target_date, getdate(today()))

	def validate_origin(self):
		if self.raised_from and not self.raised_from_doctype:
			frappe.throw(_("Name the type of the record that raised this item."), SMOImprovementError)
		if not self.raised_from:
			self.raised_from_doctype = self.raised_from_doctype or None

	def validate_commitment(self):
		"""An item the SMO commits to has someone who answers for it and a date."""
		if self.status in COMMITTED_STATUSES and not (self.improvement_owner and self.target_date):
			frappe.throw(
				_("An item that is {0} needs an owner and a target date.").format(_(self.status)),
				SMOImprovementError,
			)

	def validate_closure(self):
		if self.status == "Done":
			if not (self.measured_benefit or "").strip():
				frappe.throw(
					_("Record the measured benefit before closing the item as Done."), SMOImprovementError
				)
			self.completed_on = self.completed_on or today()
		else:
			self.completed_on = None
		if self.status == "Rejected" and not (self.rejection_reason or "").strip():
			frappe.throw(_("Say why the item is rejected."), SMOImprovementError)


def flag_overdue_improvements(on: date | None = None) -> int:
	"""Daily: refresh `is_overdue` on every item whose flag is out of date (reports and the list filter on it).
	Returns how many items changed."""
	if not is_enabled():
		return 0
	on = getdate(on or today())
	i = frappe.qb.DocType("SMO Improvement")
	late = i.status.isin(OPEN_STATUSES) & (i.target_date < on)
	not_late = i.status.notin(OPEN_STATUSES) | i.target_date.isnull() | (i.target_date >= on)
	changed = 0
	for value, condition in ((1, late & (i.is_overdue == 0)), (0, not_late & (i.is_overdue == 1))):
		names = [r[0] for r in frappe.qb.from_(i).select(i.name).where(condition).run()]
		if names:
			frappe.qb.update(i).set(i.is_overdue, value).where(i.name.isin(names)).run()
			changed += len(names)
	return changed
