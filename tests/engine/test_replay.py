"""Replaying a ticket's event log into agreement clocks (smo_extension.engine.replay)."""

from datetime import datetime
from datetime import timedelta
from datetime import timezone

import pytest

from smo_extension.engine.calendar import BusinessCalendar
from smo_extension.engine.graph import find_cycle
from smo_extension.engine.replay import AgreementSpec
from smo_extension.engine.replay import TicketEvent
from smo_extension.engine.replay import evaluate_ticket
from smo_extension.engine.replay import response_timeline
from smo_extension.engine.replay import status_timeline
from smo_extension.engine.replay import team_timeline
from smo_extension.engine.replay import worst_state

UTC = timezone.utc
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
H = timedelta(hours=1)
ALWAYS = BusinessCalendar.always()


def at(hours: float) -> datetime:
	return T0 + timedelta(hours=hours)


def spec(name="SLA", kind="SLA", team=None, targets=None) -> AgreementSpec:
	return AgreementSpec(
		name=name,
		agreement_type=kind,
		version=3,
		calendar=ALWAYS,
		targets=targets or {"Medium": (3600.0, 8 * 3600.0), "Urgent": (900.0, 3600.0)},
		team=team,
	)


def events(*items) -> list[TicketEvent]:
	return [TicketEvent(when, field, value) for when, field, value in items]


def test_worst_state_orders_breached_first():
	assert worst_state(["met", "running", "breached"]) == "breached"
	assert worst_state(["met", "paused"]) == "paused"
	with pytest.raises(ValueError):
		worst_state([])


def test_status_timeline_merges_same_instant_and_repeats():
	log = events(
		(T0, "status_category", "Open"),
		(at(1), "status_category", "Open"),
		(at(2), "status_category", "Paused"),
	)
	assert status_timeline(T0, log, at(5)) == [(T0, "Open"), (at(2), "Paused")]
	# events after now are ignored
	assert status_timeline(T0, log, at(1.5)) == [(T0, "Open")]


def test_response_timeline_stops_at_first_response_or_resolution():
	timeline = [(T0, "Open"), (at(1), "Paused"), (at(3), "Open"), (at(5), "Resolved")]
	assert response_timeline(timeline, at(4)) == [
		(T0, "Open"),
		(at(1), "Paused"),
		(at(3), "Open"),
		(at(4), "Resolved"),
	]
	assert response_timeline(timeline, None) == [
		(T0, "Open"),
		(at(1), "Paused"),
		(at(3), "Open"),
		(at(5), "Resolved"),
	]
	# answered before this clock started (an OLA team that got the ticket later): met at zero
	assert response_timeline([(at(2), "Open")], at(1)) == [(at(2), "Open"), (at(2), "Resolved")]


def test_team_timeline_stops_when_handed_over_and_resumes_on_return():
	log = events((T0, "team", "A"), (at(1), "team", "B"), (at(3), "team", "A"))
	timeline = [(T0, "Open")]
	assert team_timeline(timeline, log, "A", at(5)) == [(T0, "Open"), (at(1), "Resolved"), (at(3), "Open")]
	assert team_timeline(timeline, log, "B", at(5)) == [(at(1), "Open"), (at(3), "Resolved")]
	assert team_timeline(timeline, log, "C", at(5)) == []


def test_priority_change_applies_new_target_from_creation():
	"""Medium (8 h) for 90 minutes, then Urgent (1 h): breached, crossed at 10:00, one hour after opening."""
	log = events((T0, "status_category", "Open"), (T0, "priority", "Medium"), (at(1.5), "priority", "Urgent"))
	clocks, missing = evaluate_ticket(
		opened_at=T0, events=log, first_response_at=None, agreements=[spec()], now=at(1.5)
	)
	assert missing == []
	(clock,) = clocks
	assert clock.priority == "Urgent"
	assert clock.resolution.state == "breached"
	assert clock.resolution.due == at(1)
	assert clock.response.due == at(0.25)
	assert clock.state == "breached"


def test_ola_judges_only_the_time_its_team_held_the_ticket():
	log = events(
		(T0, "status_category", "Open"),
		(T0, "priority", "Medium"),
		(T0, "team", "A"),
		(at(2), "team", "B"),
	)
	agreements = [spec("SLA"), spec("OLA A", "OLA", team="A"), spec("OLA B", "OLA", team="B")]
	clocks, _ = evaluate_ticket(
		opened_at=T0, events=log, first_response_at=at(0.5), agreements=agreements, now=at(3)
	)
	by_name = {c.agreement.name: c for c in clocks}
	assert by_name["SLA"].resolution.elapsed == 3 * 3600
	assert by_name["SLA"].team == "B"
	assert by_name["OLA A"].resolution.elapsed == 2 * 3600
	assert by_name["OLA A"].resolution.state == "met"
	assert by_name["OLA B"].opened_at == at(2)
	assert by_name["OLA B"].resolution.elapsed == 3600
	# B got the ticket after the first response: its response clock is met at zero
	assert by_name["OLA B"].response.state == "met"
	assert by_name["OLA B"].response.elapsed == 0


def test_priority_without_target_is_reported_not_raised():
	log = events((T0, "status_category", "Open"), (T0, "priority", "Exotic"))
	clocks, missing = evaluate_ticket(
		opened_at=T0, events=log, first_response_at=None, agreements=[spec()], now=at(1)
	)
	assert clocks == []
	assert missing == ["SLA"]


def test_next_check_is_the_earliest_change_of_either_clock():
	log = events((T0, "status_category", "Open"), (T0, "priority", "Medium"))
	(clock,), _ = evaluate_ticket(
		opened_at=T0, events=log, first_response_at=None, agreements=[spec()], now=T0
	)
	# response (1 h) is at risk first, at 45 minutes
	assert clock.next_check_at == T0 + timedelta(minutes=45)
	assert clock.is_running


def test_paused_ticket_deadlines_and_next_check():
	"""Medium (1 h response, 8 h resolution) on a 24x7 calendar: open 09:00-09:30, paused since. At 12:00 both
	clocks are paused; had they resumed now, 30 min of response and 7.5 h of resolution would be left. The scan
	looks again when the nearer of those deadlines comes (12:30), and moves it on."""
	log = events(
		(T0, "status_category", "Open"), (T0, "priority", "Medium"), (at(0.5), "status_category", "Paused")
	)
	(clock,), _ = evaluate_ticket(
		opened_at=T0, events=log, first_response_at=None, agreements=[spec()], now=at(3)
	)
	assert (clock.response.state, clock.resolution.state) == ("paused", "paused")
	assert clock.response.paused == clock.resolution.paused == 2.5 * 3600
	assert clock.response_deadline == at(3.5)
	assert clock.resolution_deadline == at(10.5)
	assert clock.next_check_at == at(3.5)


def test_met_response_deadline_is_after_the_answer():
	"""Answered after 20 minutes of a 1 h target: the response deadline stays at 10:00, after the answer."""
	log = events((T0, "status_category", "Open"), (T0, "priority", "Medium"))
	(clock,), _ = evaluate_ticket(
		opened_at=T0, events=log, first_response_at=at(1 / 3), agreements=[spec()], now=at(5)
	)
	assert clock.response.state == "met"
	assert clock.response_deadline == at(1)
	assert clock.resolution_deadline == clock.resolution.due == at(8)


def test_find_cycle():
	edges = {"A": ["B"], "B": ["C"], "C": ["A"], "D": ["A"]}
	assert find_cycle(edges, "A") == ["A", "B", "C", "A"]
	assert find_cycle(edges, "D") is None
	assert find_cycle({"A": ["A"]}, "A") == ["A", "A"]
