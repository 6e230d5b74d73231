"""Day windows (hypercare): containment, overlap, and the days a moved window changes."""

from datetime import date
from datetime import datetime
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from smo_extension.engine.windows import DayRange
from smo_extension.engine.windows import WindowError
from smo_extension.engine.windows import changed_days
from smo_extension.engine.windows import find_overlap
from smo_extension.engine.windows import merge

D = date(2026, 3, 1)


def days(offset_from: int, offset_to: int) -> DayRange:
	return DayRange(D + timedelta(days=offset_from), D + timedelta(days=offset_to))


def test_both_ends_are_inside():
	window = days(0, 9)
	assert D in window and D + timedelta(days=9) in window
	assert D - timedelta(days=1) not in window and D + timedelta(days=10) not in window
	assert window.days == 10


def test_a_window_cannot_end_before_it_starts_and_is_made_of_days():
	with pytest.raises(WindowError) as raised:
		DayRange(date(2026, 3, 2), date(2026, 3, 1))
	assert raised.value.code == "ends_before_start"
	assert raised.value.args_for_message == (date(2026, 3, 2), date(2026, 3, 1))
	with pytest.raises(WindowError) as raised:
		DayRange(datetime(2026, 3, 1, 10), date(2026, 3, 2))
	assert raised.value.code == "not_dates"
	with pytest.raises(WindowError):
		DayRange("2026-03-01", date(2026, 3, 2))
	assert DayRange(D, D).days == 1  # one day is a window


def test_overlap_includes_touching_ends():
	assert days(0, 5).overlaps(days(5, 9))
	assert not days(0, 4).overlaps(days(5, 9))
	assert find_overlap(days(3, 4), [("a", days(0, 2)), ("b", days(4, 8))]) == ("b", days(4, 8))
	assert find_overlap(days(3, 3), [("a", days(0, 2)), ("b", days(4, 8))]) is None


def test_moving_the_go_live_later_changes_the_days_that_left_the_window():
	# go-live moves from day 0 to day 3; hypercare still ends on day 9
	assert changed_days(days(0, 9), days(3, 9)) == [days(0, 2)]
	# hypercare extended by five days and started a day earlier
	assert changed_days(days(1, 9), days(0, 14)) == [days(0, 0), days(10, 14)]
	# a window that moves completely changes both
	assert changed_days(days(0, 2), days(10, 12)) == [days(0, 2), days(10, 12)]
	# new, removed, unchanged
	assert changed_days(None, days(0, 2)) == [days(0, 2)]
	assert changed_days(days(0, 2), None) == [days(0, 2)]
	assert changed_days(days(0, 2), days(0, 2)) == []
	assert changed_days(None, None) == []


def test_merge_joins_touching_and_overlapping_ranges():
	assert merge([days(5, 6), days(0, 2), days(3, 4), days(10, 11), days(10, 10)]) == [
		days(0, 6),
		days(10, 11),
	]


windows = st.one_of(
	st.none(),
	st.tuples(st.integers(0, 60), st.integers(0, 30)).map(lambda p: days(p[0], p[0] + p[1])),
)


@settings(max_examples=300, deadline=None, database=None)
@given(windows, windows)
def test_changed_days_are_exactly_the_days_in_one_window_only(old, new):
	changed = changed_days(old, new)
	assert changed == merge(changed)  # sorted, disjoint, not touching
	for offset in range(-2, 95):
		day = D + timedelta(days=offset)
		in_old = old is not None and day in old
		in_new = new is not None and day in new
		assert any(day in part for part in changed) == (in_old != in_new), day
