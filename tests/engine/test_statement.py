"""The statement's months, first working day, durations and breach words (pure)."""

from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from smo_extension.engine.calendar import BusinessCalendar
from smo_extension.engine.replay import FIRST_RESPONSE
from smo_extension.engine.replay import STATUS
from smo_extension.engine.replay import TicketEvent
from smo_extension.engine.statement import MonthError
from smo_extension.engine.statement import Words
from smo_extension.engine.statement import add_months
from smo_extension.engine.statement import describe_breach
from smo_extension.engine.statement import first_working_day
from smo_extension.engine.statement import format_duration
from smo_extension.engine.statement import last_months
from smo_extension.engine.statement import month_range
from smo_extension.engine.statement import parse_month

ROME = ZoneInfo("Europe/Rome")
OFFICE = BusinessCalendar("Europe/Rome", {d: [("09:00", "18:00")] for d in range(5)})


def at(day: int, hhmm: str, month: int = 3) -> datetime:
	hours, minutes = map(int, hhmm.split(":"))
	return datetime(2026, month, day, hours, minutes, tzinfo=ROME)


def status(when: datetime, category: str) -> TicketEvent:
	return TicketEvent(when, STATUS, category)


# ------------------------------------------------------------------------------------------- months
def test_parse_month_takes_exactly_yyyy_mm():
	assert parse_month("2026-03") == date(2026, 3, 1)
	assert parse_month("0001-12") == date(1, 12, 1)
	for bad in (
		"2026-3",
		"2026-03-01",
		" 2026-03",
		"2026/03",
		"03-2026",
		"",
		"2026-1a",
		None,
		202603,
		["2026-03"],
	):
		with pytest.raises(MonthError) as raised:
			parse_month(bad)
		assert raised.value.code == "malformed", bad
	for bad in ("2026-00", "2026-13", "0000-05"):
		with pytest.raises(MonthError) as raised:
			parse_month(bad)
		assert raised.value.code == "out_of_range", bad


def test_month_arithmetic_crosses_years():
	assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
	assert add_months(date(2026, 12, 1), 1) == date(2027, 1, 1)
	assert month_range(date(2026, 2, 14)) == (date(2026, 2, 1), date(2026, 3, 1))
	assert last_months(date(2026, 2, 1), 6) == [
		date(2025, 9, 1),
		date(2025, 10, 1),
		date(2025, 11, 1),
		date(2025, 12, 1),
		date(2026, 1, 1),
		date(2026, 2, 1),
	]


@settings(max_examples=200, deadline=None, database=None)
@given(st.integers(1, 9000), st.integers(1, 12), st.integers(-500, 500))
def test_add_months_round_trips(year, month, shift):
	first = date(year, month, 1)
	try:
		moved = add_months(first, shift)
	except ValueError:
		return  # beyond year 1..9999
	assert moved.day == 1
	assert (moved.year - year) * 12 + moved.month - month == shift
	assert add_months(moved, -shift) == first


def test_first_working_day_skips_weekends_and_holidays():
	# 1 Nov 2026 is a Sunday, 2 Nov a Monday
	assert first_working_day(OFFICE, date(2026, 11, 1)) == date(2026, 11, 2)
	# 1 Jan 2026 is a Thursday and a holiday; 2 Jan is a Friday
	with_new_year = BusinessCalendar(
		"Europe/Rome", {d: [("09:00", "18:00")] for d in range(5)}, [date(2026, 1, 1)]
	)
	assert first_working_day(with_new_year, date(2026, 1, 15)) == date(2026, 1, 2)
	assert first_working_day(OFFICE, date(2026, 1, 1)) == date(2026, 1, 1)
	weekends_only = BusinessCalendar("UTC", {5: [("10:00", "12:00")]})
	assert first_working_day(weekends_only, date(2026, 3, 1)) == date(2026, 3, 7)
	every_day_off = BusinessCalendar(
		"UTC", {0: [("10:00", "12:00")]}, [date(2026, 2, d) for d in (2, 9, 16, 23)]
	)
	assert first_working_day(every_day_off, date(2026, 2, 1)) is None


