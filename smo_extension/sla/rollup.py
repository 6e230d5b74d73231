"""The daily rollup of the SLA clocks (SMO SLA Day), so SLA Compliance answers at any size.

One row per day, metric and scope (source, service, agreement, agreement type, priority, customer, team,
hypercare or not): the clocks started that day and those of them still running, the clocks stopped that day
(met among them, their business and paused minutes) and the clocks whose target was crossed that day. SLA
Compliance's met / breached / running for a period are sums of these rows, exactly what the clock rows give.

Kept by the clock writes' own job, never by the save:
- every write of clock rows (a save, a job's chunk) marks its tickets after the commit (a Redis set); the
  deletes of clock rows mark the days those rows were counted under;
- `refresh` (every 5 minutes, and after a rebuild) takes the marked tickets, reads their rows' days (the days
  each was counted under, `rollup_days`, and the days it falls on now), recomputes each such day from the clock
  rows (three index range reads per day and metric) and replaces the day's rollup rows. A day is recomputed
  whole: two refreshes of one day both write what the clock rows say (rows keyed by their scope), and a change
  committed meanwhile marks its ticket again.

SLA Compliance reads the rollup once `active()`: on sites with `prepared_reports_from` clocks, after a full
rebuild (`rebuild`) has filled it.
"""

from __future__ import annotations

import hashlib
from datetime import date
from datetime import timedelta

import frappe
from frappe.query_builder.functions import Count
from frappe.query_builder.functions import Min
from frappe.query_builder.functions import Sum
from frappe.utils import getdate
from pypika.terms import Case

from smo_extension import scaleout
from smo_extension.query import insert_rows

DAY = "SMO SLA Day"
TICKET_SLA = "SMO Ticket SLA"
METRICS = ("response", "resolution")
METRIC_LABELS = {"response": "Response", "resolution": "Resolution"}
RUNNING_STATES = ("Running", "At Risk", "Paused")
# the scope of a rollup row, as SMO Ticket SLA names its columns
SCOPE = ("ticket_doctype", "service", "agreement", "agreement_type", "priority", "customer", "team")
COUNTS = ("started", "running", "stopped", "met", "breached", "elapsed_minutes", "paused_minutes")
TICKETS_KEY = "smo:rollup:tickets"
DAYS_KEY = "smo:rollup:days"
ACTIVE_KEY = "smo_rollup_active"  # a Frappe default: the rollup is complete and SLA Compliance reads it
CHUNK = 1000


# ------------------------------------------------------------------------------------------- marks
def mark_tickets(doctype: str, tickets: list[str]) -> None:
	"""The clock rows of `tickets` were written: their days are refreshed by the next `refresh` (after the
	commit; right away in tests, where nothing commits)."""
	if not tickets:
		return
	members = [f"{doctype}\x1f{t}" for t in tickets]
	_after_commit(lambda: frappe.cache.sadd(TICKETS_KEY, *members))


def mark_deleted(rows: list) -> None:
	"""Clock rows about to be deleted (with their `rollup_days`): the days they were counted under."""
	days = {d for row in rows for d in (row.get("rollup_days") or "").split(",") if d}
	if days:
		_after_commit(lambda: frappe.cache.sadd(DAYS_KEY, *sorted(days)))


def _after_commit(fn) -> None:
	if scaleout.inline_jobs():
		fn()
	else:
		frappe.db.after_commit.add(fn)


def _take(key: str) -> list[str]:
	"""The members of a mark set, removed from it (members added meanwhile stay for the next refresh)."""
	members = [m.decode() if isinstance(m, bytes) else m for m in frappe.cache.smembers(key)]
	if members:
		frappe.cache.srem(key, *members)
	return members


# ------------------------------------------------------------------------------------------- refresh
def refresh() -> int:
	"""Recompute the days of the marked tickets and deleted rows. Returns how many days were recomputed."""
	tickets, extra = _take(TICKETS_KEY), _take(DAYS_KEY)
	try:
		days = {getdate(d) for d in extra}
		s = frappe.qb.DocType(TICKET_SLA)
		by_doctype: dict[str, list[str]] = {}
		for member in tickets:
			doctype, _sep, name = member.partition("\x1f")
			by_doctype.setdefault(doctype, []).append(name)
		for doctype, names in by_doctype.items():
			for start in range(0, len(names), CHUNK):
				chunk = names[start : start + CHUNK]
				rows = (
					frappe.qb.from_(s)
					.select(s.name, s.rollup_days, *(s[c] for c in DATE_COLUMNS))
					.where((s.ticket_doctype == doctype) & s.ticket.isin(chunk))
					.run(as_dict=True)
				)
				updates: dict[str, list[str]] = {}
				for row in rows:
					now_days = clock_days(row)
					days |= now_days | {getdate(d) for d in (row.rollup_days or "").split(",") if d}
					value = ",".join(sorted(str(d) for d in now_days))
					if value != (row.rollup_days or ""):
						updates.setdefault(value, []).append(row.name)
				for value, names_ in updates.items():
					frappe.qb.update(s).set(s.rollup_days, value).where(s.name.isin(names_)).run()
		for day in sorted(days):
			refresh_day(day)
	except Exception:
		# marks come back for the next refresh
		frappe.db.rollback()
		if tickets:
			frappe.cache.sadd(TICKETS_KEY, *tickets)
		if extra:
			frappe.cache.sadd(DAYS_KEY, *extra)
		raise
	return len(days)


