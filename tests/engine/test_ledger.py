"""The time ledger per team and agent, and handoffs (smo_extension.engine.ledger)."""

from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smo_extension.engine.calendar import BusinessCalendar
from smo_extension.engine.clock import evaluate_clock
from smo_extension.engine.ledger import handoffs
from smo_extension.engine.ledger import time_ledger
from smo_extension.engine.replay import TicketEvent
from smo_extension.engine.replay import status_timeline
from tests.engine.test_properties import SETTINGS
from tests.engine.test_properties import calendars
from tests.engine.test_properties import instants

UTC = timezone.utc
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
US = 1_000_000
ALWAYS = BusinessCalendar.always()
WEEKDAYS = BusinessCalendar("UTC", {d: [("09:00", "17:00")] for d in range(5)})


def at(hours: float) -> datetime:
	return T0 + timedelta(hours=hours)


def log(*items) -> list[TicketEvent]:
	return [TicketEvent(when, field, value) for when, field, value in items]


def summary(segments):
	return [
		(s.team, s.agent, s.start, s.end, s.business_us // (3600 * US), s.paused_us // (3600 * US))
		for s in segments
	]


def test_one_team_one_segment_until_now():
	events = log((T0, "status_category", "Open"), (T0, "team", "Desk"))
	assert summary(time_ledger(opened_at=T0, events=events, calendar=ALWAYS, now=at(3))) == [
		("Desk", None, T0, at(3), 3, 0)
	]


def test_team_and_agent_changes_split_the_time_and_pauses_are_kept_apart():
	events = log(
		(T0, "status_category", "Open"),
		(T0, "team", "Desk"),
		(at(1), "agent", "ann@example.com"),
		(at(2), "status_category", "Paused"),
		(at(3), "status_category", "Open"),
		(at(4), "team", "Network"),
		(at(4), "agent", None),
		(at(5), "agent", "bob@example.com"),
		(at(7), "status_category", "Resolved"),
	)
	segments = time_ledger(opened_at=T0, events=events, calendar=ALWAYS, now=at(10))
	assert summary(segments) == [
		("Desk", None, T0, at(1), 1, 0),
		("Desk", "ann@example.com", at(1), at(4), 2, 1),
		("Network", None, at(4), at(5), 1, 0),
		("Network", "bob@example.com", at(5), at(7), 2, 0),
	]


def test_a_team_that_gets_the_ticket_back_shows_twice_and_a_stop_ends_the_segment():
	events = log(
		(T0, "status_category", "Open"),
		(T0, "team", "Desk"),
		(at(1), "team", "Network"),
		(at(2), "team", "Desk"),
		(at(3), "status_category", "Resolved"),
		(at(5), "status_category", "Open"),  # reopened: a new segment, same holder
	)
	segments = time_ledger(opened_at=T0, events=events, calendar=ALWAYS, now=at(6))
	assert [(s.team, s.start, s.end) for s in segments] == [
		("Desk", T0, at(1)),
		("Network", at(1), at(2)),
		("Desk", at(2), at(3)),
		("Desk", at(5), at(6)),
	]
	assert sum(s.business_us for s in segments) == 4 * 3600 * US


def test_business_hours_only_and_values_set_before_the_clock_started():
	# opened Friday 16:00; the team was set a minute before the clock started (same save)
	friday = datetime(2026, 3, 6, 16, 0, tzinfo=UTC)
	events = log((friday - timedelta(minutes=1), "team", "Desk"), (friday, "status_category", "Open"))
	(segment,) = time_ledger(
		opened_at=friday, events=events, calendar=WEEKDAYS, now=friday + timedelta(days=3)
	)
	# Friday 16-17 and Monday 09-16
	assert (segment.team, segment.business_us) == ("Desk", 8 * 3600 * US)


def test_nothing_before_the_clock_starts_and_naive_times_are_refused():
	assert time_ledger(opened_at=at(2), events=[], calendar=ALWAYS, now=at(1)) == []
	with pytest.raises(ValueError):
		time_ledger(opened_at=T0.replace(tzinfo=None), events=[], calendar=ALWAYS, now=at(1))


def test_handoffs_and_the_wait_until_the_new_team_picks_up():
	events = log(
		(T0, "status_category", "Open"),
		(T0, "team", "Desk"),
		(at(1), "team", "Network"),  # picked up by an assignment two hours later
		(at(3), "agent", "bob@example.com"),
		(at(4), "team", "Apps"),  # picked up by a status change after one hour, half of it paused
		(at(4.5), "status_category", "Paused"),
		(at(6), "team", "Desk"),  # never picked up: still waiting at now
	)
	found = handoffs(opened_at=T0, events=events, calendar=ALWAYS, now=at(9))
	assert [(h.from_team, h.to_team, h.wait_us / (3600 * US), h.picked_up) for h in found] == [
		("Desk", "Network", 2.0, True),
		("Network", "Apps", 0.5, True),
		("Apps", "Desk", 0.0, False),  # paused since 4.5: no business time counted while it waits
	]


def test_a_first_team_or_a_cleared_team_is_no_handoff():
	events = log(
		(T0, "status_category", "Open"),
		(at(1), "team", "Desk"),
		(at(2), "team", None),
		(at(3), "team", "Desk"),
		(at(4), "team", "Network"),
		(at(4), "agent", "bob@example.com"),  # assigned in the same save: no wait
	)
	found = handoffs(opened_at=T0, events=events, calendar=ALWAYS, now=at(6))
	assert [(h.when, h.from_team, h.to_team, h.wait_us, h.picked_up) for h in found] == [
		(at(4), "Desk", "Network", 0, True)
	]


# -- properties -----------------------------------------------------------------------------------------
FIELDS = ("status_category", "team", "agent")
VALUES = {
	"status_category": ("Open", "Paused", "Resolved"),
	"team": ("Desk", "Network", None),
	"agent": ("ann@example.com", "bob@example.com", None),
}


@st.composite
def ticket_logs(draw):
	"""A start, a log of up to 25 status / team / agent changes at random offsets (some before the start,
	some at the same instant), and a `now`."""
	opened = draw(instants())
	offsets = draw(st.lists(st.integers(-2 * 3600 * US, 30 * 86_400 * US), max_size=25))
	events = []
	for offset in sorted(offsets):
		field = draw(st.sampled_from(FIELDS))
		events.append(
			TicketEvent(opened + timedelta(microseconds=offset), field, draw(st.sampled_from(VALUES[field])))
		)
	now = opened + timedelta(microseconds=draw(st.integers(0, 40 * 86_400 * US)))
	return opened, events, now


@SETTINGS
@given(calendar=calendars(), case=ticket_logs())
def test_segments_add_up_to_the_clock_elapsed_time_exactly(calendar, case):
	opened, events, now = case
	segments = time_ledger(opened_at=opened, events=events, calendar=calendar, now=now)
	timeline = status_timeline(opened, events, now)
	clock = evaluate_clock(timeline, target_seconds=3600, calendar=calendar, now=now)
	assert sum(s.business_us for s in segments) == round(clock.elapsed * US)
	# Paused business time: the calendar's time over the Paused stretches of the timeline.
	paused = 0
	for index, (when, category) in enumerate(timeline):
		if category == "Paused":
			end = timeline[index + 1][0] if index + 1 < len(timeline) else now
			paused += calendar.business_microseconds(when, end)
	assert sum(s.paused_us for s in segments) == paused


@SETTINGS
@given(calendar=calendars(), case=ticket_logs())
def test_segments_are_ordered_disjoint_and_inside_the_clock(calendar, case):
	opened, events, now = case
	segments = time_ledger(opened_at=opened, events=events, calendar=calendar, now=now)
	previous_end = opened
	for segment in segments:
		assert previous_end <= segment.start < segment.end <= now
		assert segment.business_us <= calendar.business_microseconds(segment.start, segment.end)
		assert segment.business_us + segment.paused_us <= calendar.business_microseconds(
			segment.start, segment.end
		)
		previous_end = segment.end


@SETTINGS
@given(calendar=calendars(), case=ticket_logs())
def test_handoff_waits_are_bounded_by_the_business_time_of_their_span(calendar, case):
	opened, events, now = case
	found = handoffs(opened_at=opened, events=events, calendar=calendar, now=now)
	teams_changed = 0
	last = None
	for event in sorted(events, key=lambda e: e.when):
		if event.field == "team" and event.when <= now and event.value:
			teams_changed += last is not None and event.value != last
			last = event.value
	assert len(found) == teams_changed
	for index, handoff in enumerate(found):
		limit = found[index + 1].when if index + 1 < len(found) else now
		assert handoff.from_team != handoff.to_team
		assert 0 <= handoff.wait_us <= calendar.business_microseconds(handoff.when, limit)
