"""Error budgets, burn rate and the projection (smo_extension.engine.budget)."""

import math
from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smo_extension.engine.budget import burn_down
from smo_extension.engine.budget import error_budget
from smo_extension.engine.budget import history_ratio
from smo_extension.engine.budget import period_bounds
from smo_extension.engine.budget import previous_periods
from smo_extension.engine.budget import usual_volume
from smo_extension.engine.compliance import compliance_percent
from tests.engine.test_properties import SETTINGS

UTC = timezone.utc
START = datetime(2026, 3, 1, tzinfo=UTC)
END = datetime(2026, 4, 1, tzinfo=UTC)  # 31 days


def day(n: float) -> datetime:
	return START + timedelta(days=n)


def test_period_bounds():
	assert period_bounds("Month", date(2026, 2, 17)) == (date(2026, 2, 1), date(2026, 3, 1))
	assert period_bounds("Month", date(2026, 12, 31)) == (date(2026, 12, 1), date(2027, 1, 1))
	assert period_bounds("Quarter", date(2026, 11, 5)) == (date(2026, 10, 1), date(2027, 1, 1))
	assert period_bounds("Week", date(2026, 3, 4)) == (date(2026, 3, 2), date(2026, 3, 9))
	assert previous_periods("Month", date(2026, 1, 15), 3) == [
		(date(2025, 12, 1), date(2026, 1, 1)),
		(date(2025, 11, 1), date(2025, 12, 1)),
		(date(2025, 10, 1), date(2025, 11, 1)),
	]
	with pytest.raises(ValueError):
		period_bounds("Fortnight", date(2026, 1, 1))


def test_mid_month_projection_by_hand():
	"""Half-way through March: 45 met, 5 breached; two running clocks due before the end, one already overdue;
	the previous months counted 100 clocks each, 96 % met. 95 % target."""
	budget = error_budget(
		target_percent=95,
		met=45,
		breached=5,
		pending_dues=[day(15.25), day(20), day(40), day(-3)],  # overdue, pending, next month, last month
		period_start=START,
		period_end=END,
		now=day(15.5),
		usual_volume=100,
		history_ratio=0.96,
	)
	assert (budget.overdue, budget.pending) == (1, 1)
	assert budget.elapsed_share == pytest.approx(0.5)
	# still to count: 100 x 0.5 = 50, of which 2 are known: 48 new ones plus the pending one at p = 0.96
	assert budget.projected_met == pytest.approx(45 + 0.96 * 49)
	assert budget.projected_breached == pytest.approx(5 + 1 + 0.04 * 49)
	assert budget.expected == pytest.approx(100)
	assert budget.allowed == 5  # 5 % of 100
	assert (budget.used, budget.remaining) == (5, 0)
	assert budget.burn_rate == pytest.approx((5 / 50) / 0.05)  # 2: twice the allowed pace
	assert budget.projected == pytest.approx(100 * (45 + 0.96 * 49) / 100)


def test_without_history_the_period_so_far_and_then_the_target_give_p():
	so_far = error_budget(
		target_percent=90,
		met=8,
		breached=2,
		pending_dues=[day(20)],
		period_start=START,
		period_end=END,
		now=day(10),
	)
	assert so_far.met_ratio == pytest.approx(0.8)
	assert so_far.projected == pytest.approx(100 * (8 + 0.8) / 11)
	nothing = error_budget(
		target_percent=90, met=0, breached=0, pending_dues=[], period_start=START, period_end=END, now=day(1)
	)
	assert nothing.met_ratio == pytest.approx(0.9)
	assert nothing.projected is None
	assert nothing.burn_rate is None
	assert (nothing.allowed, nothing.remaining) == (0, 0)


def test_a_closed_period_projects_its_own_compliance_and_a_full_target_has_no_burn_rate():
	closed = error_budget(
		target_percent=100,
		met=30,
		breached=1,
		pending_dues=[],
		period_start=START,
		period_end=END,
		now=day(40),
		usual_volume=500,
	)
	assert closed.projected == pytest.approx(compliance_percent(30, 1))
	assert closed.burn_rate is None
	assert (closed.allowed, closed.remaining) == (0, -1)


def test_bad_inputs_are_refused():
	kwargs = dict(met=1, breached=0, pending_dues=[], period_start=START, period_end=END, now=day(1))
	for bad in (
		dict(target_percent=0),
		dict(target_percent=101),
		dict(target_percent=95, usual_volume=-1),
		dict(target_percent=95, history_ratio=1.5),
		dict(target_percent=95, now=day(1).replace(tzinfo=None)),
		dict(target_percent=95, period_end=START),
		dict(target_percent=95, met=-1),
	):
		with pytest.raises(ValueError):
			error_budget(**{**kwargs, **bad})