DATE_COLUMNS = ("opened_at", *(f"{m}_{c}" for m in METRICS for c in ("stopped_at", "breached_at")))


def clock_days(row) -> set[date]:
	return {getdate(row[c]) for c in DATE_COLUMNS if row.get(c)}


def refresh_day(day: date) -> None:
	"""Replace the rollup rows of `day` with what the clock rows say."""
	rows = compute_day(day)
	d = frappe.qb.DocType(DAY)
	frappe.qb.from_(d).delete().where(d.day == day).run()
	if rows:
		columns = [
			"name",
			"day",
			"metric",
			*SCOPE,
			"hypercare",
			*COUNTS,
			"creation",
			"modified",
			"owner",
			"modified_by",
			"docstatus",
		]
		stamp = frappe.utils.now_datetime()
		values = [
			(
				row_name(day, key),
				day,
				METRIC_LABELS[key[0]],
				*key[1:],
				*(counts[c] for c in COUNTS),
				stamp,
				stamp,
				"Administrator",
				"Administrator",
				0,
			)
			for key, counts in rows.items()
		]
		for start in range(0, len(values), 500):
			insert_rows(d, columns, values[start : start + 500], update=COUNTS)


def row_name(day: date, key: tuple) -> str:
	return hashlib.sha1("\x1f".join([str(day), *(str(k or "") for k in key)]).encode()).hexdigest()[:20]


def compute_day(day: date) -> dict[tuple, dict]:
	"""{(metric, *scope, hypercare): counts} of `day`, from the clock rows (index range reads)."""
	start, end = day, day + timedelta(days=1)
	s = frappe.qb.DocType(TICKET_SLA)
	hypercare = Case().when(s.hypercare_liaison.isnotnull() & (s.hypercare_liaison != ""), 1).else_(0)
	scope = [s[c] for c in SCOPE]
	out: dict[tuple, dict] = {}

	def add(metric: str, rows, names: tuple[str, ...]) -> None:
		for row in rows:
			key = (metric, *row[: len(SCOPE) + 1])
			counts = out.setdefault(key, dict.fromkeys(COUNTS, 0))
			for name, value in zip(names, row[len(SCOPE) + 1 :], strict=True):
				counts[name] += value or 0

	def grouped(where, *sums):
		return (
			frappe.qb.from_(s)
			.select(*scope, hypercare.as_("hypercare"), *sums)
			.where(where)
			.groupby(*scope, hypercare)
			.run()
		)

	opened = grouped(
		(s.opened_at >= start) & (s.opened_at < end),
		Count("*"),
		*(Sum(Case().when(s[f"{m}_state"].isin(RUNNING_STATES), 1).else_(0)) for m in METRICS),
	)
	for row in opened:
		for i, metric in enumerate(METRICS):
			add(
				metric,
				[(*row[: len(SCOPE) + 1], row[len(SCOPE) + 1], row[len(SCOPE) + 2 + i])],
				("started", "running"),
			)
	for metric in METRICS:
		state, stopped, breached = s[f"{metric}_state"], s[f"{metric}_stopped_at"], s[f"{metric}_breached_at"]
		add(
			metric,
			grouped(
				(stopped >= start) & (stopped < end),
				Count("*"),
				Sum(Case().when(state == "Met", 1).else_(0)),
				Sum(s[f"{metric}_elapsed_minutes"]),
				Sum(s[f"{metric}_paused_minutes"]),
			),
			("stopped", "met", "elapsed_minutes", "paused_minutes"),
		)
		add(metric, grouped((breached >= start) & (breached < end), Count("*")), ("breached",))
	return out


# ------------------------------------------------------------------------------------------- rebuild
def rebuild() -> int:
	"""Every day that has clocks, recomputed; then SLA Compliance reads the rollup (on sites large enough).
	Run by the daily decision when the site crosses `prepared_reports_from` clocks, or by hand:
	`bench --site <site> execute smo_extension.sla.rollup.rebuild`."""
	s = frappe.qb.DocType(TICKET_SLA)
	first = frappe.qb.from_(s).select(Min(s.opened_at)).run()[0][0]
	count = 0
	if first:
		day, last = getdate(first), getdate(frappe.utils.today())
		while day <= last:
			refresh_day(day)
			count += 1
			if count % 30 == 0 and not frappe.flags.in_test:
				frappe.db.commit()  # nosemgrep: a month at a time
			day += timedelta(days=1)
	stamp_rollup_days()
	frappe.db.set_default(ACTIVE_KEY, "1")
	return count


def stamp_rollup_days() -> None:
	"""Every clock row records the days it is counted under (one UPDATE; the refresh keeps them after)."""
	from pypika.terms import Function

	s = frappe.qb.DocType(TICKET_SLA)
	days = [Function("DATE", s[c]) for c in DATE_COLUMNS]
	frappe.qb.update(s).set(s.rollup_days, Function("CONCAT_WS", ",", *days)).run()


def active() -> bool:
	return frappe.db.get_default(ACTIVE_KEY) == "1"


def deactivate() -> None:
	frappe.db.set_default(ACTIVE_KEY, "0")
