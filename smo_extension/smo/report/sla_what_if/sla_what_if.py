# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""SLA What-If: an agreement as it stands now (a Draft, a changed Active one, a Draft copy with another calendar
or targets) replayed over a period's tickets, beside their live clocks; per priority, customer or service, or
the tickets whose outcome flips. Nothing is written (see `smo_extension.sla.whatif`)."""

import frappe
from frappe import _

from smo_extension.api.sla import check_analysis
from smo_extension.scaleout import heavy_read
from smo_extension.sla import whatif
from smo_extension.sla.period import check_period
from smo_extension.smo.report.column_catalog import columns
from smo_extension.smo.report.columns import count_summary
from smo_extension.smo.report.columns import link_column
from smo_extension.smo.report.columns import summary
from smo_extension.smo.report.filters import Date
from smo_extension.smo.report.filters import Link
from smo_extension.smo.report.filters import Select
from smo_extension.smo.report.filters import SMOReportFilterError
from smo_extension.smo.report.filters import clean_filters

VIEWS = ("By Priority", "By Customer", "By Service", "Flipped Tickets")
GROUPS = {"By Priority": "priority", "By Customer": "customer", "By Service": "service"}
FILTERS = {
	"agreement": Link("Agreement", doctype="SMO Service Level Agreement", required=True),
	"from_date": Date("From Date", required=True),
	"to_date": Date("To Date", required=True),
	"metric": Select("Metric", options=whatif.METRICS),
	"view": Select("View", options=VIEWS),
}


def validate_filters(filters) -> None:
	if not filters.get("agreement"):
		frappe.throw(_("Choose the agreement to replay."), SMOReportFilterError, title=_("Invalid filter"))
	check_analysis(filters.agreement)
	check_period(filters.get("from_date"), filters.get("to_date"))


@heavy_read
def execute(filters: dict | None = None):
	filters = clean_filters(filters, FILTERS)
	validate_filters(filters)
	result = whatif.what_if(
		filters.agreement, filters.from_date, filters.to_date, filters.get("metric") or "Resolution"
	)
	view = filters.get("view") or "By Priority"
	if view == "Flipped Tickets":
		columns, data = flipped_columns(), result["flipped"]
	else:
		columns, data = group_columns(view), group_rows(result, GROUPS[view])
	message = "<br>".join(frappe.utils.escape_html(n) for n in result["notes"]) or None
	return columns, data, message, get_chart(result, view), get_summary(result)


def group_rows(result: dict, group: str) -> list[dict]:
	rows = []
	for row in result[f"by_{group}"]:
		live, what = row["live"], row["what_if"]
		rows.append(
			{
				"group_value": row[group] or _("(none)"),
				"tickets": row["tickets"],
				"live_met": live["met"],
				"live_breached": live["breached"],
				"live_compliance": live["compliance"],
				"what_if_met": what["met"],
				"what_if_breached": what["breached"],
				"what_if_compliance": what["compliance"],
				"change": change(live["compliance"], what["compliance"]),
			}
		)
	return rows


def change(live, what) -> float | None:
	return round(what - live, 2) if live is not None and what is not None else None


def group_columns(view: str) -> list[dict]:
	group = GROUPS[view]
	first = {
		"priority": link_column(_("Priority"), "group_value", "HD Ticket Priority", width=140),
		"customer": link_column(_("Customer"), "group_value", "HD Customer", width=200),
		"service": link_column(_("Service"), "group_value", "SMO Service", width=160),
	}[group]
	return [
		first,
		*columns(
			"tickets live_met live_breached live_compliance what_if_met what_if_breached what_if_compliance change_points"
		),
	]


def flipped_columns() -> list[dict]:
	return columns(
		"ticket subject ticket_priority customer live_state live_due what_if_state what_if_due live_agreement"
	)


def get_chart(result: dict, view: str) -> dict | None:
	group = GROUPS.get(view, "priority")
	rows = [
		r
		for r in result[f"by_{group}"]
		if r["live"]["compliance"] is not None or r["what_if"]["compliance"] is not None
	]
	if not rows:
		return None
	return {
		"data": {
			"labels": [str(r[group] or _("(none)")) for r in rows],
			"datasets": [
				{"name": _("Live %"), "values": [round(r["live"]["compliance"] or 0, 1) for r in rows]},
				{"name": _("What-If %"), "values": [round(r["what_if"]["compliance"] or 0, 1) for r in rows]},
			],
			"yMarkers": [{"label": _("Target"), "value": result["target"] or 0}],
		},
		"type": "bar",
		"colors": ["#7c8b9a", "#2490ef"],
		"barOptions": {"spaceRatio": 0.3},
	}


def get_summary(result: dict) -> list[dict]:
	live, what = result["overall"]["live"], result["overall"]["what_if"]
	delta = change(live["compliance"], what["compliance"])

	def percent(value):
		return (value, "Percent") if value is not None else (_("n/a"), "Data")

	live_value, live_type = percent(live["compliance"])
	what_value, what_type = percent(what["compliance"])
	target = result["target"] or 0
	return [
		summary(_("Live Compliance"), live_value, "Blue", live_type),
		summary(
			_("What-If Compliance"),
			what_value,
			"Green" if what["compliance"] is not None and what["compliance"] >= target else "Red",
			what_type,
		),
		summary(
			_("Change (points)"),
			f"{delta:+.1f}" if delta is not None else _("n/a"),
			"Green" if (delta or 0) >= 0 else "Red",
			"Data",
		),
		{
			"label": _("Breaches Live / What-If"),
			"value": f"{live['breached']} / {what['breached']}",
			"datatype": "Data",
		},
		count_summary(_("Tickets That Flip"), result["flipped_total"]),
		summary(_("Tickets Replayed"), result["tickets"]),
	]
