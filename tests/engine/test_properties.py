"""Property tests over random calendars, instants and timelines (hypothesis).

Amounts are drawn as whole microseconds, the engine's own resolution, so every equality below is exact.
"""

from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from smo_extension.engine.calendar import BusinessCalendar
from smo_extension.engine.clock import CATEGORIES
from smo_extension.engine.clock import deadline
from smo_extension.engine.clock import evaluate_clock

UTC = timezone.utc
ZONES = ["Europe/Rome", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC", "America/Santiago"]
US = 1_000_000
MINUTE_US = 60 * US
DAY_US = 86_400 * US
ONE_US = timedelta(microseconds=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FIRST = datetime(2025, 1, 1, tzinfo=UTC)
LAST = datetime(2027, 12, 31, tzinfo=UTC)

SETTINGS = settings(
	max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def _transition_dates() -> list[date]:
	"""Local dates on which one of ZONES changes its UTC offset (found here with zoneinfo, independently of
	the engine): instants near them exercise the DST handling."""
	found = set()
	for key in ZONES:
		zone = ZoneInfo(key)
		previous = None
		for day in range((LAST - FIRST).days):
			offset = (FIRST + timedelta(days=day, hours=12)).astimezone(zone).utcoffset()
			if previous is not None and offset != previous:
				found.add((FIRST + timedelta(days=day)).date())
			previous = offset
	return sorted(found)


TRANSITION_DATES = _transition_dates()


def _from_us(us: int) -> datetime:
	return EPOCH + timedelta(microseconds=us)


def _later(value: datetime, us: int) -> datetime:
	"""`us` real microseconds after `value` (aware + timedelta would add wall time in `value`'s zone)."""
	return _from_us(_us(value) + us).astimezone(value.tzinfo)


def _us(value: datetime) -> int:
	return (value - EPOCH) // ONE_US


def hhmm(minutes: int) -> str:
	return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def day_windows(draw: st.DrawFn) -> list[tuple[str, str]]:
	"""Up to 3 disjoint windows on a 30-minute grid (so they often start or end inside a DST gap or fold)."""
	points = sorted(draw(st.lists(st.integers(0, 48), unique=True, max_size=6)))
	if len(points) % 2:
		points.pop()
	return [(hhmm(points[i] * 30), hhmm(points[i + 1] * 30)) for i in range(0, len(points), 2)]


near_transition_dates = st.sampled_from(TRANSITION_DATES).flatmap(
	lambda day: st.integers(-10, 10).map(lambda shift: day + timedelta(days=shift))
)


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
	zone = draw(st.sampled_from(ZONES))
	windows = draw(st.fixed_dictionaries({weekday: day_windows() for weekday in range(7)}))
	if not any(windows.values()):
		windows[draw(st.integers(0, 6))] = [("09:00", "17:00")]
	holidays = draw(
		st.lists(
			st.one_of(
				near_transition_dates, st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31))
			),
			max_size=30,
		)
	)
	# Sometimes long runs of consecutive holidays (weeks to a year): the search must skip them quickly.
	for first, length in draw(st.lists(st.tuples(near_transition_dates, st.integers(1, 400)), max_size=2)):
		holidays.extend(first + timedelta(days=day) for day in range(length))
	return BusinessCalendar(zone, windows, holidays)


uniform_us = st.integers(_us(FIRST), _us(LAST))
near_transition_us = st.tuples(st.sampled_from(TRANSITION_DATES), st.integers(-3 * DAY_US, 3 * DAY_US)).map(
	lambda pair: _us(datetime.combine(pair[0], datetime.min.time(), UTC)) + pair[1]
)


@st.composite
def instants(draw: st.DrawFn) -> datetime:
	"""An aware instant in 2025-2027, often within 3 days of a DST change, expressed in a random zone."""
	us = draw(st.one_of(uniform_us, near_transition_us))
	return _from_us(us).astimezone(ZoneInfo(draw(st.sampled_from(ZONES))))


def amounts(calendar: BusinessCalendar) -> st.SearchStrategy[int]:
	"""Microseconds of business time: often under a day, otherwise up to about 60 nominal weeks."""
	weekly = round(calendar.weekly_seconds * US)
	return st.one_of(st.integers(0, 4 * 3600 * US), st.integers(0, 60 * weekly))


# -- calendar -------------------------------------------------------------------------------------------


@SETTINGS
@given(data=st.data(), calendar=calendars(), start=instants())
def test_add_then_measure_gives_the_amount_back(data, calendar, start):
	"""bs(s, add(s, x)) == x, and add() is the earliest such instant: one microsecond earlier is x - 1."""
	amount = data.draw(amounts(calendar))
	due = calendar.add_business_microseconds(start, amount)
	assert due >= start
	assert calendar.business_microseconds(start, due) == amount
	if amount:
		assert calendar.business_microseconds(start, due - ONE_US) == amount - 1
	else:
		assert _us(due) == _us(start)
	# The float API gives the same answer for a whole number of microseconds.
	seconds = amount / US
	assert calendar.add_business_seconds(start, seconds) == due
	assert calendar.business_seconds(start, due) == seconds


@SETTINGS
@given(calendar=calendars(), a=instants(), b=instants(), c=instants())
def test_business_time_is_monotonic_in_both_arguments(calendar, a, b, c):
	a, b = min(a, b), max(a, b)
	assert calendar.business_microseconds(c, a) <= calendar.business_microseconds(c, b)
	assert calendar.business_microseconds(a, c) >= calendar.business_microseconds(b, c)


@SETTINGS
@given(data=st.data(), calendar=calendars(), start=instants())
def test_add_is_monotonic_in_the_amount(data, calendar, start):
	x, y = sorted((data.draw(amounts(calendar)), data.draw(amounts(calendar))))
	assert calendar.add_business_microseconds(start, x) <= calendar.add_business_microseconds(start, y)


@SETTINGS
@given(calendar=calendars(), a=instants(), b=instants(), c=instants())
def test_business_time_is_additive(calendar, a, b, c):
	a, b, c = sorted((a, b, c))
	total = calendar.business_microseconds(a, c)
	assert total == calendar.business_microseconds(a, b) + calendar.business_microseconds(b, c)
	assert total <= _us(c) - _us(a)


@SETTINGS
@given(start=instants(), amount=st.integers(0, 9 * 365 * DAY_US))
def test_24x7_utc_is_plain_arithmetic(start, amount):
	calendar = BusinessCalendar.always()
	end = _later(start, amount)
	assert calendar.business_microseconds(start, end) == amount
	# Compare instants: Python never calls an instant inside a DST fold equal to one in another zone.
	assert _us(calendar.add_business_microseconds(start, amount)) == _us(end)


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
	calendar=calendars(),
	start_minute=st.tuples(st.sampled_from(TRANSITION_DATES), st.integers(-2 * 1440, 2 * 1440)),
	minutes=st.integers(0, 2 * 1440),
)
def test_matches_a_minute_by_minute_count(calendar, start_minute, minutes):
	"""Independent oracle: walk the span minute by minute in UTC, read each minute's local wall time with
	zoneinfo, and count it when that wall time lies in a window of its weekday and its date is not a holiday.
	Windows are on a 30-minute grid and every offset here is a multiple of 30 minutes, so a minute is wholly
	in or out."""
	day, shift = start_minute
	start = datetime.combine(day, datetime.min.time(), UTC) + timedelta(minutes=shift)
	zone = ZoneInfo(calendar.timezone)
	windows = {
		weekday: [(_minutes(a), _minutes(b)) for a, b in pairs] for weekday, pairs in calendar.windows.items()
	}
	holidays = set(calendar.holidays)
	counted = 0
	for minute in range(minutes):
		wall = (start + timedelta(minutes=minute)).astimezone(zone)
		if wall.date() in holidays:
			continue
		of_day = wall.hour * 60 + wall.minute
		if any(a <= of_day < b for a, b in windows.get(wall.weekday(), ())):
			counted += 1
	assert calendar.business_microseconds(start, start + timedelta(minutes=minutes)) == counted * MINUTE_US


