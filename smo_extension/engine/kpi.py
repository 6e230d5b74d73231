"""KPIs: the metric registry, reporting periods, RAG status and the formulas.

Plain values in and out: no `frappe`, no clock reads (the caller passes `now`). The site side
(`smo_extension.kpi`) fetches *partial aggregates* with one aggregate query per source and period, grouped by
the scope columns the definitions being measured use; this module rolls those partials up to each
definition's scope and turns them into a value.

Metrics
-------
Every metric reads one **source** (an aggregate the site fetches) and computes its value from the source's
totals inside the definition's scope:

=========================  =========  ==================================================================
metric                     unit       value
=========================  =========  ==================================================================
resolution_compliance      %          100 x met / (met + breached) of resolution clocks (see below)
response_compliance        %          the same for response clocks
mttr_business              min        mean business minutes (`elapsed`) of resolution clocks stopped in the period
mtta_business              min        the same for response clocks (stopped = first response)
mttr_p90_business          min        90th percentile (linear interpolation) of those resolution minutes
reopen_rate                %          100 x tickets reopened in the period / tickets resolved in it
backlog                    tickets    tickets open at the period's end
backlog_aged_30            %          100 x share of that backlog opened more than 30 days before the end
csat                       %          100 x share of rated tickets resolved in the period rated >= 4 of 5
volume                     tickets    tickets opened in the period
policy_review_compliance   %          100 x published documents not past their review date / published
catalog_completeness       %          100 x complete live services / live services
improvement_throughput     items      improvements Done with their completion date in the period
=========================  =========  ==================================================================

"No data" (value None) is what a ratio or a mean gives when nothing in the period counts (0 / 0): never 0 %
and never 100 %. Counts (backlog, volume, throughput) are 0 when nothing counts: zero tickets is a value.

Clock metrics count the SMO Ticket SLA rows exactly as the SLA Compliance report does: *met* = resolution
(response) state Met and stopped_at in the period; *breached* = breached_at in the period, whether the clock is
still running or not; *stopped* = stopped_at in the period (state Met or Breached). Percentiles use linear
interpolation between closest ranks (numpy's default, SQL's PERCENTILE_CONT, Excel's PERCENTILE.INC):
sorted x[0..n-1], h = q x (n - 1), value = x[floor h] + (h - floor h) x (x[floor h + 1] - x[floor h]).

RAG
---
A KPI has a direction, a target and two tolerance thresholds; for "Higher is better" red <= amber <= target,
for "Lower is better" target <= amber <= red. The status of a value:

- **Green** when it meets the target (>= target, or <= for lower-is-better), or is still better than the amber
  threshold (the tolerance between target and amber);
- **Red** at or past the red threshold (<= red, or >= red);
- **Amber** at or past the amber threshold and not red;
- **No Data** when the value is None.

Periods
-------
Weekly periods are ISO weeks (Monday to Sunday), Monthly ones calendar months, Quarterly ones calendar quarters
(January, April, July, October). A period is a pair of local dates (first and last day, inclusive) in the SMO's
time zone; as instants it covers [first day 00:00, day after the last 00:00) there.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from datetime import timezone as _timezone
from zoneinfo import ZoneInfo

__all__ = [
	"AMBER",
	"DIRECTIONS",
	"FREQUENCIES",
	"GREEN",
	"HIGHER",
	"LOWER",
	"METRICS",
	"NO_DATA",
	"RAGS",
	"RED",
	"SCOPE_FIELDS",
	"SOURCES",
	"Metric",
	"Period",
	"QueryPlan",
	"Result",
	"evaluate",
	"is_finished",
	"is_worse",
	"last_finished",
	"local_midnight",
	"mean",
	"percentile",
	"period_bounds",
	"period_containing",
	"periods_between",
	"query_plan",
	"rag",
	"rollup",
	"scope_key",
	"scope_problems",
	"share",
	"threshold_problems",
]

UTC = _timezone.utc
HIGHER, LOWER = "Higher is better", "Lower is better"
DIRECTIONS = (HIGHER, LOWER)
GREEN, AMBER, RED, NO_DATA = "Green", "Amber", "Red", "No Data"
RAGS = (GREEN, AMBER, RED, NO_DATA)
WEEKLY, MONTHLY, QUARTERLY = "Weekly", "Monthly", "Quarterly"
FREQUENCIES = (WEEKLY, MONTHLY, QUARTERLY)

PERCENT, MINUTES, TICKETS, ITEMS = "%", "min", "tickets", "items"
# What a definition may be scoped by: the SMO Ticket SLA columns; ticket metrics read the ticket's own.
SCOPE_FIELDS = ("service", "customer", "team", "priority", "agreement_type")
AGREEMENT_TYPES = ("SLA", "OLA")
TICKET_SCOPES = frozenset(SCOPE_FIELDS[:4])
CLOCK_SCOPES = frozenset(SCOPE_FIELDS)

# source -> the numeric fields of its partial rows (a histogram source has "minutes" and "count" rows).
SOURCES: dict[str, tuple[str, ...]] = {
	"resolution_clocks": ("met", "breached", "stopped", "stopped_minutes"),
	"response_clocks": ("met", "breached", "stopped", "stopped_minutes"),
	"resolution_minutes": ("minutes", "count"),
	"ticket_flow": ("resolved", "reopened", "rated", "satisfied"),
	"backlog": ("open", "aged"),
	"volume": ("opened",),
	"policies": ("published", "current"),
	"catalog": ("live", "complete"),
	"improvements": ("done",),
}
HISTOGRAM_SOURCES = ("resolution_minutes",)


@dataclass(frozen=True)
class Metric:
	name: str
	label: str
	unit: str
	source: str
	scopes: frozenset[str]
	direction: str  # the usual direction, suggested when a definition is made
	description: str

	@property
	def is_percent(self) -> bool:
		return self.unit == PERCENT

	@property
	def uses_clocks(self) -> bool:
		return self.source in ("resolution_clocks", "response_clocks", "resolution_minutes")


def _metric(name, label, unit, source, scopes, direction, description) -> tuple[str, Metric]:
	return name, Metric(name, label, unit, source, frozenset(scopes), direction, description)


METRICS: dict[str, Metric] = dict(
	[
		_metric(
			"resolution_compliance",
			"Resolution SLA compliance",
			PERCENT,
			"resolution_clocks",
			CLOCK_SCOPES,
			HIGHER,
			"met / (met + breached) of resolution clocks: met = state Met and stopped in the period, "
			"breached = breached in the period (running or not)",
		),
		_metric(
			"response_compliance",
			"Response SLA compliance",
			PERCENT,
			"response_clocks",
			CLOCK_SCOPES,
			HIGHER,
			"met / (met + breached) of response clocks, counted as for resolution",
		),
		_metric(
			"mttr_business",
			"Mean time to resolve (business minutes)",
			MINUTES,
			"resolution_clocks",
			CLOCK_SCOPES,
			LOWER,
			"mean business minutes of the resolution clocks stopped in the period",
		),
		_metric(
			"mtta_business",
			"Mean time to first response (business minutes)",
			MINUTES,
			"response_clocks",
			CLOCK_SCOPES,
			LOWER,
			"mean business minutes of the response clocks stopped (first response) in the period",
		),
		_metric(
			"mttr_p90_business",
			"90th percentile time to resolve (business minutes)",
			MINUTES,
			"resolution_minutes",
			CLOCK_SCOPES,
			LOWER,
			"90th percentile (linear interpolation) of the business minutes of the resolution clocks "
			"stopped in the period",
		),
		_metric(
			"reopen_rate",
			"Reopen rate",
			PERCENT,
			"ticket_flow",
			TICKET_SCOPES,
			LOWER,
			"tickets reopened in the period / tickets resolved in it (status category events)",
		),
		_metric(
			"backlog",
			"Backlog",
			TICKETS,
			"backlog",
			TICKET_SCOPES,
			LOWER,
			"tickets open (status category Open or Paused) at the end of the period",
		),
		_metric(
			"backlog_aged_30",
			"Backlog older than 30 days",
			PERCENT,
			"backlog",
			TICKET_SCOPES,
			LOWER,
			"share of the backlog at the period's end opened more than 30 days before that end",
		),
		_metric(
			"csat",
			"Customer satisfaction (CSAT)",
			PERCENT,
			"ticket_flow",
			TICKET_SCOPES,
			HIGHER,
			"share of the rated tickets resolved in the period whose Helpdesk rating is 4 of 5 or more",
		),
		_metric(
			"volume",
			"Ticket volume",
			TICKETS,
			"volume",
			TICKET_SCOPES,
			LOWER,
			"tickets opened in the period",
		),
		_metric(
			"policy_review_compliance",
			"Policy review compliance",
			PERCENT,
			"policies",
			(),
			HIGHER,
			"published documents not past their review date on the period's last day / published documents",
		),
		_metric(
			"catalog_completeness",
			"Catalog completeness",
			PERCENT,
			"catalog",
			(),
			HIGHER,
			"live services with an owner, an active agreement and a review in the last 12 months / live "
			"services",
		),
		_metric(
			"improvement_throughput",
			"Improvement throughput",
			ITEMS,
			"improvements",
			("service",),
			HIGHER,
			"improvements Done with their completion date in the period",
		),
	]
)


# ------------------------------------------------------------------------------------------- formulas
@dataclass(frozen=True)
class Result:
	"""A measured value with what it was computed from. `value` None is "No data"."""

	value: float | None
	numerator: float | None = None
	denominator: float | None = None
	sample_size: int = 0


def share(numerator: float, denominator: float) -> float | None:
	"""100 x numerator / denominator; None (no data) when the denominator is 0."""
	if numerator < 0 or denominator < 0:
		raise ValueError(f"counts must not be negative: {numerator} / {denominator}")
	if denominator == 0:
		return None
	return 100.0 * numerator / denominator


def mean(total: float, count: float) -> float | None:
	if count < 0:
		raise ValueError(f"count must not be negative: {count}")
	return None if count == 0 else total / count


def percentile(histogram: Mapping[float, int] | Iterable[tuple[float, int]], q: float) -> float | None:
	"""The q-quantile (0 <= q <= 1) of the values given as {value: count}, by linear interpolation between
	closest ranks; None when there are no values."""
	if not 0 <= q <= 1:
		raise ValueError(f"q must be between 0 and 1: {q}")
	items = histogram.items() if isinstance(histogram, Mapping) else histogram
	pairs = sorted((float(v), int(c)) for v, c in items if c)
	if any(c < 0 for _v, c in pairs):
		raise ValueError("counts must not be negative")
	n = sum(c for _v, c in pairs)
	if n == 0:
		return None
	h = q * (n - 1)
	low = math.floor(h)
	low_value = high_value = None
	seen = 0
	for value, count in pairs:
		seen += count
		if low_value is None and seen > low:
			low_value = value
		if seen > low + 1:
			high_value = value
			break
	if high_value is None:
		high_value = low_value
	return low_value + (h - low) * (high_value - low_value)


def evaluate(metric: str, totals: Mapping[str, float] | None) -> Result:
	"""The value of `metric` from its source's totals inside the scope (missing totals count as 0; a
	histogram source passes {"histogram": {minutes: count}})."""
	m = METRICS[metric]
	t = totals or {}

	def g(key: str) -> float:
		return float(t.get(key) or 0)

	if metric in ("resolution_compliance", "response_compliance"):
		met, breached = g("met"), g("breached")
		return Result(share(met, met + breached), met, met + breached, int(met + breached))
	if metric in ("mttr_business", "mtta_business"):
		total, count = g("stopped_minutes"), g("stopped")
		return Result(mean(total, count), total, count, int(count))
	if metric == "mttr_p90_business":
		histogram = t.get("histogram") or {}
		return Result(percentile(histogram, 0.9), None, None, int(sum(histogram.values())))
	if metric == "reopen_rate":
		return Result(share(g("reopened"), g("resolved")), g("reopened"), g("resolved"), int(g("resolved")))
	if metric == "backlog":
		return Result(g("open"), g("open"), None, int(g("open")))
	if metric == "backlog_aged_30":
		return Result(share(g("aged"), g("open")), g("aged"), g("open"), int(g("open")))
	if metric == "csat":
		return Result(share(g("satisfied"), g("rated")), g("satisfied"), g("rated"), int(g("rated")))
	if metric == "volume":
		return Result(g("opened"), g("opened"), None, int(g("opened")))
	if metric == "policy_review_compliance":
		return Result(share(g("current"), g("published")), g("current"), g("published"), int(g("published")))
	if metric == "catalog_completeness":
		return Result(share(g("complete"), g("live")), g("complete"), g("live"), int(g("live")))
	if metric == "improvement_throughput":
		return Result(g("done"), g("done"), None, int(g("done")))
	raise ValueError(f"no formula for metric {m.name}")


# ------------------------------------------------------------------------------------------- scopes
def scope_key(scope: Mapping[str, str | None], allowed: Iterable[str] = SCOPE_FIELDS) -> tuple:
	"""(dims, values): the scope fields that are set, in SCOPE_FIELDS order, and their values."""
	dims = tuple(f for f in SCOPE_FIELDS if f in set(allowed) and scope.get(f))
	return dims, tuple(scope[f] for f in dims)


def rollup(rows: Iterable[Mapping], dims: tuple[str, ...], histogram: bool = False) -> dict[tuple, dict]:
	"""Partial rows summed per value of `dims`: {values: {field: total}}; for a histogram source
	{values: {"histogram": {minutes: count}}}. Each row must carry every field of `dims`."""
	out: dict[tuple, dict] = {}
	for row in rows:
		key = tuple(row[d] for d in dims)
		bucket = out.setdefault(key, {"histogram": {}} if histogram else {})
		if histogram:
			minutes = float(row["minutes"])
			bucket["histogram"][minutes] = bucket["histogram"].get(minutes, 0) + int(row["count"] or 0)
			continue
		for name, value in row.items():
			if name in dims or value is None or isinstance(value, str):
				continue
			bucket[name] = bucket.get(name, 0) + float(value)
	return out


@dataclass(frozen=True)
class QueryPlan:
	"""How one aggregate query serves several definitions: `filters` narrow it (dim IN values) where every
	definition names the dim, `group_by` splits it where they differ, and `constants` are the dims one value
	fixes for all of them (each row is given those values, so `rollup` finds them)."""

	filters: dict[str, tuple[str, ...]]
	group_by: tuple[str, ...]
	constants: dict[str, str]


def query_plan(scopes: Iterable[Mapping[str, str | None]], dims: Iterable[str]) -> QueryPlan:
	"""The grouping of one source's query for the definitions whose `scopes` are given; `dims` are the scope
	fields the source can narrow by."""
	scopes = list(scopes)
	allowed = set(dims)
	filters: dict[str, tuple[str, ...]] = {}
	group_by: list[str] = []
	constants: dict[str, str] = {}
	for dim in SCOPE_FIELDS:
		if dim not in allowed:
			continue
		values = [scope.get(dim) or None for scope in scopes]
		if all(v is None for v in values):
			continue
		if all(v is not None for v in values):
			distinct = tuple(sorted(set(values)))
			filters[dim] = distinct
			if len(distinct) == 1:
				constants[dim] = distinct[0]
				continue
		group_by.append(dim)
	return QueryPlan(filters, tuple(group_by), constants)


def scope_problems(metric: str, scope: Mapping[str, str | None]) -> list[tuple[str, str]]:
	"""What is wrong with a definition's scope for its metric, as (code, field) pairs:
	"not_allowed" (the metric cannot be narrowed by that field), "bad_agreement_type", "needs" (an OLA
	measures what one internal team owes: a clock metric on OLAs needs the team)."""
	m = METRICS[metric]
	problems = [("not_allowed", f) for f in SCOPE_FIELDS if scope.get(f) and f not in m.scopes]
	agreement_type = scope.get("agreement_type")
	if m.uses_clocks and agreement_type:
		if agreement_type not in AGREEMENT_TYPES:
			problems.append(("bad_agreement_type", "agreement_type"))
		elif agreement_type == "OLA" and not scope.get("team"):
			problems.append(("needs", "team"))
	return problems


# ------------------------------------------------------------------------------------------- RAG
def threshold_problems(
	direction: str, target: float, amber: float, red: float, unit: str
) -> list[tuple[str, tuple]]:
	"""What is wrong with a definition's target and thresholds, as (code, args) pairs:
	"bad_direction", "amber_side" (amber on the wrong side of the target), "red_side" (red on the wrong side
	of amber), "percent_range" (a percentage outside 0-100), "negative" (a count or duration below 0)."""
	if direction not in DIRECTIONS:
		return [("bad_direction", (direction,))]
	problems: list[tuple[str, tuple]] = []
	if direction == HIGHER:
		if amber > target:
			problems.append(("amber_side", (amber, target)))
		if red > amber:
			problems.append(("red_side", (red, amber)))
	else:
		if amber < target:
			problems.append(("amber_side", (amber, target)))
		if red < amber:
			problems.append(("red_side", (red, amber)))
	for name, value in (("target", target), ("amber", amber), ("red", red)):
		if unit == PERCENT and not 0 <= value <= 100:
			problems.append(("percent_range", (name, value)))
		elif unit != PERCENT and value < 0:
			problems.append(("negative", (name, value)))
	return problems


def rag(value: float | None, direction: str, target: float, amber: float, red: float) -> str:
	"""Green / Amber / Red / No Data of a value (see the module docstring)."""
	if value is None:
		return NO_DATA
	if direction == HIGHER:
		if value >= target:
			return GREEN
		if value <= red:
			return RED
		return AMBER if value <= amber else GREEN
	if direction == LOWER:
		if value <= target:
			return GREEN
		if value >= red:
			return RED
		return AMBER if value >= amber else GREEN
	raise ValueError(f"unknown direction {direction!r}")


def is_worse(value: float, reference: float, direction: str) -> bool:
	"""`value` is worse than `reference` in the KPI's direction (e.g. below target for higher-is-better)."""
	return value < reference if direction == HIGHER else value > reference


