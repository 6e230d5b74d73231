# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""Improvement Register: the continual-improvement items with their service, source, owner, status and target
date, how many days an open item is past its target, and the benefit expected and measured.

Open = Proposed, Approved or In Progress; overdue = open and past its target date (as of today, not the nightly
flag); throughput = items done on or after the day 90 days ago.
"""

from datetime import date

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import add_days, date_diff, getdate, today
from pypika.terms import Case

from smo_extension.smo.doctype.smo_improvement.smo_improvement import OPEN_STATUSES, is_overdue
from smo_extension.smo.report.columns import column, count_summary, full_names
from smo_extension.smo.report.filters import Check, Link, Select, clean_filters

THROUGHPUT_DAYS = 90
CHART_GROUPS = {"Status": "status", "Service": "service"}
FILTER_FIELDS = ("service", "status", "source", "improvement_owner")
FILTERS = {
	"service": Link("Service", doctype="SMO Service"),
	"status": Select("Status", options=("Proposed", "Approved", "In Progress", "Done", "Rejected")),
	"source": Select("Source", options=("KPI Miss", "SLA Breach Trend", "Review", "Audit", "Suggestion")),
	"improvement_owner": Link("Owner", doctype="User"),
	"only_overdue": Check("Only Overdue"),
	"group_by": Select("Chart By", options=tuple(CHART_GROUPS)),
}


def execute(filters: dict | None = None):
	filters = clean_filters(filters, FILTERS)
	on = getdate(today())
	data = get_data(filters, on)
	# The summary counts every item the other filters keep; Only Overdue narrows the table (and the chart).
	return get_columns(), data, None, get_chart(data, filters), get_summary(filters, on)


def filtered(filters):
	"""The improvements the service, status, source and owner filters keep."""
	i = frappe.qb.DocType("SMO Improvement")
	query = frappe.qb.from_(i)
	for field in FILTER_FIELDS:
		if filters.get(field):
			query = query.where(i[field] == filters.get(field))
	return i, query


def overdue(i, on: date):
	return i.status.isin(OPEN_STATUSES) & i.target_date.isnotnull() & (i.target_date < on)


def get_data(filters, on: date) -> list[dict]:
	i, query = filtered(filters)
	query = (
		query.select(
			i.name.as_("improvement"),
			i.title,
			i.service,
			i.source,
			i.priority,
			i.improvement_owner,
			i.status,
			i.target_date,
			i.expected_benefit,
			i.measured_benefit,
		)
		# by target date, the items without one last
		.orderby(i.target_date.isnull())
		.orderby(i.target_date)
		.orderby(i.name)
	)
	if filters.get("only_overdue"):
		query = query.where(overdue(i, on))
	data = query.run(as_dict=True)
	names = full_names(row.improvement_owner for row in data)
	for row in data:
		row.owner_name = names.get(row.improvement_owner, row.improvement_owner)
		late = is_overdue(row.status, row.target_date, on)
		row.is_overdue = int(late)
		row.days_overdue = date_diff(on, row.target_date) if late else None
	return data


def get_columns() -> list[dict]:
	return [
		column(_("Improvement"), "improvement", "Link", 130, options="SMO Improvement"),
		column(_("Title"), "title", "Data", 260),
		column(_("Service"), "service", "Link", 110, options="SMO Service"),
		column(_("Source"), "source", "Data", 130),
		column(_("Priority"), "priority", "Data", 80),
		column(_("Owner"), "owner_name", "Data", 180),
		column(_("Status"), "status", "Data", 100),
		column(_("Target Date"), "target_date", "Date", 110),
		column(_("Days Overdue"), "days_overdue", "Int", 110),
		column(_("Expected Benefit"), "expected_benefit", "Data", 260),
		column(_("Measured Benefit"), "measured_benefit", "Data", 260),
	]


def get_chart(data: list[dict], filters) -> dict | None:
	"""Open items by status or by service, stacked on time / overdue."""
	open_rows = [row for row in data if row.status in OPEN_STATUSES]
	if not open_rows:
		return None
	key = CHART_GROUPS[filters.get("group_by") or "Status"]
	if key == "status":
		labels = [s for s in OPEN_STATUSES if any(row.status == s for row in open_rows)]
	else:
		labels = sorted({row.service or _("(none)") for row in open_rows})
	counts = {late: dict.fromkeys(labels, 0) for late in (0, 1)}
	for row in open_rows:
		counts[row.is_overdue][row.get(key) or _("(none)")] += 1
	return {
		"data": {
			"labels": [_(label) if key == "status" else label for label in labels],
			"datasets": [
				{"name": _("On Time"), "values": list(counts[0].values())},
				{"name": _("Overdue"), "values": list(counts[1].values())},
			],
		},
		"type": "bar",
		"colors": ["#2490ef", "#e24c4c"],
		"barOptions": {"stacked": 1, "spaceRatio": 0.4},
	}


def get_summary(filters, on: date) -> list[dict]:
	i, query = filtered(filters)

	def count(condition):
		return Sum(Case().when(condition, 1).else_(0))

	since = add_days(on, -THROUGHPUT_DAYS)
	done = i.status == "Done"
	totals = (
		query.select(
			count(i.status.isin(OPEN_STATUSES)).as_("open"),
			count(done).as_("done"),
			count(overdue(i, on)).as_("overdue"),
			count(i.status == "Rejected").as_("rejected"),
			count(done & (i.completed_on >= since) & (i.completed_on <= on)).as_("throughput"),
		).run(as_dict=True)
	)[0]
	value = {key: int(totals.get(key) or 0) for key in ("open", "done", "overdue", "rejected", "throughput")}
	return [
		{"label": _("Open"), "value": value["open"], "datatype": "Int", "indicator": "Blue"},
		count_summary(_("Overdue"), value["overdue"]),
		{"label": _("Done"), "value": value["done"], "datatype": "Int", "indicator": "Green"},
		{"label": _("Rejected"), "value": value["rejected"], "datatype": "Int"},
		{
			"label": _("Done in the Last {0} Days").format(THROUGHPUT_DAYS),
			"value": value["throughput"],
			"datatype": "Int",
			"indicator": "Green",
		},
	]
