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
from frappe.utils import add_days
from frappe.utils import date_diff
from frappe.utils import getdate
from frappe.utils import today
from pypika.terms import Case

from smo_extension.query import fields
from smo_extension.scaleout import heavy_read
from smo_extension.smo.doctype.smo_improvement.smo_improvement import OPEN_STATUSES
from smo_extension.smo.doctype.smo_improvement.smo_improvement import is_overdue
from smo_extension.smo.report.column_catalog import columns
from smo_extension.smo.report.columns import chart
from smo_extension.smo.report.columns import count_summary
from smo_extension.smo.report.columns import full_names
from smo_extension.smo.report.columns import summary
from smo_extension.smo.report.filters import Check
from smo_extension.smo.report.filters import Link
from smo_extension.smo.report.filters import Select
from smo_extension.smo.report.filters import clean_filters

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


@heavy_read
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
			*fields(
				i,
				"title service source priority improvement_owner status target_date expected_benefit measured_benefit",
			),
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
	return columns(
		"improvement title service source priority owner_name status target_date days_overdue expected_benefit measured_benefit"
	)


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
	return chart(
		[_(label) if key == "status" else label for label in labels],
		{_("On Time"): list(counts[0].values()), _("Overdue"): list(counts[1].values())},
		"bar",
		colors=["#2490ef", "#e24c4c"],
		barOptions={"stacked": 1, "spaceRatio": 0.4},
	)


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
		summary(_("Open"), value["open"]),
		count_summary(_("Overdue"), value["overdue"]),
		summary(_("Done"), value["done"], "Green"),
		{"label": _("Rejected"), "value": value["rejected"], "datatype": "Int"},
		summary(_("Done in the Last {0} Days").format(THROUGHPUT_DAYS), value["throughput"], "Green"),
	]
