"""The aggregate queries behind the KPI metrics: one `frappe.qb` query per source and period, whatever the
number of definitions it serves (never a query per ticket). Each returns partial rows, grouped by the scope
columns the query plan asks for, with the numbers `smo_extension.engine.kpi` rolls up.

What each source counts, for a period [start, end) in the SMO's time zone (instants compared in the site's
time zone, as Frappe stores them; dates compared as the period's local dates):

- `resolution_clocks` / `response_clocks`, SMO Ticket SLA rows of the scope (agreement type SLA unless the
  definition says OLA): met = state Met and stopped_at in the period; breached = breached_at in the period;
  stopped = stopped_at in the period; stopped_minutes = the sum of their elapsed business minutes.
- `resolution_minutes`: the elapsed business minutes of the resolution clocks stopped in the period, as
  (minutes, count) pairs.
- `ticket_flow`, from the SMO Ticket Event log (status_category events, in event time then write order):
  resolved = tickets with a change *to* Resolved in the period; reopened = tickets with a change *from*
  Resolved (to Open or Paused) in the period; rated / satisfied = of the resolved tickets, those whose Helpdesk
  rating (HD Ticket.feedback_rating, 0-1: five stars = 1) is above 0 / at least 0.8 (4 of 5).
- `backlog`: tickets whose last status_category event before the end is not Resolved (open = Open or Paused
  at the end); aged = those of them created more than 30 days (local calendar days) before the end.
- `volume`: HD Tickets created in the period.
- `policies`: SMO Policy versions Published, not superseded, effective from the period's last day or earlier
  (or no date); current = their next review is not before the period's last day (or none is set).
- `catalog`: SMO Services in the Catalog stage with status Live; complete = with an owner, an Active
  agreement valid on the period's last day, and last reviewed on or after the day 12 months before the
  period's last day. (Policies and the catalog keep no history: both are judged as they stand when the
  period is measured, against the period's last day.)
- `improvements`: SMO Improvements Done with completed_on in the period.

Ticket metrics are scoped by the ticket's current values: HD Ticket smo_service, customer, agent_group (team)
and priority. Clock metrics by the clock row's own service, customer, team, priority and agreement type.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta

import frappe
from frappe.query_builder.functions import Count
from frappe.query_builder.functions import Sum
from frappe.utils import add_months
from pypika import Order
from pypika import analytics as an
from pypika.terms import Case

from smo_extension.engine import kpi as engine
from smo_extension.sla.ticket import naive

RESOLVED = "Resolved"
SATISFIED_RATING = 0.8  # 4 of 5 stars on Helpdesk's 0-1 scale
AGED_DAYS = 30

# scope field -> column, per table
CLOCK_COLUMNS = {f: f for f in engine.SCOPE_FIELDS}
TICKET_COLUMNS = {
	"service": "smo_service",
	"customer": "customer",
	"team": "agent_group",
	"priority": "priority",
}
SERVICE_COLUMNS = {"service": "service"}
CLOCK_SOURCES = ("resolution_clocks", "response_clocks", "resolution_minutes")


@dataclass(frozen=True)
class Window:
	"""A period as the queries need it: local dates and naive site-time instants."""

	first_day: date
	last_day: date
	timezone: str
	start: datetime
	end: datetime
	aged_before: datetime


def window(first_day: date, last_day: date, timezone: str) -> Window:
	following = last_day + timedelta(days=1)
	return Window(
		first_day=first_day,
		last_day=last_day,
		timezone=timezone,
		start=naive(engine.local_midnight(first_day, timezone)),
		end=naive(engine.local_midnight(following, timezone)),
		aged_before=naive(engine.local_midnight(following - timedelta(days=AGED_DAYS), timezone)),
	)


def source_dims(source: str) -> tuple[str, ...]:
	"""The scope fields a source can narrow by."""
	if source in CLOCK_SOURCES:
		return tuple(CLOCK_COLUMNS)
	if source in ("ticket_flow", "backlog", "volume"):
		return tuple(TICKET_COLUMNS)
	if source == "improvements":
		return tuple(SERVICE_COLUMNS)
	return ()


def tuned(source: str, plan: engine.QueryPlan) -> engine.QueryPlan:
	"""The plan as the database runs it fastest. An agreement type alone selects about half of SMO Ticket SLA:
	MariaDB then ranges over the (agreement_type, service, ...) compliance index and looks every row up (20x
	slower than reading the table), so without a service to narrow it the agreement type is grouped by, not
	filtered on. The result is the same: each definition rolls up the groups of its own agreement type."""
	if source not in CLOCK_SOURCES or "agreement_type" not in plan.filters or "service" in plan.filters:
		return plan
	return engine.QueryPlan(
		{k: v for k, v in plan.filters.items() if k != "agreement_type"},
		tuple(f for f in engine.SCOPE_FIELDS if f in plan.group_by or f == "agreement_type"),
		{k: v for k, v in plan.constants.items() if k != "agreement_type"},
	)


def fetch(source: str, w: Window, plan: engine.QueryPlan) -> list[dict]:
	"""The partial rows of `source` for the window, narrowed and grouped as `plan` says; each row carries
	the plan's constants too."""
	plan = tuned(source, plan)
	rows = FETCHERS[source](w, plan)
	if plan.constants:
		for row in rows:
			row.update(plan.constants)
	return rows


