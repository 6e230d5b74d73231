# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""Policy Review Status: every published document (current versions) with its next review, whether that review
is overdue, due soon (within the reminder period of SMO Settings) or on track, by owner and framework.

Review compliance = published documents not past their review date ÷ all published documents.
"""

import frappe
from frappe import _
from frappe.utils import date_diff
from frappe.utils import getdate
from frappe.utils import today

from smo_extension.scaleout import heavy_read
from smo_extension.smo.doctype.smo_policy.smo_policy import DUE_SOON
from smo_extension.smo.doctype.smo_policy.smo_policy import OVERDUE
from smo_extension.smo.doctype.smo_policy.smo_policy import review_state
from smo_extension.smo.doctype.smo_policy.smo_policy import warning_days
from smo_extension.smo.report.column_catalog import columns
from smo_extension.smo.report.columns import chart
from smo_extension.smo.report.columns import count_summary
from smo_extension.smo.report.columns import full_names
from smo_extension.smo.report.columns import percent_summary
from smo_extension.smo.report.columns import summary
from smo_extension.smo.report.filters import Date
from smo_extension.smo.report.filters import Link
from smo_extension.smo.report.filters import Select
from smo_extension.smo.report.filters import clean_filters

ON_TRACK = "On Track"
STATES = (OVERDUE, DUE_SOON, ON_TRACK)
CHART_GROUPS = {
	"Owner": "owner_name",
	"Framework": "framework",
	"Practice": "practice_name",
	"Document Type": "document_type",
}

FILTERS = {
	"as_of": Date("As Of"),
	"group_by": Select("Chart By", options=tuple(CHART_GROUPS)),
	"review_state": Select("Review State", options=STATES),
	"policy_owner": Link("Owner", doctype="User"),
	"framework": Select("Framework", options=("ITIL 4", "ISO/IEC 20000-1:2018", "Other")),
	"framework_practice": Link("Practice or Clause", doctype="SMO Framework Practice"),
	"document_type": Select(
		"Document Type", options=("Policy", "Process", "Procedure", "Standard", "Guideline")
	),
}


@heavy_read
def execute(filters: dict | None = None):
	filters = clean_filters(filters, FILTERS)
	rows = get_data(filters)
	# The summary counts every document the other filters keep; the Review State filter narrows the table.
	state = filters.get("review_state")
	data = [row for row in rows if row.review_state == state] if state else rows
	return get_columns(), data, None, get_chart(data, filters), get_summary(rows)


def get_data(filters) -> list[dict]:
	on = getdate(filters.get("as_of") or today())
	days = warning_days()
	p = frappe.qb.DocType("SMO Policy")
	fp = frappe.qb.DocType("SMO Framework Practice")
	query = (
		frappe.qb.from_(p)
		.left_join(fp)
		.on(fp.name == p.framework_practice)
		.select(
			p.name.as_("policy"),
			p.title,
			p.document_type,
			p.version,
			p.policy_owner,
			fp.framework,
			p.framework_practice,
			fp.practice_name,
			p.effective_from,
			p.last_reviewed_on,
			p.next_review_due,
		)
		.where((p.status == "Published") & (p.is_superseded == 0))
		.orderby(p.next_review_due)
		.orderby(p.name)
	)
	for field in ("policy_owner", "framework_practice", "document_type"):
		if filters.get(field):
			query = query.where(p[field] == filters.get(field))
	if filters.get("framework"):
		query = query.where(fp.framework == filters.get("framework"))
	data = []
	rows = query.run(as_dict=True)
	names = full_names(row.policy_owner for row in rows)
	for row in rows:
		row.owner_name = names.get(row.policy_owner, row.policy_owner)
		row.review_state = review_state(row.next_review_due, on, days) or ON_TRACK
		row.days_to_due = date_diff(row.next_review_due, on) if row.next_review_due else None
		row.framework = row.framework or _("(none)")
		row.practice_name = row.practice_name or _("(none)")
		data.append(row)
	return data


def get_columns() -> list[dict]:
	return columns(
		"policy title document_type version owner_name framework framework_practice last_reviewed_on next_review_due days_to_due review_state"
	)


def get_chart(data: list[dict], filters) -> dict | None:
	if not data:
		return None
	key = CHART_GROUPS[filters.get("group_by") or "Owner"]
	groups = sorted({str(row.get(key) or _("(none)")) for row in data})
	counts = {state: dict.fromkeys(groups, 0) for state in STATES}
	for row in data:
		counts[row.review_state][str(row.get(key) or _("(none)"))] += 1
	return chart(
		groups,
		{
			s["name"]: s["values"]
			for s in [{"name": _(state), "values": list(counts[state].values())} for state in STATES]
		},
		"bar",
		colors=["#e24c4c", "#f39c12", "#29cd42"],
		barOptions={"stacked": 1, "spaceRatio": 0.4},
	)


def get_summary(data: list[dict]) -> list[dict]:
	published = len(data)
	overdue = sum(1 for row in data if row.review_state == OVERDUE)
	due_soon = sum(1 for row in data if row.review_state == DUE_SOON)
	compliance = round(100.0 * (published - overdue) / published, 1) if published else None
	return [
		percent_summary(_("Review Compliance"), compliance, not overdue),
		summary(_("Published"), published),
		count_summary(_("Overdue"), overdue),
		summary(_("Due Soon"), due_soon),
		summary(_("On Track"), published - overdue - due_soon, "Green"),
	]