# ------------------------------------------------------------------------------------------- durations
def test_durations_as_people_write_them():
	assert format_duration(0) == "0 min"
	assert format_duration(45 * 60) == "45 min"
	assert format_duration(8 * 3600) == "8 h"
	assert format_duration(3 * 3600 + 5 * 60) == "3 h 05 min"
	assert format_duration(26 * 3600 + 59 * 60 + 40) == "27 h"
	assert format_duration(10) == "0 min"
	assert format_duration(10, round_up=True) == "1 min"
	assert format_duration(120, round_up=True) == "2 min"
	with pytest.raises(ValueError):
		format_duration(-1)


def test_durations_use_the_words_given():
	italian = Words(hours_minutes="{0} ore {1} min", hours="{0} ore", minutes="{0} min")
	assert format_duration(3 * 3600 + 5 * 60, italian) == "3 ore 05 min"


@settings(max_examples=300, deadline=None, database=None)
@given(st.integers(0, 10_000 * 60))
def test_duration_text_reads_back_to_the_minute(seconds):
	text = format_duration(seconds)
	hours = minutes = 0
	for amount, unit in zip(text.split()[::2], text.split()[1::2], strict=True):
		if unit == "h":
			hours = int(amount)
		else:
			assert unit == "min"
			minutes = int(amount)
	assert minutes < 60
	assert abs((hours * 60 + minutes) * 60 - seconds) <= 30


# ------------------------------------------------------------------------------------------- breach words
def test_the_example_of_the_issue():
	"""Opened Monday 09:12, waited on the customer 10:00-12:10, resolved Wednesday 11:40; 8 h target."""
	events = [
		status(at(2, "09:12"), "Open"),
		status(at(2, "10:00"), "Paused"),
		status(at(2, "12:10"), "Open"),
		status(at(4, "11:40"), "Resolved"),
	]
	words = describe_breach(
		metric="resolution",
		opened_at=at(2, "09:12"),
		events=events,
		first_response_at=at(2, "10:00"),
		target_seconds=8 * 3600,
		elapsed_seconds=11 * 3600 + 5 * 60,
		until=at(1, "00:00", month=4),
		zone=ROME,
	)
	assert (
		words
		== "opened Mon 09:12, waited on you 2 h 10 min, resolved Wed 11:40: 3 h 05 min over the 8 h target"
	)


def test_response_breach_ends_at_the_first_answer():
	events = [status(at(2, "09:12"), "Open"), TicketEvent(at(2, "10:00"), FIRST_RESPONSE, "x")]
	words = describe_breach(
		metric="response",
		opened_at=at(2, "09:12"),
		events=events,
		first_response_at=at(2, "10:00"),
		target_seconds=30 * 60,
		elapsed_seconds=48 * 60,
		until=at(31, "23:59"),
		zone=ROME,
	)
	assert words == "opened Mon 09:12, first answer Mon 10:00: 18 min over the 30 min target"


def test_unanswered_and_still_open_breaches_say_so_at_the_end_of_the_period():
	events = [status(at(2, "09:00"), "Open")]
	common = dict(opened_at=at(2, "09:00"), events=events, first_response_at=None, zone=ROME)
	assert describe_breach(
		metric="response", target_seconds=3600, elapsed_seconds=3 * 3600, until=at(2, "12:00"), **common
	) == ("opened Mon 09:00, no answer by Mon 12:00: 2 h over the 1 h target")
	# the end of the period is weeks later: its date is given
	assert describe_breach(
		metric="resolution",
		target_seconds=8 * 3600,
		elapsed_seconds=100 * 3600,
		until=at(31, "18:00"),
		**common,
	) == ("opened Mon 09:00, still open at Tue 31 Mar 18:00: 92 h over the 8 h target")
	# the caller names the end of the period in words
	assert describe_breach(
		metric="resolution",
		target_seconds=8 * 3600,
		elapsed_seconds=100 * 3600,
		until=at(1, "00:00", month=4),
		until_label="the end of March 2026",
		**common,
	) == ("opened Mon 09:00, still open at the end of March 2026: 92 h over the 8 h target")


