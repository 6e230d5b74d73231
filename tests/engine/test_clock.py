"""Hand-computed SLA clock cases on the Rome office calendar (Mon-Fri 09:00-13:00 and 14:00-18:00)."""

from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from smo_extension.engine.calendar import BusinessCalendar
from smo_extension.engine.clock import ClockResult
from smo_extension.engine.clock import deadline
from smo_extension.engine.clock import evaluate_clock

ROME = ZoneInfo("Europe/Rome")
NEW_YORK = ZoneInfo("America/New_York")
HOUR = 3600
MICROSECOND = timedelta(microseconds=1)

OFFICE = BusinessCalendar(
	"Europe/Rome",
	{weekday: [("09:00", "13:00"), ("14:00", "18:00")] for weekday in range(5)},
	[date(2026, 6, 2)],
)


def rome(day: int, hour: int = 0, minute: int = 0) -> datetime:
	"""A Rome wall time in June 2026 (1 June is a Monday, 2 June a holiday)."""
	return datetime(2026, 6, day, hour, minute, tzinfo=ROME)


def clock(timeline, target_hours: float, now: datetime, **kwargs) -> ClockResult:
	return evaluate_clock(timeline, target_seconds=target_hours * HOUR, calendar=OFFICE, now=now, **kwargs)


# -- response clocks ----------------------------------------------------------------------------------


def test_response_within_target_is_met():
	"""Created Wednesday 3 June 09:00, answered 10:30: 1.5 h <= 2 h -> met, stopped at 10:30."""
	result = clock([(rome(3, 9), "Open"), (rome(3, 10, 30), "Resolved")], 2, now=rome(4, 12))
	assert result == ClockResult("met", 1.5 * HOUR, None, rome(3, 10, 30), None)


def test_late_response_is_breached_at_the_instant_it_crossed_the_target():
	"""Created Wednesday 12:00, answered 15:30: 12-13 (1 h) + 14-15:30 (1.5 h) = 2.5 h > 2 h. The 2 h were
	reached at 15:00 (1 h before lunch, 1 h after)."""
	result = clock([(rome(3, 12), "Open"), (rome(3, 15, 30), "Resolved")], 2, now=rome(3, 16))
	assert result == ClockResult("breached", 2.5 * HOUR, rome(3, 15), rome(3, 15, 30), None)


def test_response_at_the_creation_instant_is_met_at_zero():
	"""Equal timestamps are allowed: answered the instant it was created -> met with 0 elapsed."""
	result = clock([(rome(3, 10), "Open"), (rome(3, 10), "Resolved")], 1, now=rome(3, 11))
	assert result == ClockResult("met", 0, None, rome(3, 10), None)


# -- running clocks -----------------------------------------------------------------------------------


def test_running_clock_before_the_at_risk_share():
	"""Created Wednesday 09:00, now 11:00, target 8 h: 2 h elapsed (25 %) -> running. Due when the 8 h are
	reached, Wednesday 18:00; it turns at risk at 75 % = 6 h, i.e. 09-13 + 14-16 -> 16:00."""
	result = clock([(rome(3, 9), "Open")], 8, now=rome(3, 11))
	assert result == ClockResult("running", 2 * HOUR, rome(3, 18), None, rome(3, 16))


def test_running_clock_at_risk_breaches_one_microsecond_after_due():
	"""Created Wednesday 09:00, target 7 h, now 15:30: 4 h + 1.5 h = 5.5 h >= 0.75 x 7 h = 5.25 h -> at risk.
	Due 17:00 (7 h = 09-13 + 14-17); it is breached once elapsed exceeds 7 h: one microsecond after 17:00."""
	result = clock([(rome(3, 9), "Open")], 7, now=rome(3, 15, 30))
	assert result == ClockResult("at_risk", 5.5 * HOUR, rome(3, 17), None, rome(3, 17) + MICROSECOND)


def test_custom_at_risk_ratio():
	"""Same clock with at_risk_ratio 0.9: 5.5 h < 6.3 h -> running; at risk from 6.3 h = 16:18."""
	result = clock([(rome(3, 9), "Open")], 7, now=rome(3, 15, 30), at_risk_ratio=0.9)
	assert result.state == "running"
	assert result.next_change == rome(3, 16, 18)