def test_usual_volume_ignores_periods_that_counted_nothing():
	assert usual_volume([0, 40, 60]) == 50
	assert usual_volume([0, 0]) is None
	assert history_ratio(9, 1) == pytest.approx(0.9)
	assert history_ratio(0, 0) is None


def test_burn_down_actual_until_now_then_straight_to_the_projection():
	budget = error_budget(
		target_percent=90,
		met=20,
		breached=2,
		pending_dues=[],
		period_start=START,
		period_end=END,
		now=day(10),
		usual_volume=62,
		history_ratio=0.9,
	)
	ends = [day(n + 1) for n in range(31)]
	points = burn_down(
		budget,
		breach_times=[day(2.5), day(7.2)],
		day_ends=ends,
		period_start=START,
		period_end=END,
		now=day(10),
	)
	remaining = [r for r, _ideal in points]
	assert remaining[:2] == [budget.allowed, budget.allowed]  # days 1 and 2 end before the first breach
	assert remaining[2] == budget.allowed - 1
	assert remaining[9] == budget.allowed - 2
	assert remaining[-1] == pytest.approx(budget.allowed - budget.projected_breached)
	assert points[-1][1] == pytest.approx(0)
	assert points[0][1] == pytest.approx(budget.allowed * 30 / 31)


# -- properties -----------------------------------------------------------------------------------------
cases = st.fixed_dictionaries(
	{
		"target_percent": st.floats(50, 100),
		"met": st.integers(0, 500),
		"breached": st.integers(0, 100),
		"pending": st.lists(st.floats(-5, 40), max_size=30),
		"now": st.floats(-2, 35),
		"usual_volume": st.one_of(st.none(), st.floats(0, 2000)),
		"history_ratio": st.one_of(st.none(), st.floats(0, 1)),
	}
)


def run(case):
	return error_budget(
		target_percent=case["target_percent"],
		met=case["met"],
		breached=case["breached"],
		pending_dues=[day(d) for d in case["pending"]],
		period_start=START,
		period_end=END,
		now=day(case["now"]),
		usual_volume=case["usual_volume"],
		history_ratio=case["history_ratio"],
	)


@SETTINGS
@given(case=cases)
def test_projection_lies_between_all_met_and_all_breached(case):
	budget = run(case)
	undecided = budget.pending + max(
		0.0, budget.expected - budget.met - budget.breached - budget.overdue - budget.pending
	)
	low = compliance_percent(budget.met, budget.breached + budget.overdue + math.ceil(undecided))
	if budget.projected is None:
		assert budget.expected == pytest.approx(
			0, abs=1e-9
		)  # none expected: the engine counts below 1e-9 as none
		return
	high_met = budget.met + undecided
	high = 100 * high_met / (high_met + budget.breached + budget.overdue)
	assert (low or 0) - 1e-6 <= budget.projected <= high + 1e-6
	assert budget.projected_met + budget.projected_breached == pytest.approx(budget.expected)


@SETTINGS
@given(case=cases)
def test_budget_identities(case):
	budget = run(case)
	assert budget.allowed >= 0
	assert budget.allowed <= budget.expected * (100 - budget.target) / 100 + 1e-6
	assert budget.remaining == budget.allowed - budget.used
	assert budget.used == case["breached"]
	if budget.burn_rate is not None:
		# at most the allowed pace <=> compliance so far at least the target
		so_far = compliance_percent(budget.met, budget.breached)
		assert (budget.burn_rate <= 1 + 1e-9) == (so_far >= budget.target - 1e-9)


@SETTINGS
@given(case=cases, extra=st.integers(1, 50))
def test_more_met_clocks_never_lower_the_projection(case, extra):
	before = run(case)
	after = run({**case, "met": case["met"] + extra})
	if before.projected is not None:
		assert after.projected >= before.projected - 1e-9


@SETTINGS
@given(case=cases)
def test_a_finished_period_projects_exactly_what_it_counted(case):
	budget = run({**case, "now": 31 + abs(case["now"])})
	counted_breaches = case["breached"] + budget.overdue
	assert budget.pending == 0
	assert budget.projected == (
		None
		if budget.met + counted_breaches == 0
		else pytest.approx(compliance_percent(budget.met, counted_breaches))
	)


@SETTINGS
@given(case=cases)
def test_burn_down_starts_full_and_never_rises_until_now(case):
	budget = run(case)
	now = day(case["now"])
	ends = [day(n + 1) for n in range(31)]
	breaches = sorted(day(x) for x in case["pending"] if -1 < x < case["now"])
	points = burn_down(
		budget, breach_times=breaches, day_ends=ends, period_start=START, period_end=END, now=now
	)
	actual = [r for (r, _i), end in zip(points, ends, strict=True) if end <= now]
	assert all(a >= b for a, b in pairwise(actual))
	assert all(r <= budget.allowed for r in actual)
	ideals = [i for _r, i in points]
	assert all(a >= b for a, b in pairwise(ideals))
	assert ideals[-1] == pytest.approx(0)