def test_reopened_tickets_tell_each_resolution():
	events = [
		status(at(2, "09:00"), "Open"),
		status(at(2, "15:00"), "Resolved"),
		status(at(3, "09:30"), "Open"),
		status(at(3, "10:30"), "Paused"),
		status(at(3, "11:00"), "Open"),
		status(at(3, "17:00"), "Resolved"),
	]
	words = describe_breach(
		metric="resolution",
		opened_at=at(2, "09:00"),
		events=events,
		first_response_at=at(2, "09:30"),
		target_seconds=8 * 3600,
		elapsed_seconds=12.5 * 3600,
		until=at(31, "23:00"),
		zone=ROME,
	)
	assert words == (
		"opened Mon 09:00, resolved Mon 15:00, reopened Tue 09:30, waited on you 30 min, "
		"resolved Tue 17:00: 4 h 30 min over the 8 h target"
	)


def test_words_are_the_callers_and_times_are_in_the_callers_zone():
	italian = Words(
		opened="aperto {0}",
		resolved="risolto {0}",
		over="{0} oltre l'obiettivo di {1}",
		hours="{0} ore",
		weekdays=("lun", "mar", "mer", "gio", "ven", "sab", "dom"),
	)
	events = [status(at(2, "09:00"), "Open"), status(at(2, "19:00"), "Resolved")]
	words = describe_breach(
		metric="resolution",
		opened_at=at(2, "09:00"),
		events=events,
		first_response_at=None,
		target_seconds=8 * 3600,
		elapsed_seconds=10 * 3600,
		until=at(31, "23:00"),
		zone=ZoneInfo("UTC"),
		words=italian,
	)
	assert words == "aperto lun 08:00, risolto lun 18:00: 2 ore oltre l'obiettivo di 8 ore"


def test_a_metric_must_be_named():
	with pytest.raises(ValueError):
		describe_breach(
			metric="csat",
			opened_at=at(2, "09:00"),
			events=[],
			first_response_at=None,
			target_seconds=60,
			elapsed_seconds=120,
			until=at(3, "09:00"),
			zone=ROME,
		)


pauses = st.lists(st.tuples(st.integers(1, 600), st.integers(1, 600)), max_size=5)


@settings(max_examples=200, deadline=None, database=None)
@given(pauses, st.integers(1, 600))
def test_waiting_time_is_the_sum_of_the_pauses(gaps, tail):
	"""Open for a while, paused for a while, ... then resolved: the wait in the words is the pauses' sum."""
	cursor = at(2, "09:00")
	events = [status(cursor, "Open")]
	waited = 0
	for open_minutes, paused_minutes in gaps:
		cursor += timedelta(minutes=open_minutes)
		events.append(status(cursor, "Paused"))
		cursor += timedelta(minutes=paused_minutes)
		waited += paused_minutes
		events.append(status(cursor, "Open"))
	cursor += timedelta(minutes=tail)
	events.append(status(cursor, "Resolved"))
	words = describe_breach(
		metric="resolution",
		opened_at=at(2, "09:00"),
		events=events,
		first_response_at=None,
		target_seconds=60,
		elapsed_seconds=120,
		until=cursor + timedelta(days=1),
		zone=ROME,
	)
	if waited:
		assert f"waited on you {format_duration(waited * 60)}," in words
	else:
		assert "waited" not in words
	assert words.endswith(": 1 min over the 1 min target")
	assert words.startswith("opened Mon 09:00, ")