def test_elapsed_exactly_at_target_after_hours_is_at_risk_not_breached():
	"""Created Wednesday 16:00, target 2 h, now 19:00: 16-18 = 2 h = target, not over it -> at risk. The
	target was reached at 18:00 (due, already past); the breach comes with the first business microsecond
	after it, Thursday 09:00."""
	result = clock([(rome(3, 16), "Open")], 2, now=rome(3, 19))
	assert result == ClockResult("at_risk", 2 * HOUR, rome(3, 18), None, rome(4, 9) + MICROSECOND)


def test_running_clock_past_target_is_breached():
	"""Created Wednesday 09:00, target 8 h, now Thursday 10:00: 8 h + 1 h = 9 h > 8 h -> breached at Wednesday
	18:00, still running (no stop)."""
	result = clock([(rome(3, 9), "Open")], 8, now=rome(4, 10))
	assert result == ClockResult("breached", 9 * HOUR, rome(3, 18), None, None)


def test_entries_after_now_are_ignored():
	"""A resolution recorded after `now` does not count yet: 09:00-11:00 = 2 h, still running."""
	result = clock([(rome(3, 9), "Open"), (rome(3, 15), "Resolved")], 8, now=rome(3, 11))
	assert result.state == "running"
	assert result.elapsed == 2 * HOUR
	assert result.stopped_at is None


def test_clock_that_starts_after_now_is_reported_as_it_starts():
	"""Created Thursday 09:00 but evaluated Wednesday: 0 elapsed; due Thursday 09:00 + 8 h = 18:00."""
	result = clock([(rome(4, 9), "Open")], 8, now=rome(3, 9))
	assert result == ClockResult("running", 0, rome(4, 18), None, rome(4, 16))


# -- pauses and reopenings ----------------------------------------------------------------------------


def test_pause_over_a_weekend():
	"""Created Friday 5 June 10:00, waiting on the customer from 12:00, back Monday 8 June 15:00, now 17:00.
	Elapsed = Friday 10-12 (2 h) + Monday 15-17 (2 h) = 4 h of 8 h -> running. The remaining 4 h: Monday 17-18
	and Tuesday 09-12 -> due Tuesday 12:00; at risk at 6 h: Monday 17-18 + Tuesday 09-10 -> Tuesday 10:00.
	Paused for Friday 12-13 + 14-18 and Monday 09-13 + 14-15 = 10 business hours (the weekend is not business
	time)."""
	timeline = [(rome(5, 10), "Open"), (rome(5, 12), "Paused"), (rome(8, 15), "Open")]
	result = clock(timeline, 8, now=rome(8, 17))
	assert result == ClockResult("running", 4 * HOUR, rome(9, 12), None, rome(9, 10), paused=10 * HOUR)


def test_paused_clock_does_not_move():
	"""Open Wednesday 09:00-11:00 then paused: 2 h, state paused, no due, nothing changes on its own. Paused
	Wednesday 11-18 (6 h), Thursday, Friday, Monday and Tuesday (4 x 8 h) and Wednesday 10 June 09-12 (3 h): 41 h."""
	result = clock([(rome(3, 9), "Open"), (rome(3, 11), "Paused")], 8, now=rome(10, 12))
	assert result == ClockResult("paused", 2 * HOUR, None, None, None, paused=41 * HOUR)


def test_paused_clock_over_target_is_breached():
	"""Open Wednesday 09:00-11:00 (2 h) then paused, target 1 h: breached at 10:00, not stopped; paused
	Wednesday 11-18 (6 h) and Thursday 09-12 (3 h)."""
	result = clock([(rome(3, 9), "Open"), (rome(3, 11), "Paused")], 1, now=rome(4, 12))
	assert result == ClockResult("breached", 2 * HOUR, rome(3, 10), None, None, paused=9 * HOUR)


def test_reopened_clock_runs_again():
	"""Resolved Wednesday 11:00 after 2 h, reopened Thursday 09:00, now 10:00: 2 h + 1 h = 3 h of 8 h,
	running, no stop. Remaining 5 h: Thursday 10-13 + 14-16 -> due Thursday 16:00; at risk at 6 h
	-> Thursday 13:00."""
	timeline = [(rome(3, 9), "Open"), (rome(3, 11), "Resolved"), (rome(4, 9), "Open")]
	result = clock(timeline, 8, now=rome(4, 10))
	assert result == ClockResult("running", 3 * HOUR, rome(4, 16), None, rome(4, 13))


