# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""Error Budget: per service x agreement x period (a month unless told otherwise), how many breaches the
compliance target allows given the clocks that will count, how many are used, what remains, the burn rate and
the compliance the period is heading for; with a burn-down chart. The formulas are in
`smo_extension.engine.budget`."""

import frappe
from frappe import _
from frappe.utils import getdate

from smo_extension.engine.budget import PERIOD_KINDS
from smo_extension.scaleout import heavy_read
from smo_extension.sla.budget import budget_rows
from smo_extension.sla.budget import burn_down_points
from smo_extension.sla.ticket import aware
from smo_extension.smo.report.column_catalog import columns
from smo_extension.smo.report.columns import count_summary
from smo_extension.smo.report.columns import summary
from smo_extension.smo.report.filters import Date
from smo_extension.smo.report.filters import Link
from smo_extension.smo.report.filters import Select
from smo_extension.smo.report.filters import clean_filters

FILTERS = {
	"period": Select("Period", options=PERIOD_KINDS),
	"date": Date("Date in Period"),
	"service": Link("Service", doctype="SMO Service"),
	"agreement_type": Select("Agreement Type", options=("SLA", "OLA")),
	"agreement": Link("Agreement", doctype="SMO Service Level Agreement"),
	"metric": Select("Metric", options=("Resolution", "Response")),
}


@heavy_read
def execute(filters: dict | None = None):
	filters = clean_filters(filters, FILTERS)
	kind = filters.get("period") or "Month"
	now = aware(frappe.utils.now_datetime())
	day = getdate(filters.get("date")) if filters.get("date") else now.date()
	rows = budget_rows(
		kind,
		day,
		service=filters.get("service"),
		agreement=filters.get("agreement"),
		agreement_type=filters.get("agreement_type"),
		metric=filters.get("metric") or "Resolution",
		now=now,
	)
	data = [
		{
			**{k: v for k, v in row.items() if k not in ("budget", "breach_times")},
			"status_label": _(row["status"]),
			"burn_rate": round(row["burn_rate"], 2) if row["burn_rate"] is not None else None,
			"projected": round(row["projected"], 2) if row["projected"] is not None else None,
			"expected": round(row["expected"], 1),
			"usual_volume": round(row["usual_volume"], 1) if row["usual_volume"] is not None else None,
		}
		for row in rows
	]
	return get_columns(), data, None, get_chart(rows, kind, day, now), get_summary(rows)


def get_columns() -> list[dict]:
	return columns(
		"service agreement agreement_type target met breached pending usual_volume expected allowed used remaining burn_rate projected status_label"
	)


def get_chart(rows: list[dict], kind: str, day, now) -> dict | None:
	if not rows:
		return None
	days, remaining, ideal = burn_down_points(rows, kind, day, now)
	return {
		"title": _("Burn-down: breaches left in the budget"),
		"data": {
			# short labels: a month's name on its first day, else the day of the month
			"labels": [frappe.utils.formatdate(d, "d MMM") if d.day == 1 else str(d.day) for d in days],
			"datasets": [
				{"name": _("Remaining (projected after today)"), "values": [round(v, 2) for v in remaining]},
				{"name": _("Even burn"), "values": [round(v, 2) for v in ideal]},
			],
			"yMarkers": [{"label": _("Budget spent"), "value": 0}],
		},
		"type": "line",
		"colors": ["#e24c4c", "#98a2b3"],
		"lineOptions": {"regionFill": 0, "hideDots": 1},
		"axisOptions": {"xIsSeries": 1},
	}


def get_summary(rows: list[dict]) -> list[dict]:
	at_risk = [r for r in rows if r["status"] in ("At Risk", "Exhausted")]
	exhausted = [r for r in rows if r["status"] == "Exhausted"]
	allowed = sum(r["allowed"] for r in rows)
	used = sum(r["used"] for r in rows)
	return [
		summary(_("Agreements"), len(rows)),
		count_summary(_("Projected Below Target"), len(at_risk)),
		count_summary(_("Budgets Exhausted"), len(exhausted)),
		summary(_("Breaches Allowed"), allowed),
		summary(_("Breaches Used"), used, "Red" if used > allowed else ("Blue" if used else "Green")),
	]