def _minutes(text: str) -> int:
	hours, minutes = text.split(":")
	return int(hours) * 60 + int(minutes)


# -- clock ----------------------------------------------------------------------------------------------


@st.composite
def timelines(draw: st.DrawFn) -> list[tuple[datetime, str]]:
	"""A sorted timeline: a start, then up to 8 changes 0-4 days apart (equal timestamps included)."""
	when = draw(instants())
	timeline = [(when, draw(st.sampled_from(CATEGORIES)))]
	for _ in range(draw(st.integers(0, 8))):
		when = _later(when, draw(st.one_of(st.just(0), st.integers(0, 4 * DAY_US))))
		timeline.append((when, draw(st.sampled_from(CATEGORIES))))
	return timeline


@SETTINGS
@given(
	data=st.data(),
	calendar=calendars(),
	timeline=timelines(),
	ratio=st.sampled_from([0, 0.5, 0.75, 1]),
)
def test_clock_elapsed_is_the_business_time_of_the_open_segments(data, calendar, timeline, ratio):
	now = _later(timeline[0][0], data.draw(st.integers(0, 20 * DAY_US)))
	target = data.draw(st.integers(0, 5 * DAY_US))
	result = evaluate_clock(
		timeline, target_seconds=target / US, calendar=calendar, now=now, at_risk_ratio=ratio
	)

	seen = [entry for entry in timeline if entry[0] <= now]
	segments = [
		(when, seen[index + 1][0] if index + 1 < len(seen) else now)
		for index, (when, category) in enumerate(seen)
		if category == "Open"
	]
	elapsed = sum(calendar.business_microseconds(a, b) for a, b in segments)
	assert result.elapsed == elapsed / US

	final = seen[-1][1]
	if elapsed > target:
		assert result.state == "breached"
		# Up to the breach instant the open segments hold exactly the target.
		assert result.due is not None
		assert sum(calendar.business_microseconds(a, min(b, result.due)) for a, b in segments) == target
	elif final == "Resolved":
		assert result.state == "met"
		assert result.due is None
	elif final == "Paused":
		assert result.state == "paused"
		assert result.due is None
	else:
		assert result.state == ("at_risk" if elapsed >= ratio * target else "running")
		assert result.next_change is not None and result.next_change > now
		if elapsed < target:
			assert calendar.business_microseconds(now, result.due) == target - elapsed
	assert (result.stopped_at is not None) == (final == "Resolved")
	if result.state in ("met", "breached", "paused"):
		assert result.next_change is None

	# Paused time is the business time of the paused segments, up to now.
	paused_segments = [
		(when, seen[index + 1][0] if index + 1 < len(seen) else now)
		for index, (when, category) in enumerate(seen)
		if category == "Paused"
	]
	assert result.paused == sum(calendar.business_microseconds(a, b) for a, b in paused_segments) / US

	# The deadline: due where there is one; else where the rest of the target ends, from the stop or from now.
	end = deadline(result, target_seconds=target / US, calendar=calendar, now=now)
	if result.state in ("running", "at_risk", "breached"):
		assert end == result.due
	elif end is not None:
		start = result.stopped_at if result.state == "met" else now
		assert end >= start
		assert calendar.business_microseconds(start, end) == target - elapsed
