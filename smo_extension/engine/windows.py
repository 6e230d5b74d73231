"""Windows of whole days, such as hypercare (go-live date to `hypercare until`, both days included).

Plain dates in and out, no `frappe`, no clock reads. Used to find the window a ticket was opened in, to refuse
overlapping windows of one service, and to find the days whose tickets must be judged again when a window moves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

__all__ = ["DayRange", "WindowError", "changed_days", "find_overlap", "merge"]

ONE_DAY = timedelta(days=1)


class WindowError(ValueError):
	"""`code` names the problem ("not_dates", "ends_before_start"); the caller renders its own message."""

	def __init__(self, code: str, *args_for_message: object) -> None:
		super().__init__(code, *args_for_message)
		self.code = code
		self.args_for_message = args_for_message


@dataclass(frozen=True, order=True)
class DayRange:
	"""The days from `start` to `end`, both included."""

	start: date
	end: date

	def __post_init__(self) -> None:
		for value in (self.start, self.end):
			# a datetime is a date too, but a window is made of whole days
			if not isinstance(value, date) or hasattr(value, "hour"):
				raise WindowError("not_dates", value)
		if self.end < self.start:
			raise WindowError("ends_before_start", self.start, self.end)

	def __contains__(self, day: date) -> bool:
		return self.start <= day <= self.end

	def overlaps(self, other: DayRange) -> bool:
		return self.start <= other.end and other.start <= self.end

	def minus(self, other: DayRange) -> list[DayRange]:
		"""The days of this range that are not in `other` (none, one or two ranges)."""
		if not self.overlaps(other):
			return [self]
		parts = []
		if self.start < other.start:
			parts.append(DayRange(self.start, other.start - ONE_DAY))
		if other.end < self.end:
			parts.append(DayRange(other.end + ONE_DAY, self.end))
		return parts

	@property
	def days(self) -> int:
		return (self.end - self.start).days + 1


def merge(ranges: Iterable[DayRange]) -> list[DayRange]:
	"""The same days as sorted, disjoint ranges; ranges that touch (one ends the day before the next starts)
	become one."""
	out: list[DayRange] = []
	for current in sorted(ranges):
		if out and current.start <= out[-1].end + ONE_DAY:
			if current.end > out[-1].end:
				out[-1] = DayRange(out[-1].start, current.end)
		else:
			out.append(current)
	return out


def changed_days(old: DayRange | None, new: DayRange | None) -> list[DayRange]:
	"""The days inside exactly one of `old` and `new` (either may be None: no window), as sorted, disjoint
	ranges: when a window moves, the tickets opened on these days are judged by another agreement."""
	if old is None and new is None:
		return []
	if old is None:
		return [new]
	if new is None:
		return [old]
	return merge([*old.minus(new), *new.minus(old)])


def find_overlap(window: DayRange, others: Iterable[tuple[str, DayRange]]):
	"""The first (key, range) of `others` that shares a day with `window`, or None."""
	for key, other in others:
		if window.overlaps(other):
			return key, other
	return None
