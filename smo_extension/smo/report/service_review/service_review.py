# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""Service Review: the page an SMO opens before a service review. Per live service (lifecycle stage Catalog):
owner, stage, active agreements, resolution SLA compliance in the period (by default the last full month)
against its target and, beside it,
the watermelon check (CSAT and reopen rate, flagged when compliance is green but either is Red), the RAG of
the service's KPIs, open tickets, open breaches, open improvements, PMO liaisons in flight and the next
review date. The rules are in `smo_extension.kpi.review`.
"""

from frappe import _
from frappe.utils import add_days
from frappe.utils import getdate
from frappe.utils import today

from smo_extension.kpi.review import service_review
from smo_extension.scaleout import heavy_read
from smo_extension.smo.report.column_catalog import columns
from smo_extension.smo.report.columns import chart
from smo_extension.smo.report.columns import count_summary
from smo_extension.smo.report.columns import full_names
from smo_extension.smo.report.columns import summary
from smo_extension.smo.report.filters import Date
from smo_extension.smo.report.filters import Link
from smo_extension.smo.report.filters import clean_filters

FILTERS = {
	"from_date": Date("From Date"),
	"to_date": Date("To Date"),
	"service": Link("Service", doctype="SMO Service"),
	"service_owner": Link("Service Owner", doctype="User"),
}


@heavy_read
def execute(filters: dict | None = None):
	filters = clean_filters(filters, FILTERS)  # a period that ends before it starts is refused here too
	data = get_data(filters)
	return get_columns(), data, None, get_chart(data), get_summary(data)


def last_month() -> tuple:
	"""The last full month (the default period)."""
	first_of_this = getdate(today()).replace(day=1)
	last_day = add_days(first_of_this, -1)
	return getdate(last_day).replace(day=1), getdate(last_day)


def period(filters) -> tuple:
	default_from, default_to = last_month()
	to_date = getdate(filters.to_date) if filters.to_date else default_to
	from_date = (
		getdate(filters.from_date)
		if filters.from_date
		else (to_date.replace(day=1) if filters.to_date else default_from)
	)
	return from_date, to_date


def get_data(filters) -> list[dict]:
	rows = service_review(*period(filters), service=filters.service, service_owner=filters.service_owner)
	names = full_names(r["service_owner"] for r in rows)
	for row in rows:
		row["owner_name"] = names.get(row["service_owner"], row["service_owner"])
		row["stage"] = f"{_(row['lifecycle_stage'])} / {_(row['status'])}"
		row["watermelon_flag"] = _("Watermelon") if row["watermelon"] else ""
		row["agreement_types"] = row["agreement_types"] or _("none")
		row["kpi_counts"] = " / ".join(
			str(row[k]) for k in ("kpi_green", "kpi_amber", "kpi_red", "kpi_no_data")
		)
	return rows


def get_columns() -> list[dict]:
	def col(label, fieldname, fieldtype="Data", width=100, **extra):
		return {"label": _(label), "fieldname": fieldname, "fieldtype": fieldtype, "width": width, **extra}

	return columns(
		"service service_name owner_name stage agreement_types compliance target gap csat reopen_rate watermelon_flag kpi_counts open_tickets open_breaches open_improvements liaisons_in_flight next_review_date"
	)


def get_chart(data: list[dict]) -> dict | None:
	rows = [d for d in data if d["compliance"] is not None or d["csat"] is not None]
	if not rows:
		return None
	return chart(
		[d["service"] for d in rows],
		{
			_("Compliance %"): [round(d["compliance"] or 0, 1) for d in rows],
			_("Target %"): [d["target"] or 0 for d in rows],
			_("CSAT %"): [round(d["csat"] or 0, 1) for d in rows],
		},
		"bar",
		colors=["#2490ef", "#e24c4c", "#29cd42"],
		barOptions={"spaceRatio": 0.3},
	)


def get_summary(data: list[dict]) -> list[dict]:
	below = sum(1 for d in data if d["below_target"])
	watermelons = sum(1 for d in data if d["watermelon"])
	red_kpis = sum(d["kpi_red"] for d in data)
	return [
		summary(_("Live Services"), len(data)),
		count_summary(_("Below Target"), below),
		count_summary(_("Watermelons"), watermelons),
		count_summary(_("Red KPIs"), red_kpis),
		summary(_("Open Breaches"), sum(d["open_breaches"] for d in data), "Red"),
	]
