"""The KPI engine: formulas, RAG, thresholds, scopes, periods and the query plan (examples and properties)."""

import statistics
from collections import Counter
from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck
from hypothesis import assume
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from smo_extension.engine import kpi

SETTINGS = settings(
	max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
UTC = timezone.utc
RANK = {kpi.RED: 0, kpi.AMBER: 1, kpi.GREEN: 2}


# ------------------------------------------------------------------------------------------- formulas
def test_compliance_share_mean_and_no_data():
	assert kpi.evaluate("resolution_compliance", {"met": 19, "breached": 1}) == kpi.Result(95.0, 19, 20, 20)
	assert kpi.evaluate("response_compliance", {"met": 0, "breached": 0}).value is None
	assert kpi.evaluate("resolution_compliance", None) == kpi.Result(None, 0, 0, 0)
	assert kpi.evaluate("mttr_business", {"stopped": 4, "stopped_minutes": 1000}).value == 250
	assert kpi.evaluate("mtta_business", {"stopped": 0, "stopped_minutes": 0}).value is None
	assert kpi.evaluate("reopen_rate", {"resolved": 8, "reopened": 2}).value == 25
	assert kpi.evaluate("csat", {"rated": 4, "satisfied": 3}).value == 75
	assert kpi.evaluate("csat", {"resolved": 5, "rated": 0, "satisfied": 0}).value is None
	assert kpi.evaluate("backlog_aged_30", {"open": 10, "aged": 3}) == kpi.Result(30.0, 3, 10, 10)


def test_counts_are_zero_not_no_data():
	for metric, field in (("backlog", "open"), ("volume", "opened"), ("improvement_throughput", "done")):
		assert kpi.evaluate(metric, {}).value == 0
		assert kpi.evaluate(metric, {field: 7}).value == 7


def test_percentile_is_linear_interpolation_between_closest_ranks():
	# numpy.percentile([1..10], 90) == 9.1
	assert kpi.percentile({float(i): 1 for i in range(1, 11)}, 0.9) == pytest.approx(9.1)
	assert kpi.percentile({5.0: 3}, 0.9) == 5.0
	assert kpi.percentile({1.0: 1, 3.0: 1}, 0.5) == 2.0
	assert kpi.percentile({}, 0.9) is None
	assert kpi.evaluate("mttr_p90_business", {"histogram": {10.0: 9, 100.0: 1}}) == kpi.Result(
		pytest.approx(19.0), None, None, 10
	)


def test_negative_counts_are_refused():
	with pytest.raises(ValueError):
		kpi.share(-1, 3)
	with pytest.raises(ValueError):
		kpi.percentile({1.0: 1}, 1.5)


# ------------------------------------------------------------------------------------------- RAG
def test_rag_of_the_mttr_example():
	"""MTTR must stay under 6 business hours, amber at 7, red at 8 (minutes)."""
	judge = lambda v: kpi.rag(v, kpi.LOWER, 360, 420, 480)  # noqa: E731
	assert [judge(v) for v in (300, 360, 400, 420, 479, 480, 600)] == [
		kpi.GREEN,
		kpi.GREEN,
		kpi.GREEN,  # missed the target, inside the tolerance
		kpi.AMBER,
		kpi.AMBER,
		kpi.RED,
		kpi.RED,
	]
	assert judge(None) == kpi.NO_DATA


def test_rag_higher_is_better_and_equal_thresholds():
	judge = lambda v: kpi.rag(v, kpi.HIGHER, 95, 90, 85)  # noqa: E731
	assert [judge(v) for v in (100, 95, 92, 90, 86, 85, 0)] == [
		kpi.GREEN,
		kpi.GREEN,
		kpi.GREEN,
		kpi.AMBER,
		kpi.AMBER,
		kpi.RED,
		kpi.RED,
	]
	# amber == target: anything short of the target is amber; meeting it is green
	assert kpi.rag(95, kpi.HIGHER, 95, 95, 80) == kpi.GREEN
	assert kpi.rag(94.9, kpi.HIGHER, 95, 95, 80) == kpi.AMBER


def test_threshold_problems():
	assert kpi.threshold_problems(kpi.HIGHER, 95, 90, 85, "%") == []
	assert kpi.threshold_problems(kpi.HIGHER, 95, 97, 85, "%") == [("amber_side", (97, 95))]
	assert kpi.threshold_problems(kpi.HIGHER, 95, 90, 92, "%") == [("red_side", (92, 90))]
	assert kpi.threshold_problems(kpi.LOWER, 360, 300, 480, "min") == [("amber_side", (300, 360))]
	assert kpi.threshold_problems(kpi.LOWER, 360, 420, 400, "min") == [("red_side", (400, 420))]
	assert kpi.threshold_problems(kpi.HIGHER, 120, 90, 85, "%") == [("percent_range", ("target", 120))]
	assert kpi.threshold_problems(kpi.LOWER, -1, 0, 1, "tickets") == [("negative", ("target", -1))]
	assert kpi.threshold_problems("Sideways", 1, 1, 1, "%") == [("bad_direction", ("Sideways",))]


def test_scope_problems():
	assert kpi.scope_problems("resolution_compliance", {"service": "ERP", "agreement_type": "SLA"}) == []
	assert kpi.scope_problems("catalog_completeness", {"service": "ERP"}) == [("not_allowed", "service")]
	assert kpi.scope_problems("csat", {"agreement_type": "SLA"}) == [("not_allowed", "agreement_type")]
	assert kpi.scope_problems("mttr_business", {"agreement_type": "OLA"}) == [("needs", "team")]
	assert kpi.scope_problems("mttr_business", {"agreement_type": "OLA", "team": "Ops"}) == []
	assert kpi.scope_problems("mttr_business", {"agreement_type": "UC"}) == [
		("bad_agreement_type", "agreement_type")
	]
	assert kpi.scope_problems("improvement_throughput", {"team": "Ops"}) == [("not_allowed", "team")]


def test_every_metric_has_a_formula_and_a_known_source():
	for name, metric in kpi.METRICS.items():
		assert metric.source in kpi.SOURCES
		assert metric.direction in kpi.DIRECTIONS
		assert kpi.evaluate(name, {}).sample_size == 0


# ------------------------------------------------------------------------------------------- periods
def test_periods():
	assert kpi.period_containing("Weekly", date(2026, 12, 3)) == kpi.Period(
		date(2026, 11, 30), date(2026, 12, 6)
	)
	assert kpi.period_containing("Monthly", date(2026, 12, 31)) == kpi.Period(
		date(2026, 12, 1), date(2026, 12, 31)
	)
	assert kpi.period_containing("Monthly", date(2028, 2, 10)).end == date(2028, 2, 29)
	quarter = kpi.period_containing("Quarterly", date(2026, 11, 5))
	assert (quarter.start, quarter.end, quarter.label) == (date(2026, 10, 1), date(2026, 12, 31), "2026-Q4")
	assert quarter.next().start == date(2027, 1, 1)
	assert kpi.period_containing("Weekly", date(2026, 1, 1)).label == "2026-W01"
	assert [p.label for p in kpi.periods_between("Monthly", date(2026, 11, 15), date(2027, 1, 2))] == [
		"2026-11",
		"2026-12",
		"2027-01",
	]
	with pytest.raises(ValueError):
		kpi.period_containing("Daily", date(2026, 1, 1))


def test_period_bounds_follow_the_smo_time_zone_across_dst():
	march = kpi.period_containing("Monthly", date(2026, 3, 1))
	start, end = kpi.period_bounds(march, "Europe/Rome")
	assert start == datetime(2026, 2, 28, 23, tzinfo=UTC)
	assert end == datetime(2026, 3, 31, 22, tzinfo=UTC)
	assert end - start == timedelta(days=31, hours=-1)
	# Santiago skips midnight (00:00 -> 01:00) on 2026-09-06: that day starts at the change
	day = kpi.local_midnight(date(2026, 9, 6), "America/Santiago")
	assert day.astimezone(UTC) == datetime(2026, 9, 6, 4, tzinfo=UTC)
	assert (day - timedelta(microseconds=1)).astimezone(ZoneInfo("America/Santiago")).date() == date(
		2026, 9, 5
	)


def test_last_finished_waits_for_the_grace():
	grace = timedelta(hours=1)
	# November ends 2026-11-30 23:00 UTC in Rome
	assert kpi.last_finished(
		"Monthly", datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "Europe/Rome", grace
	).label == ("2026-10")
	assert kpi.last_finished(
		"Monthly", datetime(2026, 12, 1, 0, 0, tzinfo=UTC), "Europe/Rome", grace
	).label == ("2026-11")
	assert (
		kpi.last_finished("Monthly", datetime(2026, 11, 30, 23, 0, tzinfo=UTC), "Europe/Rome").label
		== "2026-11"
	)


# ------------------------------------------------------------------------------------------- query plan
def test_query_plan():
	plan = kpi.query_plan([{"service": "A"}, {"service": "A", "customer": "X"}], kpi.SCOPE_FIELDS)
	assert plan == kpi.QueryPlan({"service": ("A",)}, ("customer",), {"service": "A"})
	plan = kpi.query_plan([{"service": "A"}, {"service": "B"}, {"team": "T"}], kpi.SCOPE_FIELDS)
	assert plan == kpi.QueryPlan({}, ("service", "team"), {})
	plan = kpi.query_plan([{"service": "A"}, {"service": "B"}], ("service",))
	assert plan == kpi.QueryPlan({"service": ("A", "B")}, ("service",), {})
	assert kpi.query_plan([{}, {}], kpi.SCOPE_FIELDS) == kpi.QueryPlan({}, (), {})


# ------------------------------------------------------------------------------------------- properties
counts = st.integers(min_value=0, max_value=10_000)
minutes = st.floats(min_value=0, max_value=100_000, allow_nan=False).map(lambda x: round(x, 2))


@SETTINGS
@given(met=counts, breached=counts)
def test_compliance_is_a_percentage_or_no_data(met, breached):
	value = kpi.evaluate("resolution_compliance", {"met": met, "breached": breached}).value
	if met + breached == 0:
		assert value is None
	else:
		assert 0 <= value <= 100
		assert (value == 100) == (breached == 0)


@SETTINGS
@given(values=st.lists(minutes, min_size=1, max_size=60))
def test_percentiles_against_an_independent_implementation(values):
	histogram = Counter(values)
	p90, median = kpi.percentile(histogram, 0.9), kpi.percentile(histogram, 0.5)
	assert min(values) <= median <= p90 <= max(values)
	if len(values) >= 2:
		# statistics.quantiles "inclusive" is the same linear interpolation (numpy's default)
		assert p90 == pytest.approx(statistics.quantiles(values, n=10, method="inclusive")[8], abs=1e-6)
		assert median == pytest.approx(statistics.median(values), abs=1e-6)


@SETTINGS
@given(values=st.lists(minutes, min_size=1, max_size=60))
def test_mean_lies_between_the_extremes(values):
	result = kpi.evaluate("mttr_business", {"stopped": len(values), "stopped_minutes": sum(values)})
	assert min(values) - 1e-6 <= result.value <= max(values) + 1e-6


thresholds = st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=3, max_size=3).map(
	sorted
)


