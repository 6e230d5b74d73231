"""SLA clocks: business time counted over a ticket's status timeline, judged against a target.

Plain values in and out: no `frappe`, no clock reads (the caller passes `now`).
"""

import math
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from smo_extension.engine.calendar import BusinessCalendar
from smo_extension.engine.calendar import CalendarError
from smo_extension.engine.calendar import seconds_to_us

__all__ = [
	"AT_RISK",
	"BREACHED",
	"CATEGORIES",
	"MET",
	"OPEN",
	"PAUSED",
	"RESOLVED",
	"RUNNING",
	"STATES",
	"UNTRACKED",
	"ClockResult",
	"deadline",
	"evaluate_clock",
]

# Helpdesk's status categories.
OPEN, PAUSED, RESOLVED = "Open", "Paused", "Resolved"
CATEGORIES = (OPEN, PAUSED, RESOLVED)

# Clock states.
RUNNING, AT_RISK, PAUSED_STATE, MET, BREACHED = "running", "at_risk", "paused", "met", "breached"
STATES = (RUNNING, AT_RISK, PAUSED_STATE, MET, BREACHED)
# The state of a clock whose agreement sets no target for it (a response-only SLA's resolution): it counts no
# compliance, has no due date and is never the ticket's state.
UNTRACKED = "untracked"

_US_PER_S = 1_000_000


@dataclass(frozen=True)
class ClockResult:
	"""The state of one clock at `now`.

	state: "running", "at_risk", "paused", "met" or "breached".

	elapsed: business seconds counted while Open, up to now (or up to the stop).

	due: for running and at-risk clocks, the instant elapsed reaches the target if the clock keeps running
	from now (already past when elapsed equals the target exactly); for breached clocks, the instant elapsed
	reached the target, after which it went over; otherwise None.

	stopped_at: the instant the clock stopped (the start of the final run of "Resolved"), or None.

	next_change: the earliest instant after now at which the state changes on its own: for a running clock
	the first instant at which it is at risk, for an at-risk clock the first instant at which it is breached
	(one microsecond of business time after `due`); None for paused, met and breached clocks, or when the
	calendar cannot reach that instant within its horizon.

	paused: business seconds spent Paused (waiting on the customer), up to now or up to the stop: the time the
	clock did not count.
	"""

	state: str
	elapsed: float
	due: datetime | None
	stopped_at: datetime | None
	next_change: datetime | None = None
	paused: float = 0.0


def evaluate_clock(
	timeline: Iterable[tuple[datetime, str]],
	*,
	target_seconds: float,
	calendar: BusinessCalendar,
	now: datetime,
	at_risk_ratio: float = 0.75,
) -> ClockResult:
	"""Evaluate a clock over `timeline`: (when, category) pairs sorted by time, category "Open", "Paused" or
	"Resolved"; the first entry starts the clock.

	Business time counts only while Open; Paused pauses; Resolved stops; a later Open resumes and the elapsed
	time keeps accumulating. Entries after `now` are ignored. A response clock is the same call with
	[(created, "Open"), (first_response, "Resolved")]. If even the first entry is after `now`, the clock is
	reported as it stands when it starts (elapsed 0).

	breached <=> elapsed > target (running, paused or stopped); met <=> stopped and elapsed <= target;
	at_risk <=> running, not breached and elapsed >= at_risk_ratio x target.
	"""
	entries = _validated(timeline, now)
	target = seconds_to_us(target_seconds, "target_seconds")
	if (
		isinstance(at_risk_ratio, bool)
		or not isinstance(at_risk_ratio, int | float)
		or not 0 <= at_risk_ratio <= 1
	):
		raise ValueError(f"at_risk_ratio must be between 0 and 1: {at_risk_ratio!r}")
	at_risk_from = math.ceil(at_risk_ratio * target)

	segments, elapsed, paused, final, stopped_at, now = _count(entries, calendar, now)

	if elapsed > target:
		return ClockResult(
			BREACHED, elapsed / _US_PER_S, _crossing(calendar, segments, target), stopped_at, paused=paused
		)
	if final == RESOLVED:
		return ClockResult(MET, elapsed / _US_PER_S, None, stopped_at, paused=paused)
	if final == PAUSED:
		return ClockResult(PAUSED_STATE, elapsed / _US_PER_S, None, None, paused=paused)

	at_risk = elapsed >= at_risk_from
	if elapsed == target:
		due = _crossing(calendar, segments, target)
	else:
		due = _reach(calendar, now, target - elapsed)
	next_change = (
		_reach(calendar, now, target - elapsed + 1)
		if at_risk
		else _reach(calendar, now, at_risk_from - elapsed)
	)
	return ClockResult(AT_RISK if at_risk else RUNNING, elapsed / _US_PER_S, due, None, next_change, paused)


