"""Business calendars: weekly working windows in a time zone, minus whole-day holidays.

Plain values in and out: no `frappe`, no clock reads. All arithmetic is done on integer microseconds since
1970-01-01 00:00 UTC, so results are exact at `datetime`'s own resolution; the `*_seconds` methods convert to
and from float seconds at the edges (amounts are rounded to the nearest microsecond).

Semantics
---------
A window ("09:00", "13:00") on weekday 0 is, on every Monday that is not a holiday, the set of real instants
whose local wall-clock reading (in the calendar's time zone) lies in [09:00, 13:00) of that local date.
Durations are real elapsed time. Around daylight-saving changes this gives:

- spring forward (wall times that do not exist): a window 01:00-03:00 on 2026-03-08 in America/New_York
  lasts one real hour (01:00-02:00 EST); a window lying wholly inside the gap is empty that day; a window
  starting inside the gap starts at the transition instant (the first instant whose wall time is past the
  start);
- fall back (wall times that happen twice): both occurrences count, so a window 01:00-02:00 on 2026-11-01 in
  America/New_York lasts two real hours, and a 24-hour day lasts 25 real hours. A window ending inside the
  repeated hour (e.g. 00:00-01:30) counts 00:00-01:30 EDT and 01:00-01:30 EST: exactly the instants whose wall
  reading is before 01:30.

Adjacent windows (09:00-13:00 and 13:00-18:00) are merged; they never double count. Holidays are local dates.

How it stays fast
-----------------
Business time up to the start of a local date `n` is computed arithmetically as

    whole weeks x weekly seconds + the weekday prefix - working time of the holidays before n
    + the DST corrections of the days before n

with the holidays and the (few) days whose real working time differs from the nominal one because of a DST
transition kept in sorted lists with prefix sums (bisect). Only the first and the last local day of a span are
looked at window by window (their window instants are cached per date). `add_business_seconds` inverts the
same formula: a nominal guess from whole weeks, corrected for the holidays it crossed for a few rounds, then
galloping and bisection (long runs of holidays). The zone's UTC-offset changes are found once per (zone, year)
and cached (about a millisecond each). The cost of a call therefore grows with the number of holidays touched,
not with the number of days; targets beyond `HORIZON_DAYS` (10 years) raise CalendarError "unreachable".

Caveats: a zone whose clocks fall back across local midnight to the *previous* date part-way through an hour
(no current zone does this) would make local dates non-monotonic in time; such zones are not supported.
Calendars fill their caches lazily; one calendar may be shared between threads.
"""

import math
import re
import threading
from bisect import bisect_left
from bisect import bisect_right
from collections.abc import Iterable
from collections.abc import Mapping
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from datetime import timezone
from functools import lru_cache
from zoneinfo import ZoneInfo
from zoneinfo import ZoneInfoNotFoundError

__all__ = ["HORIZON_DAYS", "BusinessCalendar", "CalendarError", "TimeLike", "seconds_to_us"]

TimeLike = str | time | timedelta
"""A wall time: "HH:MM" (or "HH:MM:SS"), a `datetime.time`, or a `timedelta` from midnight (what Frappe
returns for Time fields). "24:00" is allowed as a window end."""

HORIZON_DAYS = 3653
"""`add_business_seconds` gives up (CalendarError "unreachable") when the target lies further than this many
local days (10 years) after the start."""

_UTC = timezone.utc
_EPOCH = datetime(1970, 1, 1, tzinfo=_UTC)
_EPOCH_ORD = date(1970, 1, 1).toordinal()
_ONE_US = timedelta(microseconds=1)
_US_PER_S = 1_000_000
_DAY_US = 86_400 * _US_PER_S
# Every UTC offset in the tz database is well within +-26 h.
_MAX_OFFSET_US = 26 * 3600 * _US_PER_S
# Days of margin kept between a covered local date and the edge of the years whose transitions are known.
_MARGIN_DAYS = 4
_MIN_YEAR = 2
_MAX_YEAR = 9998
# Sampling step when looking for UTC-offset changes (then bisected to the second).
_SCAN_STEP_S = 6 * 3600
_DAY_CACHE_LIMIT = 50_000
_TIME_RE = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


