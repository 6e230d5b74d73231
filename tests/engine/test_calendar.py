"""Hand-computed business-calendar cases; each test states its arithmetic."""

import random
import sys
import threading
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from datetime import timezone
from zoneinfo import ZoneInfo

import pytest

from smo_extension.engine.calendar import HORIZON_DAYS
from smo_extension.engine.calendar import BusinessCalendar
from smo_extension.engine.calendar import CalendarError

ROME = ZoneInfo("Europe/Rome")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
KOLKATA = ZoneInfo("Asia/Kolkata")
UTC = timezone.utc
HOUR = 3600

# 2026-06-01 is a Monday; 2026-06-02 (Festa della Repubblica) is the holiday of these tests.
REPUBLIC_DAY = date(2026, 6, 2)


def rome(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
	return datetime(2026, month, day, hour, minute, tzinfo=ROME)


def new_york(month: int, day: int, hour: int = 0, minute: int = 0, fold: int = 0) -> datetime:
	return datetime(2026, month, day, hour, minute, tzinfo=NEW_YORK, fold=fold)


@pytest.fixture
def office() -> BusinessCalendar:
	"""Europe/Rome, Mon-Fri 09:00-13:00 and 14:00-18:00 (8 h a day, 40 h a week), 2 June a holiday."""
	return BusinessCalendar(
		"Europe/Rome",
		{weekday: [("09:00", "13:00"), ("14:00", "18:00")] for weekday in range(5)},
		[REPUBLIC_DAY],
	)


# -- Rome office calendar -----------------------------------------------------------------------------


def test_ticket_raised_on_a_sunday_waits_for_monday(office):
	"""Sunday 7 June 10:00 + 4 h: nothing counts on Sunday; Monday 09:00-13:00 is exactly 4 h -> 13:00."""
	due = office.add_business_seconds(rome(6, 7, 10), 4 * HOUR)
	assert due == rome(6, 8, 13)
	assert office.business_seconds(rome(6, 7, 10), due) == 4 * HOUR


def test_ticket_raised_on_a_holiday_waits_for_the_next_working_day(office):
	"""Tuesday 2 June (holiday) 10:00 + 1 h: the holiday counts nothing -> Wednesday 09:00 + 1 h = 10:00."""
	assert office.add_business_seconds(rome(6, 2, 10), HOUR) == rome(6, 3, 10)


def test_span_over_a_holiday(office):
	"""Monday 17:00 -> Wednesday 10:00 = 1 h on Monday + 0 on the holiday + 1 h on Wednesday = 2 h."""
	assert office.business_seconds(rome(6, 1, 17), rome(6, 3, 10)) == 2 * HOUR


def test_ticket_raised_at_12_59_skips_the_lunch_break(office):
	"""Monday 12:59 + 2 h: 1 min until 13:00, lunch 13:00-14:00 does not count, 1 h 59 min from 14:00
	-> 15:59."""
	assert office.add_business_seconds(rome(6, 1, 12, 59), 2 * HOUR) == rome(6, 1, 15, 59)


def test_ticket_raised_at_18_00_exactly_counts_nothing_that_day(office):
	"""Friday 18:00 is the end of the window ([start, end)), so Friday adds 0; the weekend adds 0;
	30 min land on Monday 09:30."""
	assert office.business_seconds(rome(6, 5, 18), rome(6, 8, 9)) == 0
	assert office.add_business_seconds(rome(6, 5, 18), 30 * 60) == rome(6, 8, 9, 30)


def test_target_of_exactly_the_remaining_window_ends_at_the_window_end(office):
	"""Monday 16:00 + 2 h is Monday 18:00 (the end of the window), not Tuesday 09:00; likewise Monday 12:00 +
	1 h is 13:00, not 14:00."""
	assert office.add_business_seconds(rome(6, 1, 16), 2 * HOUR) == rome(6, 1, 18)
	assert office.add_business_seconds(rome(6, 1, 12), HOUR) == rome(6, 1, 13)


def test_a_whole_working_day_from_the_window_start(office):
	"""Monday 09:00 + 8 h = the two windows of Monday -> Monday 18:00."""
	assert office.add_business_seconds(rome(6, 1, 9), 8 * HOUR) == rome(6, 1, 18)


def test_pause_free_span_over_a_weekend(office):
	"""Friday 17:00 -> Monday 10:00 = 1 h on Friday + 1 h on Monday = 2 h."""
	assert office.business_seconds(rome(6, 5, 17), rome(6, 8, 10)) == 2 * HOUR


def test_weekend_with_the_rome_spring_forward_change(office):
	"""Rome moves from +01:00 to +02:00 on Sunday 29 March 2026. Friday 27 March 17:00 (16:00 UTC) + 2 h =
	1 h on Friday + 1 h on Monday 30 March -> Monday 10:00 local, which is 08:00 UTC."""
	due = office.add_business_seconds(rome(3, 27, 17), 2 * HOUR)
	assert due == rome(3, 30, 10)
	assert due == datetime(2026, 3, 30, 8, tzinfo=UTC)


def test_a_whole_year_equals_eight_hours_per_working_day(office):
	"""Business time of 2026 = 8 h x (weekdays of 2026 that are not a holiday), counted date by date."""
	working_days = sum(
		1
		for offset in range(365)
		if (day := date(2026, 1, 1) + timedelta(days=offset)).weekday() < 5 and day != REPUBLIC_DAY
	)
	assert working_days == 260
	assert office.business_seconds(rome(1, 1), datetime(2027, 1, 1, tzinfo=ROME)) == working_days * 8 * HOUR


def test_ninety_days_of_business_time(office):
	"""90 x 24 h = 2160 business hours = 270 working days of 8 h = 54 weeks of 5 working days. From Monday 1
	June 2026 09:00 those end on Friday 11 June 2027 18:00; the 2 June holiday costs one more working day, so
	the target falls at the end of Monday 14 June 2027."""
	due = office.add_business_seconds(rome(6, 1, 9), 90 * 24 * HOUR)
	assert due == datetime(2027, 6, 14, 18, tzinfo=ROME)


def test_adjacent_windows_are_not_overlapping_and_count_once():
	"""09:00-13:00 + 13:00-18:00 is one 9 h window: Monday 12:30 + 1 h = 13:30, no gap at 13:00."""
	calendar = BusinessCalendar("Europe/Rome", {0: [("09:00", "13:00"), ("13:00", "18:00")]})
	assert calendar.windows == {0: (("09:00", "18:00"),)}
	assert calendar.add_business_seconds(rome(6, 1, 12, 30), HOUR) == rome(6, 1, 13, 30)
	assert calendar.business_seconds(rome(6, 1), rome(6, 2)) == 9 * HOUR


def test_calendar_whose_only_window_is_saturday():
	"""Only Saturday 10:00-12:00. Monday 1 June 09:00 + 3 h: Saturday 6 June gives 2 h, Saturday 13 June gives
	the last hour -> Saturday 13 June 11:00."""
	calendar = BusinessCalendar("Europe/Rome", {5: [("10:00", "12:00")]})
	assert calendar.add_business_seconds(rome(6, 1, 9), 3 * HOUR) == rome(6, 13, 11)
	assert calendar.business_seconds(rome(6, 1), rome(6, 14)) == 4 * HOUR


def test_start_given_in_another_zone(office):
	"""Monday 1 June 07:00 UTC is 09:00 in Rome: + 4 h -> 13:00 Rome = 11:00 UTC."""
	due = office.add_business_seconds(datetime(2026, 6, 1, 7, tzinfo=UTC), 4 * HOUR)
	assert due == datetime(2026, 6, 1, 11, tzinfo=UTC)
	assert due.utcoffset() == timedelta(0)


def test_fractional_seconds_are_kept_to_the_microsecond(office):
	"""Monday 09:00 + 1.5 s + 250 µs = 09:00:01.500250."""
	due = office.add_business_seconds(rome(6, 1, 9), 1.50025)
	assert due == rome(6, 1, 9) + timedelta(seconds=1, microseconds=500_250)
	assert office.business_seconds(rome(6, 1, 9), due) == 1.50025


def test_zero_and_backwards(office):
	"""Adding 0 gives the start itself (even outside working time); an end before the start measures 0."""
	assert office.add_business_seconds(rome(6, 7, 10), 0) == rome(6, 7, 10)
	assert office.business_seconds(rome(6, 1, 12), rome(6, 1, 10)) == 0
	assert office.business_seconds(rome(6, 1, 12), rome(6, 1, 12)) == 0


def test_naive_datetimes_and_negative_amounts_are_rejected(office):
	with pytest.raises(ValueError, match="aware"):
		office.business_seconds(datetime(2026, 6, 1, 9), rome(6, 1, 10))
	with pytest.raises(ValueError, match="aware"):
		office.business_seconds(rome(6, 1, 9), datetime(2026, 6, 1, 10))
	with pytest.raises(ValueError, match="aware"):
		office.add_business_seconds(datetime(2026, 6, 1, 9), 60)
	with pytest.raises(ValueError, match="negative"):
		office.add_business_seconds(rome(6, 1, 9), -1)
	with pytest.raises(ValueError, match="finite"):
		office.add_business_seconds(rome(6, 1, 9), float("nan"))


def test_time_formats_frappe_may_pass():
	"""'HH:MM:SS' strings, datetime.time and timedelta (Frappe's Time fields) mean the same as 'HH:MM'."""
	reference = BusinessCalendar("UTC", {0: [("09:00", "17:30")]})
	for start, end in [
		("09:00:00", "17:30:00"),
		(time(9), time(17, 30)),
		(timedelta(hours=9), timedelta(hours=17.5)),
	]:
		calendar = BusinessCalendar("UTC", {0: [(start, end)]})
		assert calendar.windows == reference.windows == {0: (("09:00", "17:30"),)}


# -- 24x7 and daylight saving -------------------------------------------------------------------------


def test_always_in_utc_is_plain_subtraction():
	"""24x7 UTC: 3 days 4 h 5 min = 273,900 s, and adding it back lands on the same instant."""
	calendar = BusinessCalendar.always()
	start = datetime(2026, 2, 27, 22, 30, tzinfo=UTC)
	end = start + timedelta(days=3, hours=4, minutes=5)
	assert calendar.business_seconds(start, end) == 273_900
	assert calendar.add_business_seconds(start, 273_900) == end


def test_new_york_24x7_spring_forward_day_is_23_real_hours():
	"""On 2026-03-08 New York skips 02:00-03:00: the 24 wall hours of that date are 23 real hours, and 24 real
	hours after midnight is 01:00 (EDT) on 9 March."""
	calendar = BusinessCalendar.always("America/New_York")
	assert calendar.business_seconds(new_york(3, 8), new_york(3, 9)) == 23 * HOUR
	assert calendar.add_business_seconds(new_york(3, 8), 24 * HOUR) == new_york(3, 9, 1)


def test_new_york_24x7_fall_back_day_is_25_real_hours():
	"""On 2026-11-01 New York repeats 01:00-02:00: the date lasts 25 real hours, and 24 real hours after
	midnight is 23:00 (EST) the same day."""
	calendar = BusinessCalendar.always("America/New_York")
	assert calendar.business_seconds(new_york(11, 1), new_york(11, 2)) == 25 * HOUR
	assert calendar.add_business_seconds(new_york(11, 1), 24 * HOUR) == new_york(11, 1, 23)


def test_new_york_24x7_across_both_changes():
	"""1 March -> 1 December 2026 = 275 days x 24 h, -1 h in March, +1 h in November = 6600 h."""
	calendar = BusinessCalendar.always("America/New_York")
	assert calendar.business_seconds(new_york(3, 1), new_york(12, 1)) == 275 * 24 * HOUR


def test_window_across_the_spring_forward_gap_is_one_real_hour():
	"""Sunday window 01:00-03:00 on 2026-03-08: the clocks jump from 02:00 EST to 03:00 EDT, so only
	01:00-02:00 EST exists: 1 real hour (06:00-07:00 UTC). A week earlier the same window is 2 h."""
	calendar = BusinessCalendar("America/New_York", {6: [("01:00", "03:00")]})
	assert calendar.business_seconds(new_york(3, 8), new_york(3, 9)) == HOUR
	assert calendar.business_seconds(new_york(3, 1), new_york(3, 2)) == 2 * HOUR
	assert calendar.add_business_seconds(new_york(3, 8), HOUR) == datetime(2026, 3, 8, 7, tzinfo=UTC)


def test_windows_inside_or_starting_in_the_gap():
	"""02:00-03:00 does not exist on 2026-03-08 (0 h); 02:30-04:00 starts at the jump, 03:00 EDT (1 h)."""
	inside = BusinessCalendar("America/New_York", {6: [("02:00", "03:00")]})
	assert inside.business_seconds(new_york(3, 8), new_york(3, 9)) == 0
	starting = BusinessCalendar("America/New_York", {6: [("02:30", "04:00")]})
	assert starting.business_seconds(new_york(3, 8), new_york(3, 9)) == HOUR
	assert starting.add_business_seconds(new_york(3, 8), 1) == new_york(3, 8, 3) + timedelta(seconds=1)


def test_window_over_the_repeated_hour_lasts_two_real_hours():
	"""Sunday window 01:00-02:00 on 2026-11-01: 01:00-02:00 EDT then 01:00-02:00 EST, 2 real hours
	(05:00-07:00 UTC)."""
	calendar = BusinessCalendar("America/New_York", {6: [("01:00", "02:00")]})
	assert calendar.business_seconds(new_york(11, 1), new_york(11, 2)) == 2 * HOUR
	assert calendar.add_business_seconds(new_york(11, 1), 2 * HOUR) == datetime(2026, 11, 1, 7, tzinfo=UTC)
	# The second 01:30 (EST, fold=1) is 1.5 h into the window.
	assert calendar.business_seconds(new_york(11, 1), new_york(11, 1, 1, 30, fold=1)) == 1.5 * HOUR


def test_window_ending_inside_the_repeated_hour():
	"""Sunday 00:00-01:30 on 2026-11-01 counts every instant whose wall time is before 01:30: 00:00-01:30 EDT
	(1.5 h) and 01:00-01:30 EST (0.5 h) = 2 h. The next window 01:30-03:00 gets 01:30-02:00 EDT, 01:30-03:00
	EST (0.5 h + 1.5 h) = 2 h: together the 4 real hours of 00:00-03:00, nothing counted twice."""
	first = BusinessCalendar("America/New_York", {6: [("00:00", "01:30")]})
	second = BusinessCalendar("America/New_York", {6: [("01:30", "03:00")]})
	both = BusinessCalendar("America/New_York", {6: [("00:00", "01:30"), ("01:30", "03:00")]})
	day = (new_york(11, 1), new_york(11, 2))
	assert first.business_seconds(*day) == 2 * HOUR
	assert second.business_seconds(*day) == 2 * HOUR
	assert both.business_seconds(*day) == 4 * HOUR


def test_lord_howe_half_hour_changes():
	"""Lord Howe Island shifts by 30 minutes: 5 April 2026 (02:00 back to 01:30) lasts 24.5 h, 4 October 2026
	(02:00 forward to 02:30) lasts 23.5 h."""
	calendar = BusinessCalendar.always("Australia/Lord_Howe")
	assert (
		calendar.business_seconds(
			datetime(2026, 4, 5, tzinfo=LORD_HOWE), datetime(2026, 4, 6, tzinfo=LORD_HOWE)
		)
		== 24.5 * HOUR
	)
	assert (
		calendar.business_seconds(
			datetime(2026, 10, 4, tzinfo=LORD_HOWE), datetime(2026, 10, 5, tzinfo=LORD_HOWE)
		)
		== 23.5 * HOUR
	)


def test_kolkata_half_hour_offset():
	"""Asia/Kolkata is UTC+05:30: a 09:00-17:00 window on Monday 1 June is 03:30-11:30 UTC."""
	calendar = BusinessCalendar("Asia/Kolkata", {0: [("09:00", "17:00")]})
	due = calendar.add_business_seconds(datetime(2026, 6, 1, tzinfo=UTC), 8 * HOUR)
	assert due == datetime(2026, 6, 1, 11, 30, tzinfo=UTC)
	assert calendar.add_business_seconds(datetime(2026, 6, 1, tzinfo=KOLKATA), 1) == datetime(
		2026, 6, 1, 3, 30, 1, tzinfo=UTC
	)


# -- limits ---------------------------------------------------------------------------------------------


def test_target_behind_ten_years_of_holidays_is_unreachable():
	"""Only Saturday works and every Saturday of the next 11 years is a holiday: no endless loop, an error."""
	saturdays = [date(2026, 1, 3) + timedelta(weeks=week) for week in range(11 * 53)]
	calendar = BusinessCalendar("Europe/Rome", {5: [("10:00", "12:00")]}, saturdays)
	with pytest.raises(CalendarError, match="cannot be reached within 3653 days") as caught:
		calendar.add_business_seconds(rome(1, 1), 60)
	assert caught.value.code == "unreachable"


def test_target_further_than_ten_years_is_unreachable(office):
	"""3000 working days of 8 h need about 11.5 years."""
	with pytest.raises(CalendarError) as caught:
		office.add_business_seconds(rome(1, 1), 3000 * 8 * HOUR)
	assert caught.value.code == "unreachable"
	assert caught.value.args_for_message[2] == HORIZON_DAYS


def test_nine_years_ahead_is_still_reached(office):
	"""468 weeks of 40 h (9 years) from Monday 1 June 2026 09:00: without holidays they end on Friday 18 May
	2035 18:00 (468 weeks later, less the weekend); the single holiday (2 June 2026) costs one working day, so
	the target is Monday 21 May 2035 18:00."""
	due = office.add_business_seconds(rome(6, 1, 9), 468 * 40 * HOUR)
	assert due == datetime(2035, 5, 21, 18, tzinfo=ROME)
	assert office.business_seconds(rome(6, 1, 9), due) == 468 * 40 * HOUR


# -- errors ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	("timezone_name", "windows", "code", "message"),
	[
		("Mars/Base", {0: [("09:00", "17:00")]}, "unknown_timezone", "unknown time zone 'Mars/Base'"),
		("", {0: [("09:00", "17:00")]}, "unknown_timezone", "unknown time zone ''"),
		("UTC", {1: [("25:00", "26:00")]}, "malformed_time", "malformed time '25:00' on weekday 1"),
		("UTC", {1: [("9h", "17:00")]}, "malformed_time", "malformed time '9h' on weekday 1"),
		("UTC", {1: [("09:60", "17:00")]}, "malformed_time", "malformed time '09:60'"),
		("UTC", {1: [("09:00", "24:01")]}, "malformed_time", "malformed time '24:01'"),
		(
			"UTC",
			{0: [("10:00", "09:00")]},
			"end_not_after_start",
			"window end 09:00 is not after start 10:00 on weekday 0",
		),
		(
			"UTC",
			{3: [("09:00", "09:00")]},
			"end_not_after_start",
			"window end 09:00 is not after start 09:00 on weekday 3",
		),
		(
			"UTC",
			{2: [("12:00", "14:00"), ("09:00", "13:00")]},
			"overlap",
			"windows 09:00-13:00 and 12:00-14:00 overlap on weekday 2",
		),
		("UTC", {7: [("09:00", "17:00")]}, "bad_weekday", "weekday 7 is outside 0-6"),
		("UTC", {-1: [("09:00", "17:00")]}, "bad_weekday", "weekday -1 is outside 0-6"),
		("UTC", {"mon": [("09:00", "17:00")]}, "bad_weekday", "weekday 'mon' is outside 0-6"),
		("UTC", {}, "no_working_time", "calendar has no working time"),
		("UTC", {0: [], 6: []}, "no_working_time", "calendar has no working time"),
		("UTC", {0: ["09:00"]}, "malformed_window", "malformed window '09:00' on weekday 0"),
	],
)
def test_invalid_calendars_name_the_problem(timezone_name, windows, code, message):
	with pytest.raises(CalendarError) as caught:
		BusinessCalendar(timezone_name, windows)
	error = caught.value
	assert isinstance(error, ValueError)
	assert error.code == code
	assert message in str(error)
	assert CalendarError.MESSAGES[code].format(*error.args_for_message) == str(error)