def _scoped(query, table, columns: dict[str, str], plan: engine.QueryPlan, extra_group=()):
	"""The query narrowed by the plan's filters, grouped by its group_by dims (selected under the dims'
	names) and by `extra_group`."""
	for dim, values in plan.filters.items():
		column = table[columns[dim]]
		query = query.where(column == values[0]) if len(values) == 1 else query.where(column.isin(values))
	group = [table[columns[dim]] for dim in plan.group_by]
	if group or extra_group:
		query = query.select(*(c.as_(d) for c, d in zip(group, plan.group_by, strict=True))).groupby(
			*group, *extra_group
		)
	return query


def _run(query) -> list[dict]:
	return [dict(row) for row in query.run(as_dict=True)]


# ------------------------------------------------------------------------------------------- clocks
def _clock_rows(kind: str):
	def fetch_clocks(w: Window, plan: engine.QueryPlan) -> list[dict]:
		s = frappe.qb.DocType("SMO Ticket SLA")
		state, stopped, breached_at = s[f"{kind}_state"], s[f"{kind}_stopped_at"], s[f"{kind}_breached_at"]
		elapsed = s[f"{kind}_elapsed_minutes"]
		stopped_in = (stopped >= w.start) & (stopped < w.end)
		breached_in = (breached_at >= w.start) & (breached_at < w.end)
		query = (
			frappe.qb.from_(s)
			.select(
				Sum(Case().when((state == "Met") & stopped_in, 1).else_(0)).as_("met"),
				Sum(Case().when(breached_in, 1).else_(0)).as_("breached"),
				Sum(Case().when(stopped_in, 1).else_(0)).as_("stopped"),
				Sum(Case().when(stopped_in, elapsed).else_(0)).as_("stopped_minutes"),
			)
			.where(stopped_in | breached_in)
		)
		return _run(_scoped(query, s, CLOCK_COLUMNS, plan))

	return fetch_clocks


def fetch_resolution_minutes(w: Window, plan: engine.QueryPlan) -> list[dict]:
	s = frappe.qb.DocType("SMO Ticket SLA")
	minutes = s.resolution_elapsed_minutes
	query = (
		frappe.qb.from_(s)
		.select(minutes.as_("minutes"), Count("*").as_("count"))
		.where((s.resolution_stopped_at >= w.start) & (s.resolution_stopped_at < w.end))
	)
	return _run(_scoped(query, s, CLOCK_COLUMNS, plan, extra_group=(minutes,)))


# ------------------------------------------------------------------------------------------- tickets
def fetch_ticket_flow(w: Window, plan: engine.QueryPlan) -> list[dict]:
	e = frappe.qb.DocType("SMO Ticket Event")
	touched = frappe.qb.DocType("SMO Ticket Event").as_("touched")
	previous = an.Lag(e["value"]).over(e.ticket).orderby(e.event_time, e.creation)
	moves = (
		frappe.qb.from_(e)
		.select(e.ticket, e.event_time, e["value"].as_("value"), previous.as_("previous"))
		.where(
			(e["field"] == "status_category")
			& (e.event_time < w.end)
			& e.ticket.isin(
				frappe.qb.from_(touched)
				.select(touched.ticket)
				.distinct()
				.where(
					(touched["field"] == "status_category")
					& (touched.event_time >= w.start)
					& (touched.event_time < w.end)
				)
			)
		)
	).as_("moves")
	t = frappe.qb.DocType("HD Ticket")
	into_resolved = (moves.value == RESOLVED) & (moves.previous.isnull() | (moves.previous != RESOLVED))
	out_of_resolved = (moves.value != RESOLVED) & (moves.previous == RESOLVED)

	def tickets(condition):
		return Count(Case().when(condition, moves.ticket)).distinct()

	query = (
		frappe.qb.from_(moves)
		.join(t)
		.on(t.name == moves.ticket)
		.select(
			tickets(into_resolved).as_("resolved"),
			tickets(out_of_resolved).as_("reopened"),
			tickets(into_resolved & (t.feedback_rating > 0)).as_("rated"),
			tickets(into_resolved & (t.feedback_rating >= SATISFIED_RATING)).as_("satisfied"),
		)
		.where(moves.event_time >= w.start)
	)
	return _run(_scoped(query, t, TICKET_COLUMNS, plan))


