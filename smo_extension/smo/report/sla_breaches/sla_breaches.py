# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""SLA Breaches: every clock whose target was crossed in the period, with how late it is, team and agent."""

import json

import frappe
from frappe import _

from smo_extension.query import fields
from smo_extension.scaleout import heavy_read
from smo_extension.sla.ticket import clocks_with_tickets
from smo_extension.smo.report.column_catalog import columns
from smo_extension.smo.report.column_catalog import source_column_keys
from smo_extension.smo.report.columns import chart
from smo_extension.smo.report.columns import count_summary
from smo_extension.smo.report.columns import full_names
from smo_extension.smo.report.columns import summary
from smo_extension.smo.report.filters import clean_filters
from smo_extension.smo.report.filters import sources
from smo_extension.smo.report.sla_compliance.sla_compliance import CLOCK_FILTERS
from smo_extension.smo.report.sla_compliance.sla_compliance import period

FILTERS = CLOCK_FILTERS


@heavy_read
def execute(filters: dict | None = None):
	filters = clean_filters(filters, FILTERS)
	data = get_data(filters)
	return get_columns(), data, None, get_chart(data), get_summary(data)


def get_data(filters) -> list[dict]:
	start, end = period(filters)
	data: list[dict] = []
	for doctype in sources(filters):
		data += breaches_of(doctype, filters, start, end)
	names = full_names(agent for row in data for agent in row.agents)
	for row in data:
		row.agent = ", ".join(names.get(agent, agent) for agent in row.pop("agents"))
	data.sort(key=lambda r: str(r.breached_at), reverse=True)
	return data


def breaches_of(doctype: str, filters, start: str, end: str) -> list[dict]:
	"""The period's breaches of the clocks of one source (HD Ticket or Issue), with the ticket's subject and
	assignees."""
	base, s, t = clocks_with_tickets(doctype)
	data: list[dict] = []
	for metric in ("response", "resolution"):
		if filters.get("metric") and filters.get("metric").lower() != metric:
			continue
		breached_at = s[f"{metric}_breached_at"]
		query = (
			base.select(
				s.ticket_doctype,
				s.ticket,
				t.subject,
				t._assign.as_("assign"),
				*fields(s, "service customer team priority agreement agreement_type"),
				s[f"{metric}_target_minutes"].as_("target_minutes"),
				s[f"{metric}_elapsed_minutes"].as_("elapsed_minutes"),
				breached_at.as_("breached_at"),
				s[f"{metric}_stopped_at"].as_("stopped_at"),
				s[f"{metric}_state"].as_("state"),
			)
			.where((breached_at >= start) & (breached_at < end))
			.orderby(breached_at, order=frappe.qb.desc)
		)
		for field in ("service", "customer", "team", "priority", "agreement_type"):
			if filters.get(field):
				query = query.where(s[field] == filters.get(field))
		for row in query.run(as_dict=True):
			row.metric = _(metric.title())
			row.late_minutes = round((row.elapsed_minutes or 0) - (row.target_minutes or 0), 1)
			row.agents = json.loads(row.pop("assign") or "[]")
			row.still_open = 0 if row.stopped_at else 1
			data.append(row)
	return data


def get_columns() -> list[dict]:
	return columns(
		f"{source_column_keys()} subject metric service customer team agent ticket_priority agreement target_minutes late_minutes breached_at stopped_at still_open"
	)


def get_chart(data: list[dict]) -> dict | None:
	if not data:
		return None
	by_service: dict[str, int] = {}
	for row in data:
		by_service[row.service or _("(none)")] = by_service.get(row.service or _("(none)"), 0) + 1
	labels = sorted(by_service, key=lambda k: -by_service[k])[:10]
	return chart(labels, {_("Breaches"): [by_service[k] for k in labels]}, "bar", colors=["#e24c4c"])


def hours_minutes(minutes: float) -> str:
	total = round(minutes or 0)
	return f"{total // 60}h {total % 60:02d}m"


def get_summary(data: list[dict]) -> list[dict]:
	open_now = sum(1 for r in data if r.still_open)
	lates = sorted(r.late_minutes for r in data)
	median = lates[len(lates) // 2] if lates else 0
	return [
		count_summary(_("Breaches"), len(data)),
		count_summary(_("Still Open"), open_now),
		summary(_("Median Lateness (business time)"), hours_minutes(median), "Blue", "Data"),
	]