@SETTINGS
@given(
	levels=thresholds, direction=st.sampled_from(kpi.DIRECTIONS), a=st.floats(-10, 110), b=st.floats(-10, 110)
)
def test_rag_is_monotone_in_the_direction(levels, direction, a, b):
	low, mid, high = levels
	target, amber, red = (high, mid, low) if direction == kpi.HIGHER else (low, mid, high)
	assert kpi.threshold_problems(direction, target, amber, red, "%") == []
	worse, better = (min(a, b), max(a, b)) if direction == kpi.HIGHER else (max(a, b), min(a, b))
	assert (
		RANK[kpi.rag(worse, direction, target, amber, red)]
		<= RANK[kpi.rag(better, direction, target, amber, red)]
	)
	assert kpi.rag(target, direction, target, amber, red) == kpi.GREEN
	if red != target:
		assert kpi.rag(red, direction, target, amber, red) == kpi.RED


@SETTINGS
@given(levels=thresholds, direction=st.sampled_from(kpi.DIRECTIONS))
def test_thresholds_on_the_wrong_side_are_named(levels, direction):
	low, mid, high = levels
	assume(low < mid < high)
	target, amber, red = (low, mid, high) if direction == kpi.HIGHER else (high, mid, low)  # all reversed
	codes = {code for code, _args in kpi.threshold_problems(direction, target, amber, red, "%")}
	assert codes == {"amber_side", "red_side"}


