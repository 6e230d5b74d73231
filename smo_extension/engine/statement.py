"""The arithmetic and the words of the customer's monthly SLA statement.

Months as `YYYY-MM`, the first working day of a month on a business calendar, durations as people write them
("3 h 05 min"), and each breach's timeline told in words from the ticket's event log ("opened Mon 09:12, waited
on you 2 h 10 min, resolved Wed 11:40: 3 h 05 min over the 8 h target").

Plain values in and out: no `frappe`, no clock reads (the caller passes `until`). The words are English
templates by default; the caller passes translated ones (`Words`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import tzinfo

from smo_extension.engine.calendar import BusinessCalendar
from smo_extension.engine.replay import PAUSED
from smo_extension.engine.replay import RESOLVED
from smo_extension.engine.replay import TicketEvent
from smo_extension.engine.replay import response_timeline
from smo_extension.engine.replay import status_timeline

__all__ = [
	"ENGLISH",
	"MonthError",
	"Words",
	"add_months",
	"describe_breach",
	"first_working_day",
	"format_duration",
	"last_months",
	"month_range",
	"parse_month",
]

RESPONSE, RESOLUTION = "response", "resolution"
_MONTH = re.compile(r"(\d{4})-(\d{2})")


class MonthError(ValueError):
	"""`code` is "malformed" (not YYYY-MM) or "out_of_range" (month 00 or 13, year 0)."""

	def __init__(self, code: str, value: object) -> None:
		super().__init__(code, value)
		self.code = code
		self.value = value


# ------------------------------------------------------------------------------------------- months
def parse_month(value: object) -> date:
	"""`YYYY-MM` -> the first day of that month. Nothing else is accepted (no day, no spaces, no 2026-3)."""
	if not isinstance(value, str):
		raise MonthError("malformed", value)
	match = _MONTH.fullmatch(value)
	if not match:
		raise MonthError("malformed", value)
	year, month = int(match.group(1)), int(match.group(2))
	if year < 1 or not 1 <= month <= 12:
		raise MonthError("out_of_range", value)
	return date(year, month, 1)


def add_months(first: date, months: int) -> date:
	"""The first day of the month `months` after (or before, when negative) the month of `first`."""
	index = first.year * 12 + first.month - 1 + months
	return date(index // 12, index % 12 + 1, 1)


def month_range(first: date) -> tuple[date, date]:
	"""[first day of the month, first day of the next month)."""
	first = first.replace(day=1)
	return first, add_months(first, 1)


def last_months(first: date, count: int) -> list[date]:
	"""The `count` months ending with the month of `first`, oldest first."""
	first = first.replace(day=1)
	return [add_months(first, -offset) for offset in range(count - 1, -1, -1)]


def first_working_day(calendar: BusinessCalendar, first: date) -> date | None:
	"""The first day of the month of `first` with working time on `calendar` (a weekday with windows that is
	not a holiday); None when the whole month is off."""
	start, end = month_range(first)
	working_weekdays = set(calendar.windows)
	holidays = set(calendar.holidays)
	day = start
	while day < end:
		if day.weekday() in working_weekdays and day not in holidays:
			return day
		day += timedelta(days=1)
	return None


# ------------------------------------------------------------------------------------------- words
@dataclass(frozen=True)
class Words:
	"""The templates the words are made of; `{0}` is a time or a duration."""

	opened: str = "opened {0}"
	waited: str = "waited on you {0}"
	answered: str = "first answer {0}"
	resolved: str = "resolved {0}"
	reopened: str = "reopened {0}"
	still_open: str = "still open at {0}"
	unanswered: str = "no answer by {0}"
	over: str = "{0} over the {1} target"
	hours_minutes: str = "{0} h {1} min"
	hours: str = "{0} h"
	minutes: str = "{0} min"
	weekdays: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
	months: tuple[str, ...] = field(
		default=("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
	)


ENGLISH = Words()


def format_duration(seconds: float, words: Words = ENGLISH, round_up: bool = False) -> str:
	"""Whole minutes as "45 min", "8 h" or "3 h 05 min": rounded to the nearest minute, or up to the next one
	with `round_up` (ten seconds late is "1 min" late, not "0 min"). Negative durations are refused."""
	if seconds < 0:
		raise ValueError(f"a duration cannot be negative: {seconds!r}")
	minutes = math.ceil(seconds / 60.0 - 1e-9) if round_up else round(seconds / 60.0)
	hours, rest = divmod(minutes, 60)
	if not hours:
		return words.minutes.format(rest)
	if not rest:
		return words.hours.format(hours)
	return words.hours_minutes.format(hours, f"{rest:02d}")


def format_instant(when: datetime, zone: tzinfo, opened: datetime, words: Words = ENGLISH) -> str:
	"""'Mon 09:12' in `zone`; a day more than six days after the opening day also gets its date
	('Tue 17 Mar 09:12'), so a weekday name never means two days."""
	local = when.astimezone(zone)
	text = f"{words.weekdays[local.weekday()]} {local:%H:%M}"
	if (local.date() - opened.astimezone(zone).date()).days > 6:
		text = f"{words.weekdays[local.weekday()]} {local.day} {words.months[local.month - 1]} {local:%H:%M}"
	return text


def describe_breach(
	*,
	metric: str,
	opened_at: datetime,
	events: Sequence[TicketEvent],
	first_response_at: datetime | None,
	target_seconds: float,
	elapsed_seconds: float,
	until: datetime,
	zone: tzinfo,
	words: Words = ENGLISH,
	until_label: str | None = None,
) -> str:
	"""One breached clock's story, from the ticket's status events up to `until`: when it was opened, how long
	it waited on the customer (status category Paused) while the clock ran, when it was answered or resolved
	(and reopened), and by how much business time it went over its target. `elapsed_seconds` is the clock's
	business time as the engine counted it (so the words and the verdict never disagree). `until_label` names
	`until` in words when it is the end of a period ("the end of March 2026")."""
	if metric not in (RESPONSE, RESOLUTION):
		raise ValueError(f"metric must be {RESPONSE!r} or {RESOLUTION!r}: {metric!r}")
	timeline = status_timeline(opened_at, events, until)
	if metric == RESPONSE:
		answered = first_response_at if first_response_at is not None and first_response_at <= until else None
		timeline = response_timeline(timeline, answered)

	def when(instant: datetime) -> str:
		return format_instant(instant, zone, opened_at, words)

	parts = [words.opened.format(when(opened_at))]
	waited = timedelta(0)
	stop: datetime | None = None
	for index, (start, category) in enumerate(timeline):
		end = timeline[index + 1][0] if index + 1 < len(timeline) else until
		if category == PAUSED:
			waited += max(end - start, timedelta(0))
		elif category == RESOLVED:
			if index + 1 == len(timeline):
				stop = start
			elif metric == RESOLUTION:  # resolved, then reopened
				parts.append(words.resolved.format(when(start)))
				parts.append(words.reopened.format(when(end)))
	if waited > timedelta(0):
		parts.append(words.waited.format(format_duration(waited.total_seconds(), words)))
	if stop is not None:
		by_answer = metric == RESPONSE and first_response_at is not None and stop >= first_response_at
		template = words.answered if by_answer else words.resolved
		parts.append(template.format(when(stop)))
	else:
		parts.append(
			(words.unanswered if metric == RESPONSE else words.still_open).format(until_label or when(until))
		)
	over = max(elapsed_seconds - target_seconds, 0.0)
	return "{0}: {1}".format(
		", ".join(parts),
		words.over.format(
			format_duration(over, words, round_up=True), format_duration(target_seconds, words)
		),
	)