def test_reopened_clock_breaches_with_the_time_from_before_the_resolution():
	"""Same timeline, target 4 h, now Thursday 12:00: 2 h + 3 h = 5 h > 4 h. The 4th hour was reached 2 h
	after the reopening -> breached at Thursday 11:00."""
	timeline = [(rome(3, 9), "Open"), (rome(3, 11), "Resolved"), (rome(4, 9), "Open")]
	result = clock(timeline, 4, now=rome(4, 12))
	assert result == ClockResult("breached", 5 * HOUR, rome(4, 11), None, None)


def test_reopened_and_resolved_again_is_met_at_the_second_resolution():
	"""2 h (Wed 09-11) + 1 h (Thu 09-10) = 3 h <= 4 h -> met, stopped at Thursday 10:00."""
	timeline = [
		(rome(3, 9), "Open"),
		(rome(3, 11), "Resolved"),
		(rome(4, 9), "Open"),
		(rome(4, 10), "Resolved"),
	]
	result = clock(timeline, 4, now=rome(5, 12))
	assert result == ClockResult("met", 3 * HOUR, None, rome(4, 10), None)


def test_stop_is_the_first_of_consecutive_resolved_entries():
	"""Resolved at 11:00, then Closed (also category Resolved) at 12:00: the clock stopped at 11:00."""
	timeline = [(rome(3, 9), "Open"), (rome(3, 11), "Resolved"), (rome(3, 12), "Resolved")]
	assert clock(timeline, 4, now=rome(3, 13)).stopped_at == rome(3, 11)


def test_clock_starting_paused_counts_nothing_until_opened():
	"""Created Wednesday 09:00 already waiting on the customer, opened at 10:00, now 12:00: 2 h, 1 h paused."""
	timeline = [(rome(3, 9), "Paused"), (rome(3, 10), "Open")]
	result = clock(timeline, 8, now=rome(3, 12))
	assert (result.elapsed, result.paused) == (2 * HOUR, 1 * HOUR)


def test_time_paused_before_a_stop_counts_up_to_the_stop():
	"""Open 09-10, paused 10-11:30, open again, resolved 12:00: 1.5 h counted, 1.5 h paused; nothing after."""
	timeline = [
		(rome(3, 9), "Open"),
		(rome(3, 10), "Paused"),
		(rome(3, 11, 30), "Open"),
		(rome(3, 12), "Resolved"),
	]
	result = clock(timeline, 8, now=rome(5, 12))
	assert (result.state, result.elapsed, result.paused) == ("met", 1.5 * HOUR, 1.5 * HOUR)


# -- deadlines: the instant the target is (or would be) reached, in every state ---------------------------


def _deadline(result: ClockResult, target_hours: float, now: datetime):
	return deadline(result, target_seconds=target_hours * HOUR, calendar=OFFICE, now=now)


def test_deadline_of_running_and_breached_clocks_is_their_due():
	running = clock([(rome(3, 9), "Open")], 8, now=rome(3, 11))
	assert _deadline(running, 8, rome(3, 11)) == running.due == rome(3, 18)
	breached = clock([(rome(3, 9), "Open")], 8, now=rome(4, 10))
	assert _deadline(breached, 8, rome(4, 10)) == breached.due == rome(3, 18)


def test_deadline_of_a_met_clock_is_where_its_target_would_have_ended():
	"""Answered Wednesday 10:30 after 1.5 h of a 2 h target: the 0.5 h left would have ended at 11:00, after
	the stop (so "answered before the deadline" reads true), whenever it is evaluated."""
	result = clock([(rome(3, 9), "Open"), (rome(3, 10, 30), "Resolved")], 2, now=rome(4, 12))
	assert result.due is None
	assert _deadline(result, 2, rome(4, 12)) == rome(3, 11)
	assert _deadline(result, 2, rome(20, 12)) == rome(3, 11)


def test_deadline_of_a_paused_clock_is_where_it_would_end_if_it_resumed_now():
	"""2 h of 8 h counted, paused since Wednesday 11:00; evaluated Thursday 15:00: the 6 h left end Friday
	12:00 (Thursday 15-18 + Friday 09-12), evaluated Friday 09:00 they end Friday 16:00."""
	result = clock([(rome(3, 9), "Open"), (rome(3, 11), "Paused")], 8, now=rome(4, 15))
	assert result.due is None
	assert _deadline(result, 8, rome(4, 15)) == rome(5, 12)
	later = clock([(rome(3, 9), "Open"), (rome(3, 11), "Paused")], 8, now=rome(5, 9))
	assert _deadline(later, 8, rome(5, 9)) == rome(5, 16)


