"""The time ledger: a clock's business time split by who held the ticket (team and assigned agents), and the
handoffs between teams.

Plain values in and out: no `frappe`, no clock reads (the caller passes `now`).

The clock is the ticket's SLA clock as `replay.evaluate_ticket` counts it: it starts Open at `opened_at`, counts
business time while Open, pauses while Paused, stops while Resolved and resumes on reopen. A **segment** is a
stretch of time during which the clock is not stopped and one holder (team, agents) keeps the ticket; it ends
when the team or the agents change, when the clock stops, or at `now`. `business_us` is the business time
counted in it while Open, `paused_us` the business time of the calendar that passed while it was Paused (time
the clock would have counted). Splitting business time at instants loses nothing (the calendar's measure is
additive), so the segments' `business_us` add up exactly to the clock's elapsed time.

A **handoff** is a change of team from one team to another (a first team, or clearing the team, is none). The
**wait** after a handoff is the business time the clock counted (Open) from the handoff until the new team shows
a sign of work: an assignment to someone (at the handoff instant or later) or a change of the ticket's status
category after it. A wait that ends because the ticket was handed on again, or that is still running at `now`,
is not `picked_up`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from smo_extension.engine.calendar import BusinessCalendar
from smo_extension.engine.replay import AGENT
from smo_extension.engine.replay import OPEN
from smo_extension.engine.replay import PAUSED
from smo_extension.engine.replay import RESOLVED
from smo_extension.engine.replay import TEAM
from smo_extension.engine.replay import TicketEvent
from smo_extension.engine.replay import status_timeline

__all__ = ["Handoff", "Segment", "handoffs", "time_ledger"]

_US_PER_S = 1_000_000


@dataclass(frozen=True)
class Segment:
	team: str | None
	agent: str | None
	start: datetime
	end: datetime
	business_us: int
	paused_us: int

	@property
	def business_seconds(self) -> float:
		return self.business_us / _US_PER_S

	@property
	def paused_seconds(self) -> float:
		return self.paused_us / _US_PER_S


@dataclass(frozen=True)
class Handoff:
	when: datetime
	from_team: str
	to_team: str
	wait_us: int
	picked_up: bool

	@property
	def wait_seconds(self) -> float:
		return self.wait_us / _US_PER_S


def _holders(opened_at: datetime, events: Sequence[TicketEvent], now: datetime) -> list[tuple]:
	"""(when, team, agent) from each change of team or agents on; what was set before the clock started holds
	from `opened_at`."""
	team = agent = None
	out: list[tuple] = [(opened_at, None, None)]
	for event in events:
		if event.when > now or event.field not in (TEAM, AGENT):
			continue
		if event.field == TEAM:
			team = event.value or None
		else:
			agent = event.value or None
		when = max(event.when, opened_at)
		if out[-1][0] == when:
			out[-1] = (when, team, agent)
		elif (out[-1][1], out[-1][2]) != (team, agent):
			out.append((when, team, agent))
	return out


def _sorted(events: Sequence[TicketEvent]) -> list[TicketEvent]:
	return sorted(events, key=lambda event: event.when)  # stable: ties keep the order they were written in


def _intervals(opened_at: datetime, events: list[TicketEvent], now: datetime):
	"""(start, end, category, team, agent) of each stretch in which neither the category nor the holder
	changes, from `opened_at` to `now`."""
	timeline = status_timeline(opened_at, events, now)
	holders = _holders(opened_at, events, now)
	points = sorted({when for when, _ in timeline} | {when for when, _t, _a in holders} | {now})
	t_index = h_index = 0
	for index, start in enumerate(points):
		end = points[index + 1] if index + 1 < len(points) else None
		if end is None or start >= now:
			break
		while t_index + 1 < len(timeline) and timeline[t_index + 1][0] <= start:
			t_index += 1
		while h_index + 1 < len(holders) and holders[h_index + 1][0] <= start:
			h_index += 1
		_when, team, agent = holders[h_index]
		yield start, end, timeline[t_index][1], team, agent


def time_ledger(
	*, opened_at: datetime, events: Sequence[TicketEvent], calendar: BusinessCalendar, now: datetime
) -> list[Segment]:
	"""The segments of the clock that starts at `opened_at`, in time order (see the module docstring)."""
	_check_aware(opened_at, "opened_at")
	_check_aware(now, "now")
	if opened_at >= now:
		return []
	segments: list[Segment] = []
	current: list | None = None  # [team, agent, start, end, business_us, paused_us]

	def close():
		if current is not None and current[3] > current[2]:
			segments.append(Segment(*current))

	for start, end, category, team, agent in _intervals(opened_at, _sorted(events), now):
		if category == RESOLVED:
			close()
			current = None
			continue
		if current is None or (current[0], current[1]) != (team, agent):
			close()
			current = [team, agent, start, start, 0, 0]
		length = calendar.business_microseconds(start, end)
		if category == OPEN:
			current[4] += length
		elif category == PAUSED:
			current[5] += length
		current[3] = end
	close()
	return segments


def handoffs(
	*, opened_at: datetime, events: Sequence[TicketEvent], calendar: BusinessCalendar, now: datetime
) -> list[Handoff]:
	"""Every change from one team to another up to `now`, with the wait that followed it."""
	_check_aware(opened_at, "opened_at")
	_check_aware(now, "now")
	ordered = _sorted(events)
	timeline = status_timeline(opened_at, ordered, now)
	found: list[tuple[datetime, str, str]] = []
	team: str | None = None
	for event in ordered:
		if event.when > now or event.field != TEAM:
			continue
		value = event.value or None
		if value is not None and team is not None and value != team:
			found.append((max(event.when, opened_at), team, value))
		if value is not None:
			team = value
	out = []
	for index, (when, from_team, to_team) in enumerate(found):
		limit = found[index + 1][0] if index + 1 < len(found) else now
		pickup = _first_sign_of_work(ordered, timeline, when, limit)
		end = pickup if pickup is not None else limit
		out.append(
			Handoff(
				when,
				from_team,
				to_team,
				_open_business(timeline, when, end, now, calendar),
				pickup is not None,
			)
		)
	return out


def _first_sign_of_work(
	events: list[TicketEvent], timeline: list[tuple], after: datetime, limit: datetime
) -> datetime | None:
	signs = [e.when for e in events if e.field == AGENT and e.value and after <= e.when <= limit]
	signs += [when for when, _category in timeline if after < when <= limit]
	return min(signs) if signs else None


def _open_business(
	timeline: list[tuple], start: datetime, end: datetime, now: datetime, calendar: BusinessCalendar
) -> int:
	"""Business µs counted while Open in [start, end)."""
	total = 0
	for index, (when, category) in enumerate(timeline):
		if category != OPEN:
			continue
		stop = timeline[index + 1][0] if index + 1 < len(timeline) else now
		lo, hi = max(when, start), min(stop, end)
		if lo < hi:
			total += calendar.business_microseconds(lo, hi)
	return total


def _check_aware(value: datetime, name: str) -> None:
	if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
		raise ValueError(f"{name} must be an aware datetime: {value!r}")
