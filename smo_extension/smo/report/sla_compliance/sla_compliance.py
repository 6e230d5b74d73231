# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""SLA Compliance: met ÷ (met + breached) per service, customer, team, priority or agreement for a period.

Met counts clocks that stopped within target in the period; breached counts clocks whose target was crossed
in the period, running or not; running counts clocks opened in the period that are still running. Operation
narrows it to the tickets opened inside a hypercare window (their clocks name the liaison) or to the others.
A group's target is what its agreements promised for the clocks they judged in it (each agreement's compliance
target weighted by its met + breached clocks in the group), so a group of several agreements is measured
against their mix, not the strictest one. Priorities come in Helpdesk's order (most urgent first), other groups
by name.
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.query_builder.functions import Sum
from frappe.utils import add_days
from frappe.utils import flt
from frappe.utils import getdate
from pypika.terms import Case

from smo_extension import helpdesk_compat
from smo_extension.engine.compliance import compliance_percent
from smo_extension.engine.compliance import weighted_target
from smo_extension.scaleout import heavy_read
from smo_extension.smo.report.column_catalog import columns
from smo_extension.smo.report.columns import chart
from smo_extension.smo.report.columns import count_summary
from smo_extension.smo.report.columns import link_column
from smo_extension.smo.report.columns import percent_summary
from smo_extension.smo.report.columns import summary
from smo_extension.smo.report.filters import SOURCE_OPTIONS
from smo_extension.smo.report.filters import Date
from smo_extension.smo.report.filters import Link
from smo_extension.smo.report.filters import Select
from smo_extension.smo.report.filters import clean_filters

GROUPS = {
	"Service": "service",
	"Customer": "customer",
	"Team": "team",
	"Priority": "priority",
	"Agreement": "agreement",
}
GROUP_DOCTYPES = {
	"Service": "SMO Service",
	"Customer": "HD Customer",
	"Team": "HD Team",
	"Priority": "HD Ticket Priority",
	"Agreement": "SMO Service Level Agreement",
}
RUNNING_STATES = ("Running", "At Risk", "Paused")
HYPERCARE, NORMAL = "Hypercare", "Normal Operation"
# The filters of the reports over SMO Ticket SLA rows: a period, a metric and the scope of the clocks.
CLOCK_FILTERS = {
	"from_date": Date("From Date"),
	"to_date": Date("To Date"),
	"metric": Select("Metric", options=("Resolution", "Response")),
	"service": Link("Service", doctype="SMO Service"),
	"customer": Link("Customer", doctype="HD Customer"),
	"team": Link("Team", doctype="HD Team"),
	"priority": Link("Priority", doctype="HD Ticket Priority"),
	"agreement_type": Select("Agreement Type", options=("SLA", "OLA")),
	# Helpdesk tickets, ERPNext Issues (where ERPNext is installed), or both (blank)
	"source": Select("Source", options=SOURCE_OPTIONS),
}
FILTERS = {
	"group_by": Select("Group By", options=tuple(GROUPS)),
	**CLOCK_FILTERS,
	"agreement": Link("Agreement", doctype="SMO Service Level Agreement"),
	"operation": Select("Operation", options=(HYPERCARE, NORMAL)),
}


@heavy_read
def execute(filters: dict | None = None):
	filters = clean_filters(filters, FILTERS)
	data = get_data(filters)
	return get_columns(filters), data, None, get_chart(data), get_summary(data)


def period(filters) -> tuple:
	to_date = getdate(filters.get("to_date") or frappe.utils.today())
	from_date = getdate(filters.get("from_date") or add_days(to_date, -30))
	if from_date > to_date:
		frappe.throw(_("From Date must be on or before To Date."))
	# [from 00:00, day after to 00:00)
	return str(from_date), str(add_days(to_date, 1))