def deadline(
	result: ClockResult,
	*,
	target_seconds: float | None,
	calendar: BusinessCalendar,
	now: datetime | None = None,
) -> datetime | None:
	"""When the clock's target is, was, or would be reached: `due` of running, at-risk and breached clocks; for a
	met clock the instant its target would have been reached had it kept running from its stop (the due date it
	beat, never before the stop); for a paused clock, given `now`, the instant it would be reached if it resumed
	now, and None without `now` (it has no due date while paused). None when the calendar cannot reach it.

	With `now` it is what Helpdesk's own "respond by" / "resolve by" fields mean, in every state of the clock.
	None for a clock without a target (`target_seconds` None)."""
	if target_seconds is None:
		return None
	if result.due is not None:
		return result.due
	if result.state == MET and result.stopped_at is not None:
		start = result.stopped_at
	elif result.state == PAUSED_STATE and now is not None:
		start = now
	else:
		return None
	remaining = seconds_to_us(target_seconds, "target_seconds") - round(result.elapsed * _US_PER_S)
	return _reach(calendar, start, max(remaining, 0))


def _validated(timeline: Iterable[tuple[datetime, str]], now: datetime) -> list[tuple[datetime, str]]:
	if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
		raise ValueError(f"now must be an aware datetime: {now!r}")
	entries: list[tuple[datetime, str]] = []
	for position, entry in enumerate(timeline):
		try:
			when, category = entry
		except (TypeError, ValueError):
			raise ValueError(f"timeline entry {position} is not a (when, category) pair: {entry!r}") from None
		if not isinstance(when, datetime) or when.tzinfo is None or when.utcoffset() is None:
			raise ValueError(f"timeline entry {position} needs an aware datetime, not {when!r}")
		if category not in CATEGORIES:
			raise ValueError(
				f"timeline entry {position} has unknown category {category!r} (expected one of "
				f"{', '.join(CATEGORIES)})"
			)
		if entries and when < entries[-1][0]:
			raise ValueError(
				f"timeline is not sorted: entry {position} ({when.isoformat()}) is before entry "
				f"{position - 1} ({entries[-1][0].isoformat()})"
			)
		entries.append((when, category))
	if not entries:
		raise ValueError("timeline is empty: a clock needs at least its start")
	return entries


def _crossing(
	calendar: BusinessCalendar, segments: Sequence[tuple[datetime, datetime, int]], target: int
) -> datetime | None:
	"""The earliest instant at which the Open segments have accumulated `target` µs."""
	accumulated = 0
	for start, _, length in segments:
		if accumulated + length >= target:
			return calendar.add_business_microseconds(start, target - accumulated)
		accumulated += length
	return None


def _reach(calendar: BusinessCalendar, start: datetime, amount: int) -> datetime | None:
	try:
		return calendar.add_business_microseconds(start, amount)
	except CalendarError as error:
		if error.code == "unreachable":
			return None
		raise


def _count(entries: list[tuple[datetime, str]], calendar: BusinessCalendar, now: datetime):
	"""The counted part of a clock: its Open segments (start, end, business microseconds), business
	microseconds counted, business seconds paused, the final category, the stop and the `now` it stands at."""
	active = [entry for entry in entries if entry[0] <= now]
	if not active:
		active, now = entries[:1], entries[0][0]

	segments: list[tuple[datetime, datetime, int]] = []
	paused_us = 0
	for index, (when, category) in enumerate(active):
		if category == RESOLVED:
			continue
		end = active[index + 1][0] if index + 1 < len(active) else now
		if category == OPEN:
			segments.append((when, end, calendar.business_microseconds(when, end)))
		else:
			paused_us += calendar.business_microseconds(when, end)
	elapsed = sum(length for _, _, length in segments)
	paused = paused_us / _US_PER_S

	final = active[-1][1]
	stopped_at = None
	if final == RESOLVED:
		index = len(active) - 1
		while index > 0 and active[index - 1][1] == RESOLVED:
			index -= 1
		stopped_at = active[index][0]

	return segments, elapsed, paused, final, stopped_at, now


def untracked_clock(
	timeline: Iterable[tuple[datetime, str]], *, calendar: BusinessCalendar, now: datetime
) -> ClockResult:
	"""A clock the agreement sets no target for: its business time and stop as `evaluate_clock` counts them,
	state `UNTRACKED`, no due date and nothing to look at later."""
	entries = _validated(timeline, now)
	_segments, elapsed, paused, _final, stopped_at, _now = _count(entries, calendar, now)
	return ClockResult(UNTRACKED, elapsed / _US_PER_S, None, stopped_at, None, paused)
