# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""A KPI: a metric of the registry (`smo_extension.engine.kpi.METRICS`) with a direction, a target, amber and
red thresholds, a frequency and an optional scope (service, customer, team, priority, agreement type)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document

from smo_extension.engine import kpi as engine

SCOPE_LABELS = {
	"service": "Service",
	"customer": "Customer",
	"team": "Team",
	"priority": "Priority",
	"agreement_type": "Agreement Type",
}


class SMOKPIError(frappe.ValidationError):
	"""A KPI definition or measurement that cannot be saved as it is."""


class SMOKPIThresholdError(SMOKPIError):
	pass


class SMOKPIScopeError(SMOKPIError):
	pass


class SMOKPIDefinition(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		active: DF.Check
		agreement_type: DF.Literal["", "SLA", "OLA"]
		amber_threshold: DF.Float
		business_objective: DF.Autocomplete | None
		customer: DF.Link | None
		description: DF.SmallText | None
		direction: DF.Literal["Higher is better", "Lower is better"]
		frequency: DF.Literal["Weekly", "Monthly", "Quarterly"]
		kpi_name: DF.Data
		kpi_owner: DF.Link | None
		metric: DF.Literal[
			tuple(
				"resolution_compliance response_compliance mttr_business mtta_business mttr_p90_business reopen_rate backlog backlog_aged_30 csat volume policy_review_compliance catalog_completeness improvement_throughput".split()
			)
		]
		priority: DF.Link | None
		red_threshold: DF.Float
		service: DF.Link | None
		target: DF.Float
		team: DF.Link | None
		unit: DF.Data | None
	# end: auto-generated types

	def validate(self):
		metric = engine.METRICS.get(self.metric)
		if metric is None:
			frappe.throw(
				_("Unknown metric {0}: choose one of {1}.").format(
					frappe.bold(self.metric or ""), ", ".join(engine.METRICS)
				),
				SMOKPIError,
			)
		self.unit = metric.unit
		if metric.uses_clocks and not self.agreement_type:
			self.agreement_type = "SLA"  # clock metrics count the customer's SLA unless told OLA
		self.validate_scope(metric)
		self.validate_thresholds(metric)
		self.validate_objective()
		self.validate_history()

	def scope(self) -> dict[str, str | None]:
		return {field: self.get(field) or None for field in engine.SCOPE_FIELDS}

	def validate_scope(self, metric: engine.Metric):
		messages = []
		for code, field in engine.scope_problems(self.metric, self.scope()):
			label = _(SCOPE_LABELS[field])
			if code == "not_allowed":
				messages.append(
					_("{0} cannot be narrowed by {1}: clear {1} (it measures {2}).").format(
						_(metric.label), label, scope_reach(metric)
					)
				)
			elif code == "bad_agreement_type":
				messages.append(_("Agreement Type must be SLA or OLA for {0}.").format(_(metric.label)))
			elif code == "needs":
				messages.append(
					_("An OLA is what one internal team owes: {0} on OLAs needs the {1}.").format(
						_(metric.label), label
					)
				)
		if messages:
			frappe.throw("<br>".join(messages), SMOKPIScopeError, title=_("Invalid KPI scope"))

	def validate_thresholds(self, metric: engine.Metric):
		higher = self.direction == engine.HIGHER
		labels = {"target": _("Target"), "amber": _("Amber Threshold"), "red": _("Red Threshold")}
		messages = []
		for code, args in engine.threshold_problems(
			self.direction, self.target, self.amber_threshold, self.red_threshold, metric.unit
		):
			if code == "bad_direction":
				messages.append(_("Direction must be {0} or {1}.").format(_(engine.HIGHER), _(engine.LOWER)))
			elif code == "amber_side":
				template = (
					_("Higher is better: the amber threshold ({0}) must not be above the target ({1}).")
					if higher
					else _("Lower is better: the amber threshold ({0}) must not be below the target ({1}).")
				)
				messages.append(template.format(*args))
			elif code == "red_side":
				template = (
					_(
						"Higher is better: the red threshold ({0}) must not be above the amber threshold ({1})."
					)
					if higher
					else _(
						"Lower is better: the red threshold ({0}) must not be below the amber threshold ({1})."
					)
				)
				messages.append(template.format(*args))
			elif code == "percent_range":
				messages.append(
					_("{0} is a percentage: {1} must be between 0 and 100, not {2}.").format(
						_(metric.label), labels[args[0]], args[1]
					)
				)
			elif code == "negative":
				messages.append(_("{0} cannot be negative, not {1}.").format(labels[args[0]], args[1]))
		if messages:
			frappe.throw("<br>".join(messages), SMOKPIThresholdError, title=_("Invalid KPI thresholds"))

	def validate_objective(self):
		self.business_objective = (self.business_objective or "").strip() or None
		if not (self.business_objective and self.service):
			return
		objectives = service_objectives(self.service)
		if self.business_objective not in objectives:
			frappe.throw(
				_("{0} is not a business objective of service {1}: choose one of {2}.").format(
					frappe.bold(self.business_objective),
					frappe.bold(self.service),
					", ".join(objectives) if objectives else _("(the service has none yet)"),
				),
				SMOKPIError,
			)

	def validate_history(self):
		"""Measurements keep the meaning they were computed with: a measured KPI keeps its metric and
		frequency (make a new KPI for another one)."""
		if self.is_new() or not frappe.db.exists("SMO KPI Measurement", {"kpi": self.name}):
			return
		for field in ("metric", "frequency"):
			if self.has_value_changed(field):
				frappe.throw(
					_("{0} has measurements: its {1} cannot change. Make a new KPI instead.").format(
						frappe.bold(self.kpi_name), _(self.meta.get_label(field))
					),
					SMOKPIError,
				)


def scope_reach(metric: engine.Metric) -> str:
	if not metric.scopes:
		return _("the whole SMO")
	return _("by {0} only").format(
		", ".join(_(SCOPE_LABELS[f]) for f in engine.SCOPE_FIELDS if f in metric.scopes)
	)


def service_objectives(service: str) -> list[str]:
	return frappe.get_all(
		"SMO Service Objective",
		filters={"parenttype": "SMO Service", "parent": service},
		pluck="objective",
		order_by="idx asc",
	)