class CalendarError(ValueError):
	"""An invalid calendar definition, or a target the calendar cannot reach.

	`str(e)` is plain English. `code` is a short machine string and `args_for_message` the values to put in
	`MESSAGES[code]` (an English template with `{0}` placeholders), so a Frappe caller can render a translated
	message: `_(CalendarError.MESSAGES[e.code]).format(*e.args_for_message)`.
	"""

	MESSAGES: Mapping[str, str] = {
		"unknown_timezone": "unknown time zone {0!r}",
		"malformed_time": "malformed time {0!r} on weekday {1}: expected HH:MM between 00:00 and 24:00",
		"end_not_after_start": "window end {0} is not after start {1} on weekday {2}",
		"overlap": "windows {0}-{1} and {2}-{3} overlap on weekday {4}",
		"bad_weekday": "weekday {0!r} is outside 0-6",
		"malformed_window": "malformed window {0!r} on weekday {1}: expected a (start, end) pair",
		"bad_holiday": "holiday {0!r} is not a date",
		"no_working_time": "calendar has no working time",
		"unreachable": "{0} business seconds after {1} cannot be reached within {2} days",
	}

	def __init__(self, code: str, *args_for_message: object) -> None:
		self.code = code
		self.args_for_message = tuple(args_for_message)
		super().__init__(self.MESSAGES[code].format(*self.args_for_message))


def _load_zone(key: str) -> ZoneInfo:
	if not isinstance(key, str) or not key:
		raise CalendarError("unknown_timezone", key)
	try:
		return ZoneInfo(key)
	except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
		raise CalendarError("unknown_timezone", key) from None


def _parse_time(value: object, weekday: int) -> int:
	"""Microseconds from local midnight, 0 ... 24 h inclusive."""
	if isinstance(value, time):
		if value.tzinfo is not None:
			raise CalendarError("malformed_time", str(value), weekday)
		return (value.hour * 3600 + value.minute * 60 + value.second) * _US_PER_S + value.microsecond
	if isinstance(value, timedelta):
		us = value // _ONE_US
		if not 0 <= us <= _DAY_US:
			raise CalendarError("malformed_time", str(value), weekday)
		return us
	if not isinstance(value, str):
		raise CalendarError("malformed_time", value, weekday)
	match = _TIME_RE.fullmatch(value.strip())
	if match is None:
		raise CalendarError("malformed_time", value, weekday)
	hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
	if minutes > 59 or seconds > 59 or hours > 24 or (hours == 24 and (minutes or seconds)):
		raise CalendarError("malformed_time", value, weekday)
	return (hours * 3600 + minutes * 60 + seconds) * _US_PER_S


def _fmt(us: int) -> str:
	"""Microseconds from midnight as HH:MM (HH:MM:SS when needed)."""
	seconds, micro = divmod(us, _US_PER_S)
	hours, rest = divmod(seconds, 3600)
	minutes, secs = divmod(rest, 60)
	text = f"{hours:02d}:{minutes:02d}"
	if secs or micro:
		text += f":{secs:02d}"
	if micro:
		text += f".{micro:06d}"
	return text


def _parse_week(
	windows: Mapping[int, Iterable[tuple[TimeLike, TimeLike]]],
) -> tuple[tuple[tuple[int, int], ...], ...]:
	"""Seven tuples (Monday first) of merged, sorted (start_us, end_us) windows."""
	week: list[list[tuple[int, int]]] = [[] for _ in range(7)]
	for weekday, day_windows in windows.items():
		if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
			raise CalendarError("bad_weekday", weekday)
		for window in day_windows:
			try:
				start_text, end_text = window
			except (TypeError, ValueError):
				raise CalendarError("malformed_window", window, weekday) from None
			start, end = _parse_time(start_text, weekday), _parse_time(end_text, weekday)
			if end <= start:
				raise CalendarError("end_not_after_start", _fmt(end), _fmt(start), weekday)
			week[weekday].append((start, end))
	merged_week = []
	for weekday, day in enumerate(week):
		day.sort()
		merged: list[tuple[int, int]] = []
		for index, (start, end) in enumerate(day):
			if index and start < day[index - 1][1]:
				previous = day[index - 1]
				raise CalendarError(
					"overlap", _fmt(previous[0]), _fmt(previous[1]), _fmt(start), _fmt(end), weekday
				)
			if merged and merged[-1][1] == start:
				merged[-1] = (merged[-1][0], end)
			else:
				merged.append((start, end))
		merged_week.append(tuple(merged))
	return tuple(merged_week)