@SETTINGS
@given(
	frequency=st.sampled_from(kpi.FREQUENCIES),
	day=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
	zone=st.sampled_from(["Europe/Rome", "America/Santiago", "Australia/Lord_Howe", "UTC", "Asia/Kolkata"]),
)
def test_periods_tile_time(frequency, day, zone):
	period = kpi.period_containing(frequency, day)
	assert period.start <= day <= period.end
	assert period.next().start == period.end + timedelta(days=1)
	assert period.previous().next() == period
	assert (
		kpi.period_containing(frequency, period.start)
		== kpi.period_containing(frequency, period.end)
		== period
	)
	start, end = kpi.period_bounds(period, zone)
	assert start < end
	assert kpi.period_bounds(period.next(), zone)[0] == end


SERVICES, CUSTOMERS, TEAMS = ("A", "B", "C"), ("X", "Y"), ("T1", "T2")
raw_rows = st.lists(
	st.fixed_dictionaries(
		{
			"service": st.sampled_from(SERVICES),
			"customer": st.sampled_from(CUSTOMERS),
			"team": st.sampled_from(TEAMS),
			"met": st.integers(0, 5),
			"breached": st.integers(0, 5),
		}
	),
	max_size=40,
)
scopes = st.lists(
	st.fixed_dictionaries(
		{
			"service": st.sampled_from((None, *SERVICES)),
			"customer": st.sampled_from((None, *CUSTOMERS)),
			"team": st.sampled_from((None, *TEAMS)),
		}
	),
	min_size=1,
	max_size=5,
)