# ------------------------------------------------------------------------------------------- periods
@dataclass(frozen=True, order=True)
class Period:
	start: date
	end: date  # last day, inclusive
	frequency: str = field(default=MONTHLY, compare=False)

	def next(self) -> Period:
		return period_containing(self.frequency, self.end + timedelta(days=1))

	def previous(self) -> Period:
		return period_containing(self.frequency, self.start - timedelta(days=1))

	@property
	def label(self) -> str:
		if self.frequency == WEEKLY:
			year, week, _day = self.start.isocalendar()
			return f"{year}-W{week:02d}"
		if self.frequency == QUARTERLY:
			return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
		return f"{self.start.year}-{self.start.month:02d}"


def period_containing(frequency: str, day: date) -> Period:
	if isinstance(day, datetime):
		day = day.date()
	if frequency == WEEKLY:
		start = day - timedelta(days=day.weekday())
		return Period(start, start + timedelta(days=6), WEEKLY)
	if frequency == MONTHLY:
		start = day.replace(day=1)
		following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
		return Period(start, following - timedelta(days=1), MONTHLY)
	if frequency == QUARTERLY:
		first_month = (day.month - 1) // 3 * 3 + 1
		start = date(day.year, first_month, 1)
		nxt = first_month + 3
		following = date(start.year + (nxt > 12), (nxt - 1) % 12 + 1, 1)
		return Period(start, following - timedelta(days=1), QUARTERLY)
	raise ValueError(f"unknown frequency {frequency!r}")


