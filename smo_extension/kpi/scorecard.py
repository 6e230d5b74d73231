"""The scorecard: each active KPI's latest value, its RAG, the value before it and the trend.

For a KPI and a date `period_end`, the *reference period* is the latest period of the KPI's frequency that
ends on or before that date. `latest` is the newest measurement of a period up to the reference period;
`previous` the measurement of the period just before `latest`'s; `change` = latest - previous (both with
data); `trend` the `periods` periods ending with the reference period, oldest first, each with its value
(None when not measured or no data) and RAG ("No Data" when not measured).
"""

from __future__ import annotations

from datetime import date

import frappe
from frappe.utils import getdate
from frappe.utils import today

from smo_extension.engine import kpi as engine
from smo_extension.kpi.measure import DEFINITION_FIELDS
from smo_extension.query import readable

TREND_PERIODS = 6
MEASUREMENT_FIELDS = "name kpi period_start period_end period_label value no_data numerator denominator sample_size rag computed_at improvement".split()


def reference_period(frequency: str, on: date) -> engine.Period:
	period = engine.period_containing(frequency, on)
	return period if period.end <= on else period.previous()


def scorecard(
	period_end: date | str | None = None,
	service: str | None = None,
	kpi_owner: str | None = None,
	periods: int = TREND_PERIODS,
	smo_wide_only: bool = False,
) -> list[dict]:
	"""One row per active KPI (of `service`, or every KPI; `smo_wide_only`: only KPIs without a service),
	ordered by service then name. Reads through `frappe.get_list`: the caller's permissions apply."""
	on = getdate(period_end or today())
	filters: dict = {"active": 1}
	if service:
		filters["service"] = service
	elif smo_wide_only:
		filters["service"] = ("is", "not set")
	if kpi_owner:
		filters["kpi_owner"] = kpi_owner
	definitions = readable("SMO KPI Definition", filters, DEFINITION_FIELDS, "kpi_name asc")
	if not definitions:
		return []
	windows = {}
	for d in definitions:
		reference = reference_period(d.frequency, on)
		trend = [reference]
		while len(trend) < max(periods, 1):
			trend.insert(0, trend[0].previous())
		windows[d.name] = trend
	earliest = min(trend[0].start for trend in windows.values())
	measured: dict[str, dict[date, dict]] = {}
	for row in frappe.get_list(
		"SMO KPI Measurement",
		filters={
			"kpi": ("in", [d.name for d in definitions]),
			"period_start": (">=", earliest),
			"period_end": ("<=", on),
		},
		fields=MEASUREMENT_FIELDS,
		order_by="period_start asc",
		limit_page_length=0,
	):
		measured.setdefault(row.kpi, {})[getdate(row.period_start)] = row
	rows = [card_row(d, windows[d.name], measured.get(d.name, {})) for d in definitions]
	rows.sort(key=lambda r: (r["service"] or "", r["kpi_name"] or "", r["kpi"]))
	return rows


def value_of(measurement: dict | None) -> float | None:
	if not measurement or measurement.get("no_data"):
		return None
	return float(measurement["value"])


def card_row(definition, trend: list[engine.Period], measured: dict[date, dict]) -> dict:
	reference = trend[-1]
	latest = None
	for start in sorted(measured, reverse=True):
		if start <= reference.start:
			latest = measured[start]
			break
	previous = None
	if latest:
		before_start = engine.period_containing(definition.frequency, getdate(latest.period_start)).previous()
		previous = measured.get(before_start.start)
	value, before = value_of(latest), value_of(previous)
	return {
		"kpi": definition.name,
		"kpi_name": definition.kpi_name,
		"metric": definition.metric,
		"metric_label": engine.METRICS[definition.metric].label,
		"unit": definition.unit,
		"direction": definition.direction,
		"frequency": definition.frequency,
		"kpi_owner": definition.kpi_owner,
		**{field: definition.get(field) or None for field in engine.SCOPE_FIELDS},
		"target": definition.target,
		"amber_threshold": definition.amber_threshold,
		"red_threshold": definition.red_threshold,
		"measurement": latest.name if latest else None,
		"period_start": getdate(latest.period_start) if latest else None,
		"period_end": getdate(latest.period_end) if latest else None,
		"period_label": latest.period_label if latest else None,
		"reference_period": reference.label,
		"stale": bool(latest) and getdate(latest.period_start) != reference.start,
		"value": value,
		"rag": latest.rag if latest else engine.NO_DATA,
		"numerator": latest.numerator if latest else None,
		"denominator": latest.denominator if latest else None,
		"sample_size": latest.sample_size if latest else 0,
		"improvement": latest.improvement if latest else None,
		"previous_value": before,
		"previous_rag": previous.rag if previous else None,
		"change": round(value - before, 6) if value is not None and before is not None else None,
		"below_target": value is not None and engine.is_worse(value, definition.target, definition.direction),
		"trend": [
			{
				"period_start": p.start,
				"period_end": p.end,
				"period_label": p.label,
				"value": value_of(measured.get(p.start)),
				"rag": measured[p.start].rag if p.start in measured else engine.NO_DATA,
			}
			for p in trend
		],
	}
