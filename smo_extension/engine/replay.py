"""Replay a ticket's event log into the clocks of the agreements that apply to it.

Plain values in and out: the caller turns documents into `TicketEvent`s and `AgreementSpec`s and passes `now`.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from smo_extension.engine.calendar import BusinessCalendar
from smo_extension.engine.clock import PAUSED_STATE
from smo_extension.engine.clock import UNTRACKED
from smo_extension.engine.clock import ClockResult
from smo_extension.engine.clock import deadline
from smo_extension.engine.clock import evaluate_clock
from smo_extension.engine.clock import untracked_clock

OPEN, PAUSED, RESOLVED = "Open", "Paused", "Resolved"
SLA, OLA = "SLA", "OLA"

# Tracked fields, as `TicketEvent.field` names them. AGENT (the assigned agents, comma-separated) changes no
# clock: the time ledger reads it.
STATUS, PRIORITY, TEAM, SERVICE, CUSTOMER, FIRST_RESPONSE, AGENT = tuple(
	"status_category priority team service customer first_response agent".split()
)

# Worst first: the state a ticket shows is the worst of its clocks.
STATE_ORDER = ("breached", "at_risk", "running", "paused", "met")


@dataclass(frozen=True)
class TicketEvent:
	when: datetime
	field: str
	value: str | None


@dataclass(frozen=True)
class AgreementSpec:
	name: str
	agreement_type: str
	version: int
	calendar: BusinessCalendar
	# priority -> (response target seconds, resolution target seconds or None: a response-only agreement)
	targets: Mapping[str, tuple[float, float | None]]
	at_risk_ratio: float = 0.75
	team: str | None = None


@dataclass(frozen=True)
class TicketClocks:
	agreement: AgreementSpec
	priority: str
	team: str | None
	opened_at: datetime
	response_target: float
	resolution_target: float | None
	response: ClockResult
	resolution: ClockResult
	# The instant each target is (or would be) reached, in every state (`clock.deadline`).
	response_deadline: datetime | None = None
	resolution_deadline: datetime | None = None

	@property
	def state(self) -> str:
		return worst_state((self.response.state, self.resolution.state))

	@property
	def next_check_at(self) -> datetime | None:
		"""The earliest instant the clocks need a look: a state change on its own (at risk, breach), or the
		deadline of a paused clock (it moves with time while paused, so it is moved on when it comes)."""
		changes = [c for c in (self.response.next_change, self.resolution.next_change) if c is not None]
		changes += [
			d
			for result, d in (
				(self.response, self.response_deadline),
				(self.resolution, self.resolution_deadline),
			)
			if result.state == PAUSED_STATE and d is not None
		]
		return min(changes) if changes else None

	@property
	def is_running(self) -> bool:
		return self.resolution.stopped_at is None or self.response.stopped_at is None


def worst_state(states: Iterable[str]) -> str:
	"""The worst of the states; a clock without a target (`UNTRACKED`) has no say."""
	present = set(states) - {UNTRACKED}
	for state in STATE_ORDER:
		if state in present:
			return state
	raise ValueError("no clock states given")


def current_values(events: Sequence[TicketEvent], now: datetime) -> dict[str, str | None]:
	"""The last value of each tracked field at `now`."""
	values: dict[str, str | None] = {}
	for event in events:
		if event.when > now:
			break
		values[event.field] = event.value
	return values


def status_timeline(opened_at: datetime, events: Sequence[TicketEvent], now: datetime) -> list[tuple]:
	"""(when, category) from the status events; the clock starts Open at `opened_at` unless an event at that
	same instant says otherwise."""
	timeline: list[tuple] = [(opened_at, OPEN)]
	for event in events:
		if event.field != STATUS or event.when > now or not event.value:
			continue
		when = max(event.when, opened_at)
		if timeline[-1][0] == when:
			timeline[-1] = (when, event.value)
		elif timeline[-1][1] != event.value:
			timeline.append((when, event.value))
	return timeline


def response_timeline(timeline: list[tuple], first_response_at: datetime | None) -> list[tuple]:
	"""The response clock follows the status timeline and stops at the first response (or at resolution,
	whichever comes first)."""
	if first_response_at is not None and first_response_at <= timeline[0][0]:
		# Answered before this clock started (e.g. an OLA team that got the ticket later): met at zero.
		return [timeline[0], (timeline[0][0], RESOLVED)]
	out = []
	for when, category in timeline:
		if first_response_at is not None and when >= first_response_at:
			break
		out.append((when, category))
		if category == RESOLVED:
			return out
	if first_response_at is not None:
		out.append((max(first_response_at, out[-1][0]), RESOLVED))
	return out


def team_timeline(
	timeline: list[tuple], events: Sequence[TicketEvent], team: str, now: datetime
) -> list[tuple]:
	"""The timeline an OLA of `team` is judged on: the ticket's own categories while the team holds it;
	handing the ticket to another team stops the team's clock, getting it back resumes it."""
	holds: list[tuple[datetime, bool]] = []
	for event in events:
		if event.field == TEAM and event.when <= now:
			holds.append((event.when, event.value == team))
	if not holds or not any(h for _, h in holds):
		return []
	changes = sorted(
		[(when, "status", category) for when, category in timeline]
		+ [(when, "hold", h) for when, h in holds],
		key=lambda item: item[0],
	)
	category, holding = OPEN, False
	out: list[tuple] = []
	for when, kind, value in changes:
		if kind == "status":
			category = value
		else:
			holding = value
		effective = category if holding else RESOLVED
		if not out:
			if holding:
				out.append((when, effective))
			continue
		if out[-1][0] == when:
			out[-1] = (when, effective)
			if len(out) > 1 and out[-2][1] == effective:
				out.pop()
		elif out[-1][1] != effective:
			out.append((when, effective))
	return out