def get_data(filters) -> list[dict]:
	group = GROUPS.get(filters.get("group_by") or "Service", "service")
	metric = "response" if filters.get("metric") == "Response" else "resolution"
	start, end = period(filters)
	s = frappe.qb.DocType("SMO Ticket SLA")
	state, stopped, breached_at = s[f"{metric}_state"], s[f"{metric}_stopped_at"], s[f"{metric}_breached_at"]
	met = Sum(Case().when((state == "Met") & (stopped >= start) & (stopped < end), 1).else_(0))
	breached = Sum(Case().when((breached_at >= start) & (breached_at < end), 1).else_(0))
	running = Sum(
		Case().when(state.isin(RUNNING_STATES) & (s.opened_at >= start) & (s.opened_at < end), 1).else_(0)
	)
	query = (
		frappe.qb.from_(s)
		.select(
			s[group].as_("group_value"),
			s.agreement,
			met.as_("met"),
			breached.as_("breached"),
			running.as_("running"),
			Count("*").as_("clocks"),
		)
		.groupby(s[group], s.agreement)
	)
	for field in ("service", "customer", "team", "priority", "agreement_type", "agreement"):
		if filters.get(field):
			query = query.where(s[field] == filters.get(field))
	if filters.get("source"):
		query = query.where(s.ticket_doctype == filters.get("source"))
	query = where_operation(query, s, filters.get("operation"))
	rows = query.run(as_dict=True)

	targets = dict(
		frappe.get_all(
			"SMO Service Level Agreement",
			filters={"name": ("in", list({r.agreement for r in rows}) or [""])},
			fields=["name", "compliance_target"],
			as_list=True,
		)
	)
	groups: dict[str, dict] = {}
	for row in rows:
		g = groups.setdefault(
			row.group_value or "",
			{
				"group_value": row.group_value or _("(none)"),
				"met": 0,
				"breached": 0,
				"running": 0,
				"parts": [],
			},
		)
		met, breached = int(row.met or 0), int(row.breached or 0)
		g["met"] += met
		g["breached"] += breached
		g["running"] += int(row.running or 0)
		target = targets.get(row.agreement)
		g["parts"].append((flt(target) if target is not None else None, met + breached))
	order = group_order(filters.get("group_by") or "Service")
	data = []
	for _key, g in sorted(groups.items(), key=lambda item: order(item[0])):
		if not (g["met"] or g["breached"] or g["running"]):
			continue
		g["target"] = weighted_target(g.pop("parts"))
		g["compliance"] = compliance_percent(g["met"], g["breached"])
		g["gap"] = (
			round(g["compliance"] - g["target"], 2)
			if g["compliance"] is not None and g["target"] is not None
			else None
		)
		if g["target"] is not None:
			g["target"] = round(g["target"], 2)
		data.append(g)
	return data


def where_operation(query, clocks, operation: str | None):
	"""Only the clocks of tickets opened in hypercare, or only the others."""
	in_hypercare = clocks.hypercare_liaison.isnotnull() & (clocks.hypercare_liaison != "")
	if operation == HYPERCARE:
		return query.where(in_hypercare)
	if operation == NORMAL:
		return query.where(clocks.hypercare_liaison.isnull() | (clocks.hypercare_liaison == ""))
	return query


def group_order(group_by: str):
	"""The sort key of a group value: Helpdesk's priority order (most urgent first, `helpdesk_compat`) for
	priorities, the name otherwise; the empty group last."""
	if group_by != "Priority":
		return lambda value: (not value, str(value))
	rank = helpdesk_compat.priority_ranks()
	return lambda value: (not value, rank.get(value) is None, rank.get(value) or 0, str(value))


def get_columns(filters) -> list[dict]:
	group_by = filters.get("group_by") or "Service"
	return [
		link_column(_(group_by), "group_value", GROUP_DOCTYPES[group_by], width=220),
		*columns("met breached running compliance target gap_points"),
	]


def get_chart(data: list[dict]) -> dict | None:
	rows = [d for d in data if d["compliance"] is not None]
	if not rows:
		return None
	return chart(
		[str(d["group_value"]) for d in rows],
		{
			_("Compliance %"): [round(d["compliance"], 1) for d in rows],
			_("Target %"): [d["target"] or 0 for d in rows],
		},
		"bar",
		colors=["#2490ef", "#e24c4c"],
		barOptions={"spaceRatio": 0.3},
	)


def get_summary(data: list[dict]) -> list[dict]:
	met = sum(d["met"] for d in data)
	breached = sum(d["breached"] for d in data)
	running = sum(d["running"] for d in data)
	overall = compliance_percent(met, breached)
	below = [d for d in data if d["gap"] is not None and d["gap"] < 0]
	return [
		percent_summary(_("Compliance"), overall, not below),
		summary(_("Met"), met, "Green"),
		summary(_("Breached"), breached, "Red"),
		summary(_("Running"), running),
		count_summary(_("Below Target"), len(below)),
	]
