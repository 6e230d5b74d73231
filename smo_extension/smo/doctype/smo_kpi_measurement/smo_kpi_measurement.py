# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""One KPI's value for one period: unique per definition x period (named `<KPI>-<period start>`).

Computed by the KPI jobs and `smo_extension.api.kpi.measure`, or recorded by hand by an SMO Analyst or
Manager. Either way the controller copies the definition's scope and thresholds as they are now and judges
the RAG; recomputing a period replaces its value, and the previous one stays in the version history
(track_changes). A measurement that is Red raises one SMO Improvement (source "KPI Miss") and tells the KPI
owner, once per KPI and period.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate
from frappe.utils import now_datetime

from smo_extension.engine import kpi as engine
from smo_extension.kpi.measure import JOB  # noqa: F401 (callers of this module)
from smo_extension.kpi.measure import USER
from smo_extension.kpi.measure import measurement_name
from smo_extension.sla.ticket import aware
from smo_extension.smo.doctype.smo_kpi_definition.smo_kpi_definition import SMOKPIError

# Percent metrics whose value can pass 100 % (more tickets reopened in a period than resolved in it).
UNBOUNDED_PERCENT = ("reopen_rate",)


class SMOKPIPeriodError(SMOKPIError):
	pass


class SMOKPIValueError(SMOKPIError):
	pass


class SMOKPIMeasurement(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		agreement_type: DF.Data | None
		amber_threshold: DF.Float
		computed_at: DF.Datetime | None
		computed_by: DF.Literal["Job", "User"]
		computed_by_user: DF.Link | None
		customer: DF.Link | None
		denominator: DF.Float
		direction: DF.Data | None
		improvement: DF.Link | None
		kpi: DF.Link
		kpi_name: DF.Data | None
		metric: DF.Data | None
		no_data: DF.Check
		note: DF.SmallText | None
		numerator: DF.Float
		period_end: DF.Date | None
		period_label: DF.Data | None
		period_start: DF.Date
		priority: DF.Link | None
		rag: DF.Literal["Green", "Amber", "Red", "No Data"]
		red_threshold: DF.Float
		sample_size: DF.Int
		service: DF.Link | None
		target: DF.Float
		team: DF.Link | None
		timezone: DF.Data | None
		unit: DF.Data | None
		value: DF.Float
	# end: auto-generated types

	def autoname(self):
		self.name = measurement_name(self.kpi, self.period_start)

	def validate(self):
		from smo_extension.kpi.measure import smo_timezone

		definition = frappe.get_cached_doc("SMO KPI Definition", self.kpi)
		period = engine.period_containing(definition.frequency, getdate(self.period_start))
		self.validate_period(definition, period, smo_timezone())
		self.validate_unique()
		self.copy_definition(definition, period)
		self.validate_value(definition)
		self.rag = engine.rag(
			None if self.no_data else self.value,
			definition.direction,
			definition.target,
			definition.amber_threshold,
			definition.red_threshold,
		)
		computed = self.flags.get("smo_computed")
		if computed:
			self.computed_by, self.computed_by_user = computed
			self.computed_at = now_datetime()
		elif self.is_new() or self.has_value_changed("value") or self.has_value_changed("no_data"):
			self.computed_by, self.computed_by_user = USER, frappe.session.user
			self.computed_at = now_datetime()

	def on_update(self):
		if self.rag == engine.RED:
			from smo_extension.kpi.measure import raise_improvement

			raise_improvement(self)

	def validate_period(self, definition, period: engine.Period, timezone: str):
		if getdate(self.period_start) != period.start:
			frappe.throw(
				_("{0} is not the first day of a {1} period: use {2}.").format(
					frappe.bold(str(self.period_start)),
					_(definition.frequency),
					frappe.bold(str(period.start)),
				),
				SMOKPIPeriodError,
			)
		if not engine.is_finished(period, aware(now_datetime()), timezone):
			frappe.throw(
				_("The period {0} to {1} has not ended yet: measure it once it is over.").format(
					period.start, period.end
				),
				SMOKPIPeriodError,
			)

	def validate_unique(self):
		if self.is_new() and frappe.db.exists(
			"SMO KPI Measurement", measurement_name(self.kpi, self.period_start)
		):
			frappe.throw(
				_(
					"{0} is already measured for the period starting {1}: recompute or edit that measurement."
				).format(frappe.bold(self.kpi), self.period_start),
				SMOKPIPeriodError,
			)

	def copy_definition(self, definition, period: engine.Period):
		from smo_extension.kpi.measure import smo_timezone

		self.update(
			{
				"kpi_name": definition.kpi_name,
				"metric": definition.metric,
				"unit": definition.unit,
				"period_end": period.end,
				"period_label": period.label,
				"timezone": smo_timezone(),
				"direction": definition.direction,
				"target": definition.target,
				"amber_threshold": definition.amber_threshold,
				"red_threshold": definition.red_threshold,
				**{field: definition.get(field) or None for field in engine.SCOPE_FIELDS},
			}
		)

	def validate_value(self, definition):
		if self.no_data:
			self.value = 0
			return
		metric = engine.METRICS[definition.metric]
		for field in ("value", "numerator", "denominator", "sample_size"):
			if (self.get(field) or 0) < 0:
				frappe.throw(
					_("{0} cannot be negative, not {1}.").format(
						_(self.meta.get_label(field)), self.get(field)
					),
					SMOKPIValueError,
				)
		if metric.is_percent and metric.name not in UNBOUNDED_PERCENT and self.value > 100:
			frappe.throw(
				_("{0} is a percentage: the value must be between 0 and 100, not {1}.").format(
					_(metric.label), self.value
				),
				SMOKPIValueError,
			)


def on_doctype_update():
	frappe.db.add_unique("SMO KPI Measurement", ["kpi", "period_start"], constraint_name="unique_kpi_period")
	frappe.db.add_index("SMO KPI Measurement", ["kpi", "period_end"])
