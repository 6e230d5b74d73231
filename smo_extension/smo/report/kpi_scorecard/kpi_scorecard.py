# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""KPI Scorecard: one row per active KPI, grouped by service (SMO-wide KPIs first), with its latest value
and unit, target, RAG, the change since the period before and the trend of the last 6 to 12 periods.

"Latest" is the newest measurement of a period ending on or before Period End (default today); see
`smo_extension.kpi.scorecard`.
"""

import frappe
from frappe import _
from frappe.utils import getdate
from frappe.utils import today

from smo_extension.engine import kpi as engine
from smo_extension.kpi.scorecard import scorecard
from smo_extension.scaleout import heavy_read
from smo_extension.smo.report.column_catalog import columns
from smo_extension.smo.report.columns import chart
from smo_extension.smo.report.columns import count_summary
from smo_extension.smo.report.columns import full_names
from smo_extension.smo.report.columns import summary
from smo_extension.smo.report.filters import Date
from smo_extension.smo.report.filters import Link
from smo_extension.smo.report.filters import Select
from smo_extension.smo.report.filters import clean_filters

TREND_CHOICES = ("6", "9", "12")
SPARKS = "▁▂▃▄▅▆▇█"
SMO_WIDE = "(SMO-wide)"
FILTERS = {
	"period_end": Date("Period End"),
	"service": Link("Service", doctype="SMO Service"),
	"kpi_owner": Link("KPI Owner", doctype="User"),
	"rag": Select("RAG", options=engine.RAGS),
	"periods": Select("Trend Periods", options=TREND_CHOICES),
}


@heavy_read
def execute(filters: dict | None = None):
	filters = clean_filters(filters, FILTERS)
	rows = get_rows(filters)
	return get_columns(), tree(rows), None, get_chart(rows), get_summary(rows)


def get_rows(filters) -> list[dict]:
	rows = scorecard(
		getdate(filters.period_end or today()),
		service=filters.service,
		kpi_owner=filters.kpi_owner,
		periods=int(filters.periods or TREND_CHOICES[0]),
	)
	if filters.rag:
		rows = [r for r in rows if r["rag"] == filters.rag]
	return rows


def scope_text(row: dict) -> str:
	labels = {"customer": _("Customer"), "team": _("Team"), "priority": _("Priority")}
	parts = [f"{labels[f]}: {row[f]}" for f in ("customer", "team", "priority") if row.get(f)]
	if row.get("agreement_type"):
		parts.append(row["agreement_type"])
	return ", ".join(parts)


def sparkline(values: list[float | None]) -> str:
	"""The trend as block characters (· where a period has no value)."""
	known = [v for v in values if v is not None]
	if not known:
		return ""
	low, high = min(known), max(known)
	span = (high - low) or 1
	return "".join(
		"·" if v is None else SPARKS[round((v - low) / span * (len(SPARKS) - 1)) if high > low else 3]
		for v in values
	)


def tree(rows: list[dict]) -> list[dict]:
	"""Service group rows (indent 0) with their KPI rows under them (indent 1)."""
	names = dict(frappe.get_all("SMO Service", fields=["name", "service_name"], as_list=True))
	owners = full_names(r["kpi_owner"] for r in rows)
	groups: dict[str, list[dict]] = {}
	for row in rows:
		groups.setdefault(row["service"] or "", []).append(row)
	data = []
	for service in sorted(groups, key=lambda s: (s != "", names.get(s, s))):
		members = groups[service]
		group_id = f"service:{service or '-'}"
		counts = {rag: sum(1 for r in members if r["rag"] == rag) for rag in engine.RAGS}
		data.append(
			{
				"row_id": group_id,
				"parent_row": None,
				"indent": 0,
				"is_group": 1,
				"label": f"{names.get(service, service)} ({service})" if service else _(SMO_WIDE),
				"service": service or None,
				"rag": " · ".join(f"{counts[r]} {_(r)}" for r in engine.RAGS if counts[r]),
			}
		)
		for row in members:
			data.append(
				{
					**{k: v for k, v in row.items() if k != "trend"},
					"row_id": row["kpi"],
					"parent_row": group_id,
					"indent": 1,
					"is_group": 0,
					"label": row["kpi_name"],
					"metric_label": _(row["metric_label"]),
					"owner_name": owners.get(row["kpi_owner"], row["kpi_owner"]),
					"scope": scope_text(row),
					"trend_line": sparkline([p["value"] for p in row["trend"]]),
					"trend_values": [p["value"] for p in row["trend"]],
				}
			)
	return data


def get_columns() -> list[dict]:
	return columns(
		"label metric_label period_label value kpi_target rag previous_value change trend_line owner_name scope frequency kpi measurement improvement"
	)


def get_chart(rows: list[dict]) -> dict | None:
	"""One KPI: its values and target over the trend (periods without a value left out); several: how many
	were Green, Amber and Red in each period of the trend (of the KPIs of the most common frequency)."""
	if not rows:
		return None
	if len(rows) == 1:
		(row,) = rows
		known = [p for p in row["trend"] if p["value"] is not None]
		if not known:
			return None
		return chart(
			[p["period_label"] for p in known],
			{row["kpi_name"]: [p["value"] for p in known], _("Target"): [row["target"]] * len(known)},
			"line",
			colors=["#2490ef", "#e24c4c"],
		)
	# periods of different lengths do not share an axis: the chart follows the most common frequency
	frequencies = [r["frequency"] for r in rows]
	frequency = max(set(frequencies), key=frequencies.count)
	rows = [r for r in rows if r["frequency"] == frequency]
	labels = [p["period_label"] for p in rows[0]["trend"]]
	datasets = [
		{
			"name": _(rag),
			"values": [sum(1 for r in rows if r["trend"][i]["rag"] == rag) for i in range(len(labels))],
		}
		for rag in (engine.GREEN, engine.AMBER, engine.RED)
	]
	return chart(
		labels,
		{s["name"]: s["values"] for s in datasets},
		"bar",
		barOptions={"stacked": 1, "spaceRatio": 0.4},
		colors=["#29cd42", "#ecad4b", "#e24c4c"],
	)


def get_summary(rows: list[dict]) -> list[dict]:
	count = {rag: sum(1 for r in rows if r["rag"] == rag) for rag in engine.RAGS}
	return [
		summary(_("KPIs"), len(rows)),
		summary(_("Green"), count[engine.GREEN], "Green"),
		# Frappe's report summary paints green, red and blue only: amber is said by its label
		{"label": _("Amber"), "value": count[engine.AMBER], "datatype": "Int"},
		summary(_("Red"), count[engine.RED], "Red"),
		{"label": _("No Data"), "value": count[engine.NO_DATA], "datatype": "Int"},
		count_summary(_("Below Target"), sum(1 for r in rows if r["below_target"])),
	]