def test_start_24_00_is_not_after_itself():
	with pytest.raises(CalendarError, match="window end 24:00 is not after start 24:00 on weekday 0"):
		BusinessCalendar("UTC", {0: [("24:00", "24:00")]})


def test_holidays_must_be_dates():
	with pytest.raises(CalendarError, match="holiday '2026-06-02' is not a date") as caught:
		BusinessCalendar("UTC", {0: [("09:00", "17:00")]}, ["2026-06-02"])
	assert caught.value.code == "bad_holiday"


def test_a_calendar_can_be_shared_between_threads():
	"""Eight threads make one fresh calendar load its years (1990-2060, New York DST) at the same time: every
	answer must equal the answer of a calendar used by one thread alone."""
	windows = {weekday: [("01:00", "03:00"), ("09:00", "17:00")] for weekday in range(7)}
	shared = BusinessCalendar("America/New_York", windows, [date(2026, 6, 2)])
	alone = BusinessCalendar("America/New_York", windows, [date(2026, 6, 2)])
	rng = random.Random(7)
	origin = datetime(1990, 1, 1, tzinfo=UTC)
	cases = [
		(origin + timedelta(seconds=rng.randrange(70 * 365 * 86_400)), rng.randrange(1, 400 * HOUR))
		for _ in range(1600)
	]
	expected = [
		(alone.add_business_seconds(s, x), alone.business_seconds(s, s + timedelta(days=9))) for s, x in cases
	]
	results: dict[int, tuple[datetime, float]] = {}

	def work(offset: int) -> None:
		for index in range(offset, len(cases), 8):
			start, amount = cases[index]
			results[index] = (
				shared.add_business_seconds(start, amount),
				shared.business_seconds(start, start + timedelta(days=9)),
			)

	interval = sys.getswitchinterval()
	sys.setswitchinterval(1e-6)
	try:
		threads = [threading.Thread(target=work, args=(offset,)) for offset in range(8)]
		for thread in threads:
			thread.start()
		for thread in threads:
			thread.join()
	finally:
		sys.setswitchinterval(interval)
	assert [results[index] for index in range(len(cases))] == expected