# -- calendars ------------------------------------------------------------------------------------------


def test_24x7_clock_over_the_new_york_spring_forward():
	"""24x7 New York, created Saturday 7 March 2026 12:00 EST, now Sunday 8 March 12:00 EDT: 23 real hours
	(the clocks skipped 02:00-03:00). Target 24 h -> at risk (>= 18 h), due Sunday 13:00 EDT."""
	calendar = BusinessCalendar.always("America/New_York")
	created = datetime(2026, 3, 7, 12, tzinfo=NEW_YORK)
	now = datetime(2026, 3, 8, 12, tzinfo=NEW_YORK)
	result = evaluate_clock([(created, "Open")], target_seconds=24 * HOUR, calendar=calendar, now=now)
	assert result.state == "at_risk"
	assert result.elapsed == 23 * HOUR
	assert result.due == datetime(2026, 3, 8, 13, tzinfo=NEW_YORK)


def test_unreachable_due_is_reported_as_none():
	"""A Saturday-only calendar whose next 11 years of Saturdays are holidays: the clock runs but no due date
	can be computed -> due None and next_change None, instead of an error."""
	saturdays = [date(2026, 1, 3) + timedelta(weeks=week) for week in range(11 * 53)]
	calendar = BusinessCalendar("Europe/Rome", {5: [("10:00", "12:00")]}, saturdays)
	start = datetime(2026, 1, 1, tzinfo=ROME)
	result = evaluate_clock([(start, "Open")], target_seconds=HOUR, calendar=calendar, now=start)
	assert result == ClockResult("running", 0, None, None, None)


# -- invalid input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	("timeline", "message"),
	[
		([], "timeline is empty"),
		([(rome(3, 9), "Closed")], "unknown category 'Closed'"),
		([(rome(3, 9), "Open"), (rome(3, 8), "Resolved")], "timeline is not sorted"),
		([(datetime(2026, 6, 3, 9), "Open")], "aware datetime"),
		([(rome(3, 9),)], "not a (when, category) pair"),
	],
)
def test_invalid_timelines(timeline, message):
	with pytest.raises(ValueError) as caught:
		clock(timeline, 1, now=rome(3, 10))
	assert message in str(caught.value)


def test_invalid_arguments():
	timeline = [(rome(3, 9), "Open")]
	with pytest.raises(ValueError, match="now must be an aware datetime"):
		clock(timeline, 1, now=datetime(2026, 6, 3, 10))
	with pytest.raises(ValueError, match="must not be negative"):
		clock(timeline, -1, now=rome(3, 10))
	with pytest.raises(ValueError, match="at_risk_ratio"):
		clock(timeline, 1, now=rome(3, 10), at_risk_ratio=1.5)


def test_deadline_of_each_kind_of_clock():
	from smo_extension.engine.clock import deadline

	# Met: opened Wednesday 09:00, resolved 11:00 against a 4 h target: it would have been due at 13:00
	# (the end of the morning window).
	done = clock([(rome(3, 9), "Open"), (rome(3, 11), "Resolved")], 4, now=rome(5))
	assert done.state == "met"
	assert deadline(done, target_seconds=4 * HOUR, calendar=OFFICE) == rome(3, 13)
	# Running and breached clocks keep their own due.
	running = clock([(rome(3, 9), "Open")], 4, now=rome(3, 10))
	assert deadline(running, target_seconds=4 * HOUR, calendar=OFFICE) == running.due == rome(3, 13)
	late = clock([(rome(3, 9), "Open"), (rome(3, 17), "Resolved")], 4, now=rome(5))
	assert deadline(late, target_seconds=4 * HOUR, calendar=OFFICE) == late.due == rome(3, 13)
	# Met exactly at the target: due at the stop. Paused: no due date.
	exact = clock([(rome(3, 9), "Open"), (rome(3, 13), "Resolved")], 4, now=rome(5))
	assert exact.state == "met"
	assert deadline(exact, target_seconds=4 * HOUR, calendar=OFFICE) == rome(3, 13)
	paused = clock([(rome(3, 9), "Open"), (rome(3, 10), "Paused")], 4, now=rome(3, 12))
	assert deadline(paused, target_seconds=4 * HOUR, calendar=OFFICE) is None