def run_plan(rows, plan):
	"""What the database does with the plan: WHERE dim IN values, GROUP BY the plan's dims, sums; then the
	constants added to each row as the site does."""
	kept = [r for r in rows if all(r[d] in values for d, values in plan.filters.items())]
	groups = {}
	for r in kept:
		key = tuple(r[d] for d in plan.group_by)
		g = groups.setdefault(key, {**dict(zip(plan.group_by, key, strict=True)), "met": 0, "breached": 0})
		g["met"] += r["met"]
		g["breached"] += r["breached"]
	if not plan.group_by and not groups:
		groups[()] = {"met": None, "breached": None}  # an aggregate without GROUP BY answers one row of NULLs
	return [{**g, **plan.constants} for g in groups.values()]


@SETTINGS
@given(rows=raw_rows, scopes=scopes)
def test_one_grouped_query_gives_each_scope_its_own_value(rows, scopes):
	"""The plan + rollup give every definition exactly what filtering the raw rows by its scope gives."""
	dims = ("service", "customer", "team")
	partial = run_plan(rows, kpi.query_plan(scopes, dims))
	for scope in scopes:
		key_dims, key = kpi.scope_key(scope, dims)
		totals = kpi.rollup(partial, key_dims).get(key)
		mine = [r for r in rows if all(r[d] == v for d, v in scope.items() if v)]
		expected = kpi.evaluate(
			"resolution_compliance",
			{"met": sum(r["met"] for r in mine), "breached": sum(r["breached"] for r in mine)},
		)
		assert kpi.evaluate("resolution_compliance", totals) == expected


@SETTINGS
@given(
	rows=st.lists(st.tuples(st.sampled_from(SERVICES), minutes), max_size=40),
	service=st.sampled_from((None, *SERVICES)),
)
def test_histogram_rollup_keeps_every_value(rows, service):
	partial = [{"service": s, "minutes": m, "count": 1} for s, m in rows]
	key_dims, key = kpi.scope_key({"service": service}, ("service",))
	totals = kpi.rollup(partial, key_dims, histogram=True).get(key)
	values = sorted(m for s, m in rows if service is None or s == service)
	got = kpi.evaluate("mttr_p90_business", totals)
	assert got.sample_size == len(values)
	if values:
		assert got.value == pytest.approx(kpi.percentile(Counter(values), 0.9))
	else:
		assert got.value is None
