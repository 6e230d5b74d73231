"""Error budgets: how many breaches a compliance target allows in a period, how fast they are being used, and
the compliance the period is heading for.

Plain values in and out: no `frappe`, no clock reads (the caller passes `now`).

For one agreement and one period [start, end) (a calendar week, month or quarter) at `now`:

- counted so far: `met` clocks that stopped within target in the period, `breached` clocks that crossed their
  target in the period (as SLA compliance counts them);
- pending: running clocks not breached yet whose due date falls in the period. A due date already passed
  (`due <= now`, the scan has not marked it yet) is a certain breach (`overdue`); one still ahead (`pending`)
  is met with probability p. Running clocks due after the period ends, and paused clocks (no due date while
  paused), count in a later period and are left out;
- p, the chance that a clock still to be judged meets its target: the met share of the previous periods
  (`history_ratio`), else the met share so far in this period, else the target itself;
- the usual volume V: clocks counted per period in the previous periods (their mean). The clocks still to count
  from `now` to `end` are expected to follow that rate, V x (1 - f) where f is the elapsed share of the period;
  the pending and overdue clocks are part of it, so the clocks yet to arrive are
  F = max(0, V x (1 - f) - pending - overdue), each met with probability p;

  projected met      = met + p x (pending + F)
  projected breached = breached + overdue + (1 - p) x (pending + F)
  projected compliance = 100 x projected met / (projected met + projected breached)   (None when both are 0)

- the budget: the clocks expected to count in the period N = projected met + projected breached, of which the
  target T % allows floor(N x (100 - T) / 100) breaches; `used` = breached, `remaining` = allowed - used (below 0:
  the budget is overspent);
- the burn rate (as SRE error budgets define it): the breach share so far over the share the target allows,
  (breached / (met + breached)) / ((100 - T) / 100). 1 uses the budget up exactly by the end of the period; above
  1 it runs out early. None while nothing counts yet, or with a 100 % target (no budget at all).

Once the period is over (`now >= end`) nothing is pending or expected and the projection is the period's
compliance.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta

from smo_extension.engine.compliance import compliance_percent

__all__ = [
	"PERIOD_KINDS",
	"ErrorBudget",
	"burn_down",
	"error_budget",
	"history_ratio",
	"period_bounds",
	"previous_periods",
	"usual_volume",
]

PERIOD_KINDS = ("Week", "Month", "Quarter")
_EPSILON = 1e-9


def period_bounds(kind: str, day: date) -> tuple[date, date]:
	"""The period of `kind` that holds `day`, as [first day, first day of the next period)."""
	if kind == "Week":
		start = day - timedelta(days=day.weekday())
		return start, start + timedelta(days=7)
	if kind == "Month":
		start = day.replace(day=1)
		return start, _add_months(start, 1)
	if kind == "Quarter":
		start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
		return start, _add_months(start, 3)
	raise ValueError(f"unknown period kind {kind!r} (expected one of {', '.join(PERIOD_KINDS)})")


def previous_periods(kind: str, day: date, count: int) -> list[tuple[date, date]]:
	"""The `count` periods before the one that holds `day`, the latest first."""
	out = []
	start, _end = period_bounds(kind, day)
	for _ in range(count):
		start, end = period_bounds(kind, start - timedelta(days=1))
		out.append((start, end))
	return out


def _add_months(day: date, months: int) -> date:
	index = day.year * 12 + day.month - 1 + months
	return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class ErrorBudget:
	target: float
	met: int
	breached: int
	overdue: int
	pending: int
	usual_volume: float | None
	met_ratio: float
	"""p: the chance a clock still to be judged meets its target."""
	elapsed_share: float
	expected: float
	"""N: the clocks expected to count in the whole period."""
	allowed: int
	used: int
	remaining: int
	burn_rate: float | None
	projected_met: float
	projected_breached: float
	projected: float | None
	"""Projected compliance % at the end of the period."""


def error_budget(
	*,
	target_percent: float,
	met: int,
	breached: int,
	pending_dues: Iterable[datetime],
	period_start: datetime,
	period_end: datetime,
	now: datetime,
	usual_volume: float | None = None,
	history_ratio: float | None = None,
) -> ErrorBudget:
	"""The error budget of one agreement in [period_start, period_end) at `now` (see the module docstring)."""
	for name, value in (("period_start", period_start), ("period_end", period_end), ("now", now)):
		if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
			raise ValueError(f"{name} must be an aware datetime: {value!r}")
	if period_end <= period_start:
		raise ValueError("the period must end after it starts")
	if isinstance(target_percent, bool) or not 0 < target_percent <= 100:
		raise ValueError(f"target_percent must be in (0, 100]: {target_percent!r}")
	if met < 0 or breached < 0:
		raise ValueError(f"counts must not be negative: met={met}, breached={breached}")
	if usual_volume is not None and (not math.isfinite(usual_volume) or usual_volume < 0):
		raise ValueError(f"usual_volume must be a non-negative number: {usual_volume!r}")
	if history_ratio is not None and not 0 <= history_ratio <= 1:
		raise ValueError(f"history_ratio must be between 0 and 1: {history_ratio!r}")

	overdue = pending = 0
	for due in pending_dues:
		if due is None or not period_start <= due < period_end:
			continue
		if due <= now:
			overdue += 1
		else:
			pending += 1

	length = (period_end - period_start).total_seconds()
	elapsed = min(max((now - period_start).total_seconds(), 0.0), length)
	share = elapsed / length
	if history_ratio is not None:
		p = history_ratio
	elif met + breached:
		p = met / (met + breached)
	else:
		p = target_percent / 100.0
	arriving = 0.0
	if usual_volume is not None and share < 1:
		arriving = max(0.0, usual_volume * (1 - share) - pending - overdue)
	projected_met = met + p * (pending + arriving)
	projected_breached = breached + overdue + (1 - p) * (pending + arriving)
	expected = projected_met + projected_breached
	allowed = math.floor(expected * (100 - target_percent) / 100 + _EPSILON)
	total = projected_met + projected_breached
	projected = 100.0 * projected_met / total if total > _EPSILON else None
	burn = None
	if met + breached and target_percent < 100:
		burn = (breached / (met + breached)) / ((100 - target_percent) / 100)
	return ErrorBudget(
		target=target_percent,
		met=met,
		breached=breached,
		overdue=overdue,
		pending=pending,
		usual_volume=usual_volume,
		met_ratio=p,
		elapsed_share=share,
		expected=expected,
		allowed=allowed,
		used=breached,
		remaining=allowed - breached,
		burn_rate=burn,
		projected_met=projected_met,
		projected_breached=projected_breached,
		projected=projected,
	)


def usual_volume(counts: Sequence[int]) -> float | None:
	"""The mean of the previous periods' counted clocks, over the periods that counted any (a service that did
	not exist yet must not pull the mean down); None when none did."""
	busy = [c for c in counts if c > 0]
	return sum(busy) / len(busy) if busy else None


def history_ratio(met: int, breached: int) -> float | None:
	"""The met share of the previous periods, or None when they counted nothing."""
	percent = compliance_percent(met, breached)
	return None if percent is None else percent / 100.0


def burn_down(
	budget: ErrorBudget,
	*,
	breach_times: Iterable[datetime],
	day_ends: Sequence[datetime],
	period_start: datetime,
	period_end: datetime,
	now: datetime,
) -> list[tuple[float, float]]:
	"""(remaining budget, ideal remaining) at each of `day_ends` (the end of each day of the period, ascending).

	Up to `now` the remaining budget is `allowed` minus the breaches before the day's end; after `now` it goes
	in a straight line to the projected end, `allowed` minus the projected breaches. The ideal line spends the
	budget evenly, from `allowed` at the start to 0 at the end."""
	times = sorted(t for t in breach_times if period_start <= t < period_end)
	length = (period_end - period_start).total_seconds()
	at_now = budget.allowed - sum(1 for t in times if t < now)
	final = budget.allowed - budget.projected_breached
	now_share = min(max((now - period_start).total_seconds() / length, 0.0), 1.0)
	out = []
	for end in day_ends:
		share = min(max((end - period_start).total_seconds() / length, 0.0), 1.0)
		ideal = budget.allowed * (1 - share)
		if end <= now:
			remaining = float(budget.allowed - sum(1 for t in times if t < end))
		elif now_share >= 1:
			remaining = float(at_now)
		else:
			progress = (share - now_share) / (1 - now_share)
			remaining = at_now + (final - at_now) * progress
		out.append((remaining, ideal))
	return out