def fetch_backlog(w: Window, plan: engine.QueryPlan) -> list[dict]:
	e = frappe.qb.DocType("SMO Ticket Event")
	latest = (
		an.RowNumber()
		.over(e.ticket)
		.orderby(e.event_time, order=Order.desc)
		.orderby(e.creation, order=Order.desc)
	)
	last = (
		frappe.qb.from_(e)
		.select(e.ticket, e["value"].as_("value"), latest.as_("position"))
		.where((e["field"] == "status_category") & (e.event_time < w.end))
	).as_("last")
	t = frappe.qb.DocType("HD Ticket")
	query = (
		frappe.qb.from_(last)
		.join(t)
		.on(t.name == last.ticket)
		.select(
			Count("*").as_("open"),
			Sum(Case().when(t.creation < w.aged_before, 1).else_(0)).as_("aged"),
		)
		.where((last.position == 1) & (last.value != RESOLVED))
	)
	return _run(_scoped(query, t, TICKET_COLUMNS, plan))


def fetch_volume(w: Window, plan: engine.QueryPlan) -> list[dict]:
	t = frappe.qb.DocType("HD Ticket")
	query = (
		frappe.qb.from_(t)
		.select(Count("*").as_("opened"))
		.where((t.creation >= w.start) & (t.creation < w.end))
	)
	return _run(_scoped(query, t, TICKET_COLUMNS, plan))


# ------------------------------------------------------------------------------------------- governance
def fetch_policies(w: Window, plan: engine.QueryPlan) -> list[dict]:
	p = frappe.qb.DocType("SMO Policy")
	current = p.next_review_due.isnull() | (p.next_review_due >= w.last_day)
	query = (
		frappe.qb.from_(p)
		.select(Count("*").as_("published"), Sum(Case().when(current, 1).else_(0)).as_("current"))
		.where(
			(p.status == "Published")
			& (p.is_superseded == 0)
			& (p.effective_from.isnull() | (p.effective_from <= w.last_day))
		)
	)
	return _run(query)


def fetch_catalog(w: Window, plan: engine.QueryPlan) -> list[dict]:
	s = frappe.qb.DocType("SMO Service")
	a = frappe.qb.DocType("SMO Service Level Agreement")
	with_agreement = (
		frappe.qb.from_(a)
		.select(a.service)
		.distinct()
		.where(
			(a.status == "Active")
			& (a.valid_from.isnull() | (a.valid_from <= w.last_day))
			& (a.valid_to.isnull() | (a.valid_to >= w.last_day))
		)
	)
	complete = (
		s.service_owner.notnull()
		& (s.service_owner != "")
		& (s.last_reviewed_on >= add_months(w.last_day, -12))
		& s.name.isin(with_agreement)
	)
	query = (
		frappe.qb.from_(s)
		.select(Count("*").as_("live"), Sum(Case().when(complete, 1).else_(0)).as_("complete"))
		.where((s.lifecycle_stage == "Catalog") & (s.status == "Live"))
	)
	return _run(query)


def fetch_improvements(w: Window, plan: engine.QueryPlan) -> list[dict]:
	i = frappe.qb.DocType("SMO Improvement")
	query = (
		frappe.qb.from_(i)
		.select(Count("*").as_("done"))
		.where((i.status == "Done") & (i.completed_on >= w.first_day) & (i.completed_on <= w.last_day))
	)
	return _run(_scoped(query, i, SERVICE_COLUMNS, plan))


FETCHERS = {
	"resolution_clocks": _clock_rows("resolution"),
	"response_clocks": _clock_rows("response"),
	"resolution_minutes": fetch_resolution_minutes,
	"ticket_flow": fetch_ticket_flow,
	"backlog": fetch_backlog,
	"volume": fetch_volume,
	"policies": fetch_policies,
	"catalog": fetch_catalog,
	"improvements": fetch_improvements,
}