def periods_between(frequency: str, first: date, last: date) -> list[Period]:
	"""The periods touching [first, last], in order."""
	if last < first:
		return []
	out = [period_containing(frequency, first)]
	while out[-1].end < last:
		out.append(out[-1].next())
	return out


def local_midnight(day: date, timezone: str) -> datetime:
	"""The first instant of a local date, in UTC (so that arithmetic and comparisons are on real time: Python
	compares and subtracts two datetimes of one zone by their wall times). A midnight skipped by a DST change
	(a few zones change at 00:00) resolves, with fold=0, to the offset before the change: exactly the instant
	of the change."""
	return datetime.combine(day, time(0)).replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def period_bounds(period: Period, timezone: str) -> tuple[datetime, datetime]:
	"""[start, end) of the period as aware instants of the SMO's time zone."""
	return local_midnight(period.start, timezone), local_midnight(period.end + timedelta(days=1), timezone)


def last_finished(frequency: str, now: datetime, timezone: str, grace: timedelta = timedelta(0)) -> Period:
	"""The latest period whose end (plus `grace`) is not after `now`."""
	if now.tzinfo is None or now.utcoffset() is None:
		raise ValueError("now must be an aware datetime")
	real_now = now.astimezone(UTC)
	current = period_containing(frequency, (real_now - grace).astimezone(ZoneInfo(timezone)).date())
	return current if is_finished(current, real_now, timezone, grace) else current.previous()


def is_finished(period: Period, now: datetime, timezone: str, grace: timedelta = timedelta(0)) -> bool:
	return period_bounds(period, timezone)[1] + grace <= now.astimezone(UTC)