def _to_us(value: datetime, name: str) -> int:
	"""An aware datetime as microseconds since the epoch (UTC)."""
	if not isinstance(value, datetime):
		raise ValueError(f"{name} must be a datetime, not {type(value).__name__}")
	if value.tzinfo is None or value.utcoffset() is None:
		raise ValueError(f"{name} must be an aware datetime (naive datetimes are ambiguous): {value!r}")
	return (value - _EPOCH) // _ONE_US


def _from_us(us: int) -> datetime:
	return _EPOCH + timedelta(microseconds=us)


def seconds_to_us(seconds: float, name: str = "seconds") -> int:
	"""A non-negative amount of seconds as whole microseconds (rounded to the nearest)."""
	if isinstance(seconds, bool) or not isinstance(seconds, int | float):
		raise ValueError(f"{name} must be a number of seconds, not {type(seconds).__name__}")
	if isinstance(seconds, float) and not math.isfinite(seconds):
		raise ValueError(f"{name} must be finite, not {seconds!r}")
	if seconds < 0:
		raise ValueError(f"{name} must not be negative: {seconds!r}")
	if isinstance(seconds, int):
		return seconds * _US_PER_S
	return round(seconds * _US_PER_S)


def _offset_at(zone: ZoneInfo, ts: int) -> int:
	"""UTC offset (µs) in force at the UTC instant `ts` (whole seconds since the epoch)."""
	return _from_us(ts * _US_PER_S).astimezone(zone).utcoffset() // _ONE_US


@lru_cache(maxsize=4096)
def _year_transitions(key: str, year: int) -> tuple[int, tuple[tuple[int, int], ...]]:
	"""The offset in force at the start of UTC `year` and the (instant_us, new_offset_us) changes during it.

	Offsets are sampled every few hours and each change is bisected to the second (tz database transitions
	fall on whole seconds). Shared by every calendar of the zone.
	"""
	zone = ZoneInfo(key)
	start = (date(year, 1, 1).toordinal() - _EPOCH_ORD) * 86_400
	stop = (date(year + 1, 1, 1).toordinal() - _EPOCH_ORD) * 86_400
	first = _offset_at(zone, start)
	changes: list[tuple[int, int]] = []
	lo, lo_off = start, first
	while lo < stop:
		hi = min(lo + _SCAN_STEP_S, stop)
		hi_off = _offset_at(zone, hi)
		if hi_off != lo_off:
			a, b = lo, hi
			while b - a > 1:
				mid = (a + b) // 2
				if _offset_at(zone, mid) == lo_off:
					a = mid
				else:
					b = mid
			if b < stop:
				changes.append((b * _US_PER_S, hi_off))
		lo, lo_off = hi, hi_off
	return first, tuple(changes)