def evaluate_ticket(
	*,
	opened_at: datetime,
	events: Sequence[TicketEvent],
	first_response_at: datetime | None,
	agreements: Iterable[AgreementSpec],
	now: datetime,
) -> tuple[list[TicketClocks], list[str]]:
	"""Clocks of every agreement that applies, and the names of agreements that have no target for the
	ticket's current priority (no clock; the caller reports them). The current priority's target applies to the
	whole clock, from the start."""
	values = current_values(events, now)
	priority = values.get(PRIORITY) or ""
	timeline = status_timeline(opened_at, events, now)
	clocks: list[TicketClocks] = []
	missing: list[str] = []
	for agreement in agreements:
		if priority not in agreement.targets:
			missing.append(agreement.name)
			continue
		response_target, resolution_target = agreement.targets[priority]
		if agreement.agreement_type == OLA:
			judged = team_timeline(timeline, events, agreement.team or "", now)
			if not judged:
				continue
			team = agreement.team
		else:
			judged = timeline
			team = values.get(TEAM)
		responded = first_response_at if first_response_at is not None and first_response_at <= now else None
		response = evaluate_clock(
			response_timeline(judged, responded),
			target_seconds=response_target,
			calendar=agreement.calendar,
			now=now,
			at_risk_ratio=agreement.at_risk_ratio,
		)
		if resolution_target is None:
			resolution = untracked_clock(judged, calendar=agreement.calendar, now=now)
		else:
			resolution = evaluate_clock(
				judged,
				target_seconds=resolution_target,
				calendar=agreement.calendar,
				now=now,
				at_risk_ratio=agreement.at_risk_ratio,
			)
		clocks.append(
			TicketClocks(
				agreement=agreement,
				priority=priority,
				team=team,
				opened_at=judged[0][0],
				response_target=response_target,
				resolution_target=resolution_target,
				response=response,
				resolution=resolution,
				response_deadline=deadline(
					response, target_seconds=response_target, calendar=agreement.calendar, now=now
				),
				resolution_deadline=deadline(
					resolution, target_seconds=resolution_target, calendar=agreement.calendar, now=now
				),
			)
		)
	return clocks, missing
