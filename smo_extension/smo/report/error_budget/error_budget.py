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
from smo_extension.sla.budget import budget_rows, burn_down_points
from smo_extension.sla.ticket import aware
from smo_extension.smo.report.columns import column, count_summary, link_column
from smo_extension.smo.report.filters import Date, Link, Select, clean_filters

FILTERS = {
	"period": Select("Period", options=PERIOD_KINDS),
	"date": Date("Date in Period"),
	"service": Link("Service", doctype="SMO Service"),
	"agreement_type": Select("Agreement Type", options=("SLA", "OLA")),
	"agreement": Link("Agreement", doctype="SMO Service Level Agreement"),
	"metric": Select("Metric", options=("Resolution", "Response")),
}


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
	return [
		link_column(_("Service"), "service", "SMO Service", width=110),
		link_column(_("Agreement"), "agreement", "SMO Service Level Agreement", width=200),
		column(_("Type"), "agreement_type", "Data", 60),
		column(_("Target %"), "target", "Percent", 90),
		column(_("Met"), "met", "Int", 70),
		column(_("Breached"), "breached", "Int", 85),
		column(_("Due in Period"), "pending", "Int", 110),
		column(_("Usual Volume"), "usual_volume", "Float", 110, precision=1),
		column(_("Expected Clocks"), "expected", "Float", 120, precision=1),
		column(_("Breaches Allowed"), "allowed", "Int", 130),
		column(_("Used"), "used", "Int", 70),
		column(_("Remaining"), "remaining", "Int", 95),
		column(_("Burn Rate"), "burn_rate", "Float", 95, precision=2),
		column(_("Projected %"), "projected", "Percent", 110),
		column(_("Status"), "status_label", "Data", 100),
	]


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
		{"label": _("Agreements"), "value": len(rows), "datatype": "Int", "indicator": "Blue"},
		count_summary(_("Projected Below Target"), len(at_risk)),
		count_summary(_("Budgets Exhausted"), len(exhausted)),
		{"label": _("Breaches Allowed"), "value": allowed, "datatype": "Int", "indicator": "Blue"},
		{
			"label": _("Breaches Used"),
			"value": used,
			"datatype": "Int",
			"indicator": "Red" if used > allowed else ("Blue" if used else "Green"),
		},
	]