class BusinessCalendar:
	"""Weekly working windows in a time zone, minus whole-day holidays (see the module docstring)."""

	def __init__(
		self,
		timezone: str,
		windows: Mapping[int, Iterable[tuple[TimeLike, TimeLike]]],
		holidays: Iterable[date] = (),
	) -> None:
		self._zone = _load_zone(timezone)
		self.timezone: str = timezone
		week = _parse_week(windows)
		nominal = tuple(sum(end - start for start, end in day) for day in week)
		if not any(nominal):
			raise CalendarError("no_working_time")
		self._week = week
		self._nominal = nominal
		prefix = [0]
		for value in nominal:
			prefix.append(prefix[-1] + value)
		self._weekday_prefix = tuple(prefix)
		self._weekly = prefix[7]

		ordinals = set()
		for holiday in holidays:
			if not isinstance(holiday, date):
				raise CalendarError("bad_holiday", holiday)
			ordinals.add(holiday.toordinal())
		self._holidays = sorted(ordinals)
		self._holiday_set = frozenset(ordinals)
		holiday_prefix = [0]
		for ordinal in self._holidays:
			holiday_prefix.append(holiday_prefix[-1] + nominal[(ordinal - 1) % 7])
		self._holiday_prefix = holiday_prefix

		# Lazily filled for the years in use: the UTC-offset changes (instants, and the offset in force after
		# each bisect position), the days whose real working time differs from the nominal one because of a
		# change (DST fixes, with prefix sums counted from a fixed anchor date so that growing the covered
		# years never shifts them), and the window instants of the days looked at. Each pair is replaced as
		# one tuple and coverage only grows (under a lock), so a calendar can be shared between threads.
		self._lock = threading.Lock()
		self._years: tuple[int, int] | None = None
		self._anchor = 0
		self._covered = (1, 0)
		self._zone_changes: tuple[list[int], list[int]] = ([], [0])
		self._fix: tuple[list[int], list[int]] = ([], [0])
		self._days: dict[int, tuple[int, tuple[tuple[int, int], ...]]] = {}

	@classmethod
	def always(cls, timezone: str = "UTC") -> "BusinessCalendar":
		"""A 24x7 calendar without holidays."""
		return cls(timezone, {weekday: [("00:00", "24:00")] for weekday in range(7)})

	# -- description ---------------------------------------------------------------------------------

	@property
	def windows(self) -> dict[int, tuple[tuple[str, str], ...]]:
		"""The normalised windows (merged, sorted) per weekday, as "HH:MM" pairs."""
		return {
			weekday: tuple((_fmt(start), _fmt(end)) for start, end in day)
			for weekday, day in enumerate(self._week)
			if day
		}

	@property
	def holidays(self) -> tuple[date, ...]:
		return tuple(date.fromordinal(ordinal) for ordinal in self._holidays)

	@property
	def weekly_seconds(self) -> float:
		"""Nominal working seconds of a week without holidays or DST changes."""
		return self._weekly / _US_PER_S

	def __repr__(self) -> str:
		return (
			f"BusinessCalendar({self.timezone!r}, {self.windows!r}, holidays=<{len(self._holidays)} dates>)"
		)

	# -- public arithmetic ---------------------------------------------------------------------------

	def business_seconds(self, start: datetime, end: datetime) -> float:
		"""Working time inside [start, end) in real seconds; 0 if end <= start."""
		return self.business_microseconds(start, end) / _US_PER_S

	def add_business_seconds(self, start: datetime, seconds: float) -> datetime:
		"""The earliest instant t >= start with business_seconds(start, t) == seconds (as a UTC datetime)."""
		return self.add_business_microseconds(start, seconds_to_us(seconds))

	def business_microseconds(self, start: datetime, end: datetime) -> int:
		"""`business_seconds` in whole microseconds (exact)."""
		s, e = _to_us(start, "start"), _to_us(end, "end")
		if e <= s:
			return 0
		self._cover(s, e)
		s_day, s_before = self._position(s)
		e_day, e_before = self._position(e)
		if s_day == e_day:
			return e_before - s_before
		return self._before_day(e_day) + e_before - self._before_day(s_day) - s_before

	def add_business_microseconds(self, start: datetime, microseconds: int) -> datetime:
		"""`add_business_seconds` with an amount in whole microseconds (exact)."""
		u = _to_us(start, "start")
		if isinstance(microseconds, bool) or not isinstance(microseconds, int):
			raise ValueError(f"microseconds must be an int, not {type(microseconds).__name__}")
		if microseconds < 0:
			raise ValueError(f"business time to add must not be negative: {microseconds} µs")
		if microseconds == 0:
			return _from_us(u)
		self._cover(u, u)
		day, before = self._position(u)
		total, windows = self._day(day)
		wanted = before + microseconds
		if wanted <= total:
			return _from_us(_walk(windows, wanted))
		return _from_us(self._find(day, self._before_day(day) + wanted, start, microseconds))

	# -- internals -----------------------------------------------------------------------------------

	def _nominal_before(self, ordinal: int) -> int:
		"""Nominal working µs of the local dates from 0001-01-01 (a Monday) up to `ordinal` (excluded)."""
		weeks, days = divmod(ordinal - 1, 7)
		return weeks * self._weekly + self._weekday_prefix[days]

	def _before_day(self, ordinal: int) -> int:
		"""Real working µs of the local dates before `ordinal` (up to a constant set by the covered years)."""
		weeks, days = divmod(ordinal - 1, 7)
		fixes, fix_prefix = self._fix
		return (
			weeks * self._weekly
			+ self._weekday_prefix[days]
			- self._holiday_prefix[bisect_left(self._holidays, ordinal)]
			+ fix_prefix[bisect_left(fixes, ordinal)]
		)

	def _nominal_day_reaching(self, value: int) -> int:
		"""The smallest ordinal n with _nominal_before(n + 1) >= value (value > 0)."""
		weeks, rest = divmod(value, self._weekly)
		if rest == 0:
			weeks, rest = weeks - 1, self._weekly
		return 7 * weeks + bisect_left(self._weekday_prefix, rest)

	def _find(self, start_day: int, target: int, start: datetime, amount: int) -> int:
		"""The earliest instant whose cumulative business time is `target`, known to lie after `start_day`.

		Looks for the local date n with _before_day(n) < target <= _before_day(n + 1). First guess: the
		nominal calendar (whole weeks, weekday prefix); when holidays in between ate into it, ask for that
		much more (a couple of rounds settle the usual case); after a few rounds (long runs of holidays)
		gallop and bisect, so the number of steps stays logarithmic in the span.
		"""
		limit = min(start_day + HORIZON_DAYS, date(_MAX_YEAR, 12, 31).toordinal() - _MARGIN_DAYS - 1)
		first = start_day + 1
		first_before = self._before_day(first)
		first_nominal = self._nominal_before(first)
		remaining = target - first_before
		below = start_day  # invariant: _before_day(below + 1) < target
		day = self._nominal_day_reaching(first_nominal + remaining)
		rounds, step = 0, 7
		while True:
			day = min(day, limit)
			self._cover_days(day + 1, day + 1)
			after = self._before_day(day + 1)
			if after >= target:
				break
			if day == limit:
				raise CalendarError("unreachable", amount / _US_PER_S, start.isoformat(), HORIZON_DAYS)
			below = day
			rounds += 1
			if rounds < 4:
				# Holidays (or a short DST day) in [first, day] ate into the nominal time: ask for that much.
				lost = (self._nominal_before(day + 1) - first_nominal) - (after - first_before)
				day = self._nominal_day_reaching(first_nominal + remaining + lost)
			else:
				day = below + step
				step *= 2
		# `day` reaches the target; usually it is the first such date, but a long DST day or a gallop may have
		# overshot: bisect down to the first one.
		before = self._before_day(day)
		if before >= target:
			above = day - 1  # _before_day(above + 1) >= target
			while above - below > 1:
				middle = (above + below) // 2
				if self._before_day(middle + 1) >= target:
					above = middle
				else:
					below = middle
			day = above
			before = self._before_day(day)
		return _walk(self._day(day)[1], target - before)

	def _position(self, u: int) -> tuple[int, int]:
		"""(local date ordinal of instant u, working µs of that date before u)."""
		transitions, offsets = self._zone_changes
		offset = offsets[bisect_right(transitions, u)]
		ordinal = _EPOCH_ORD + (u + offset) // _DAY_US
		before = 0
		for start, end in self._day(ordinal)[1]:
			if u <= start:
				break
			before += (end if end < u else u) - start
		return ordinal, before

	def _day(self, ordinal: int) -> tuple[int, tuple[tuple[int, int], ...]]:
		"""(working µs, working intervals as UTC µs) of a local date; cached."""
		cached = self._days.get(ordinal)
		if cached is not None:
			return cached
		windows = self._week[(ordinal - 1) % 7]
		if not windows or ordinal in self._holiday_set:
			result: tuple[int, tuple[tuple[int, int], ...]] = (0, ())
		else:
			result = self._compute_day(ordinal, windows)
		if len(self._days) >= _DAY_CACHE_LIMIT:
			self._days.clear()
		self._days[ordinal] = result
		return result

	def _compute_day(
		self, ordinal: int, windows: tuple[tuple[int, int], ...]
	) -> tuple[int, tuple[tuple[int, int], ...]]:
		midnight = (ordinal - _EPOCH_ORD) * _DAY_US  # local wall time of 00:00, as µs since 1970-01-01 wall
		transitions, offsets = self._zone_changes
		first = bisect_right(transitions, midnight - _MAX_OFFSET_US)
		last = bisect_right(transitions, midnight + _DAY_US + _MAX_OFFSET_US)
		if first == last:
			offset = offsets[first]
			intervals = tuple((midnight + start - offset, midnight + end - offset) for start, end in windows)
			return self._nominal[(ordinal - 1) % 7], intervals
		# The offset changes near this date: each piece of constant offset contributes the instants whose
		# wall reading falls in a window.
		pieces: list[tuple[int, int]] = []
		for index in range(first, last + 1):
			piece_lo = transitions[index - 1] if index > 0 else -math.inf
			piece_hi = transitions[index] if index < len(transitions) else math.inf
			offset = offsets[index]
			for start, end in windows:
				lo = max(midnight + start - offset, piece_lo)
				hi = min(midnight + end - offset, piece_hi)
				if lo < hi:
					pieces.append((int(lo), int(hi)))
		pieces.sort()
		merged: list[tuple[int, int]] = []
		for lo, hi in pieces:
			if merged and lo <= merged[-1][1]:
				merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
			else:
				merged.append((lo, hi))
		return sum(hi - lo for lo, hi in merged), tuple(merged)

	def _cover(self, lo_us: int, hi_us: int) -> None:
		"""Make sure the local dates around two instants (UTC µs) are covered."""
		lo = _EPOCH_ORD + lo_us // _DAY_US - 2
		hi = _EPOCH_ORD + hi_us // _DAY_US + 2
		if lo < self._covered[0] or hi > self._covered[1]:
			self._extend(lo, hi)

	def _cover_days(self, lo: int, hi: int) -> None:
		if lo < self._covered[0] or hi > self._covered[1]:
			self._extend(lo, hi)

	def _extend(self, lo: int, hi: int) -> None:
		"""Load the UTC-offset changes of the years around local dates [lo, hi]; rebuild the DST fixes."""
		try:
			want_lo = date.fromordinal(lo - _MARGIN_DAYS).year
			want_hi = date.fromordinal(hi + _MARGIN_DAYS).year
		except (ValueError, OverflowError):
			want_lo, want_hi = 0, 10_000
		if want_lo < _MIN_YEAR or want_hi > _MAX_YEAR:
			raise ValueError(f"instants must lie in the years {_MIN_YEAR}-{_MAX_YEAR}")
		with self._lock:
			if self._years is None:
				self._anchor = lo
			else:
				if lo >= self._covered[0] and hi <= self._covered[1]:
					return  # another thread got there first
				want_lo, want_hi = min(want_lo, self._years[0]), max(want_hi, self._years[1])
			key = self._zone.key
			transitions: list[int] = []
			offsets: list[int] = []
			for year in range(want_lo, want_hi + 1):
				first, changes = _year_transitions(key, year)
				if not offsets:
					offsets.append(first)
				elif first != offsets[-1]:
					# A change exactly at 00:00 UTC on 1 January.
					transitions.append((date(year, 1, 1).toordinal() - _EPOCH_ORD) * _DAY_US)
					offsets.append(first)
				for instant, offset in changes:
					transitions.append(instant)
					offsets.append(offset)
			# Dates inside the old coverage come out the same from the new changes: cached days stay valid
			# for them, and days computed from here on use the new changes.
			self._zone_changes = (transitions, offsets)
			self._days = {}

			# Local dates touched by a change; their real working time may differ from the nominal one.
			candidates: set[int] = set()
			for index, instant in enumerate(transitions):
				before = _EPOCH_ORD + (instant + offsets[index] - 1) // _DAY_US
				after = _EPOCH_ORD + (instant + offsets[index + 1]) // _DAY_US
				candidates.update(range(min(before, after) - 1, max(before, after) + 2))
			fixes: list[int] = []
			fix_prefix = [0]
			for ordinal in sorted(candidates):
				nominal = 0 if ordinal in self._holiday_set else self._nominal[(ordinal - 1) % 7]
				fix = self._day(ordinal)[0] - nominal
				if fix:
					fixes.append(ordinal)
					fix_prefix.append(fix_prefix[-1] + fix)
			anchor = fix_prefix[bisect_left(fixes, self._anchor)]
			self._fix = (fixes, [value - anchor for value in fix_prefix])
			self._years = (want_lo, want_hi)
			self._covered = (
				date(want_lo, 1, 1).toordinal() + _MARGIN_DAYS,
				date(want_hi, 12, 31).toordinal() - _MARGIN_DAYS,
			)


def _walk(intervals: tuple[tuple[int, int], ...], amount: int) -> int:
	"""The instant at which `amount` (> 0) µs of the intervals have passed (an interval's end if exact)."""
	for start, end in intervals:
		length = end - start
		if amount <= length:
			return start + amount
		amount -= length
	raise AssertionError("business time overran the day it was located in")
