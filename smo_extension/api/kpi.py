"""Whitelisted, typed API of the KPIs: measure a period now, read the scorecard, and the two workspace
number cards.

Who may do what (docs/PERSONAS.md): SMO Managers and SMO Analysts measure (they create and write SMO KPI
Measurements); SMO Managers, Analysts and Service Owners read the scorecard; Helpdesk agents and portal users
read nothing of the KPIs.
"""

from __future__ import annotations

from datetime import date

import frappe
from frappe import _
from frappe.utils import getdate
from frappe.utils import now_datetime
from frappe.utils import today

from smo_extension.api import SMOArgumentError
from smo_extension.api import typed_whitelist
from smo_extension.engine import kpi as engine
from smo_extension.kpi import measure as kpi_measure
from smo_extension.kpi.review import service_review
from smo_extension.kpi.scorecard import scorecard
from smo_extension.sla.ticket import aware
from smo_extension.smo.doctype.smo_kpi_measurement.smo_kpi_measurement import USER
from smo_extension.smo.doctype.smo_kpi_measurement.smo_kpi_measurement import SMOKPIPeriodError

MEASUREMENT_FIELDS = (
	"name",
	"kpi",
	"kpi_name",
	"metric",
	"unit",
	"period_start",
	"period_end",
	"period_label",
	"timezone",
	"value",
	"no_data",
	"numerator",
	"denominator",
	"sample_size",
	"rag",
	"direction",
	"target",
	"amber_threshold",
	"red_threshold",
	*engine.SCOPE_FIELDS,
	"computed_at",
	"computed_by",
	"computed_by_user",
	"improvement",
)


def parse_date(name: str, value: str | None):
	"""A YYYY-MM-DD date, strictly (Frappe's getdate would read "March" as a date)."""
	if value is None or value == "":
		return None
	try:
		return date.fromisoformat(str(value).strip())
	except ValueError:
		frappe.throw(
			_("Argument {0} must be a date (YYYY-MM-DD), not {1}.").format(name, frappe.bold(value)),
			SMOArgumentError,
			title=_("Invalid argument"),
		)


def existing(doctype: str, name: str) -> str:
	if not name or not frappe.db.exists(doctype, name):
		frappe.throw(_("{0} {1} does not exist.").format(_(doctype), name), frappe.DoesNotExistError)
	return name


def measurement_dict(doc) -> dict:
	out = {field: doc.get(field) for field in MEASUREMENT_FIELDS}
	if doc.no_data:
		out["value"] = None  # "no data" is not 0 %: the column stores 0, the answer says None
	return out


@typed_whitelist()
def measure(definition: str, period_start: str) -> dict:
	"""Compute (or recompute) the KPI `definition` for the period that starts on `period_start` (a finished
	period of its frequency) now, and return the measurement."""
	frappe.has_permission("SMO KPI Measurement", "create", throw=True)
	frappe.has_permission("SMO KPI Measurement", "write", throw=True)
	existing("SMO KPI Definition", definition)
	frappe.has_permission("SMO KPI Definition", "read", doc=definition, throw=True)
	day = parse_date("period_start", period_start)
	if day is None:
		frappe.throw(_("Argument period_start is required."), SMOArgumentError)
	(loaded,) = kpi_measure.load_definitions([definition], active_only=False)
	period = engine.period_containing(loaded.frequency, day)
	if period.start != day:
		frappe.throw(
			_("{0} is not the first day of a {1} period: use {2}.").format(
				frappe.bold(str(day)), _(loaded.frequency), frappe.bold(str(period.start))
			),
			SMOKPIPeriodError,
		)
	timezone = kpi_measure.smo_timezone()
	if not engine.is_finished(period, aware(now_datetime()), timezone):
		frappe.throw(
			_("The period {0} to {1} has not ended yet: measure it once it is over.").format(
				period.start, period.end
			),
			SMOKPIPeriodError,
		)
	(name,) = kpi_measure.measure_period(period, [loaded], by=USER, user=frappe.session.user)
	return measurement_dict(frappe.get_doc("SMO KPI Measurement", name))


def check_readers() -> None:
	frappe.has_permission("SMO KPI Definition", "read", throw=True)
	frappe.has_permission("SMO KPI Measurement", "read", throw=True)


@typed_whitelist()
def get_metrics() -> dict:
	"""The metric registry: for each `metric` value its label, unit, usual direction, what it counts and the
	scope fields it can be narrowed by."""
	frappe.has_permission("SMO KPI Definition", "read", throw=True)
	return {
		name: {
			"label": _(m.label),
			"unit": m.unit,
			"direction": m.direction,
			"description": m.description,
			"scopes": [f for f in engine.SCOPE_FIELDS if f in m.scopes],
		}
		for name, m in engine.METRICS.items()
	}


@typed_whitelist()
def get_scorecard(period_end: str | None = None, service: str | None = None) -> list[dict]:
	"""Each active KPI (of `service`, or all) with its latest value up to `period_end` (default today), its
	target and thresholds, RAG, the previous period's value and the trend of the last 6 periods."""
	check_readers()
	if service:
		existing("SMO Service", service)
	return scorecard(parse_date("period_end", period_end) or getdate(today()), service=service)


@typed_whitelist()
def red_kpi_count(filters: dict | str | None = None) -> dict:
	"""Number card: active KPIs whose latest measurement is Red."""
	check_readers()
	red = sum(1 for row in scorecard(getdate(today())) if row["rag"] == engine.RED)
	return {
		"value": red,
		"fieldtype": "Int",
		"route": ["query-report", "KPI Scorecard"],
		"route_options": {"rag": engine.RED},
	}


@typed_whitelist()
def services_below_target_count(filters: dict | str | None = None) -> dict:
	"""Number card: live services whose resolution SLA compliance in the last full month (the Service
	Review's default period) is below target."""
	from smo_extension.smo.report.service_review.service_review import last_month

	if not frappe.get_cached_doc("Report", "Service Review").is_permitted():
		frappe.throw(_("Not permitted to read the Service Review."), frappe.PermissionError)
	below = sum(1 for row in service_review(*last_month()) if row["below_target"])
	return {"value": below, "fieldtype": "Int", "route": ["query-report", "Service Review"]}
