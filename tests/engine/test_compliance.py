"""Compliance % = met ÷ (met + breached) over a period [start, end)."""

from datetime import date
from datetime import datetime
from datetime import timezone
from zoneinfo import ZoneInfo

import pytest

from smo_extension.engine.calendar import BusinessCalendar
from smo_extension.engine.clock import ClockResult
from smo_extension.engine.clock import evaluate_clock
from smo_extension.engine.compliance import Compliance
from smo_extension.engine.compliance import compliance
from smo_extension.engine.compliance import compliance_percent
from smo_extension.engine.compliance import weighted_target

UTC = timezone.utc
ROME = ZoneInfo("Europe/Rome")
JUNE = (datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC))


def at(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
	return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def met(stopped_at: datetime) -> ClockResult:
	return ClockResult("met", 60.0, None, stopped_at)


def breached(due: datetime, stopped_at: datetime | None = None) -> ClockResult:
	return ClockResult("breached", 7200.0, due, stopped_at)


def test_counts_at_the_period_boundaries():
	"""June = [1 June 00:00, 1 July 00:00) UTC.
	met: stopped 1 June 00:00 (in: start inclusive), 10 June (in), 1 July 00:00 (out: end exclusive),
	31 May 23:59 (out) -> 2.
	breached: crossed 15 June still running (in), crossed 30 June 23:59 and resolved in July (in: counted by
	the breach instant, not the stop), crossed 31 May and still running in June (out), crossed 1 July (out)
	-> 2. Running, at-risk and paused clocks never count. 2 / (2 + 2) = 50 %."""
	results = [
		met(at(6, 1)),
		met(at(6, 10, 12)),
		met(at(7, 1)),
		met(at(5, 31, 23, 59)),
		breached(at(6, 15)),
		breached(at(6, 30, 23, 59), stopped_at=at(7, 2)),
		breached(at(5, 31, 12)),
		breached(at(7, 1)),
		ClockResult("running", 10.0, at(6, 20), None, at(6, 19)),
		ClockResult("at_risk", 10.0, at(6, 20), None, at(6, 20)),
		ClockResult("paused", 10.0, None, None),
	]
	assert compliance(results, *JUNE) == Compliance(met=2, breached=2, percent=50.0)


def test_period_in_another_zone_compares_instants():
	"""The period 1 June 00:00 Rome (= 31 May 22:00 UTC) includes a stop at 31 May 23:00 UTC."""
	period = (datetime(2026, 6, 1, tzinfo=ROME), datetime(2026, 7, 1, tzinfo=ROME))
	assert compliance([met(at(5, 31, 23))], *period) == Compliance(1, 0, 100.0)


def test_nothing_countable_gives_none_not_100():
	"""Only running clocks, or nothing at all: 0 / 0 has no meaning -> percent None."""
	running = ClockResult("running", 10.0, at(6, 20), None, at(6, 19))
	assert compliance([running], *JUNE) == Compliance(0, 0, None)
	assert compliance([], *JUNE) == Compliance(0, 0, None)


@pytest.mark.parametrize(
	("met_count", "breached_count", "percent"),
	[(3, 1, 75.0), (1, 0, 100.0), (0, 5, 0.0), (0, 0, None), (2, 1, 200 / 3)],
)
def test_compliance_percent(met_count, breached_count, percent):
	"""100 x met / (met + breached), e.g. 3 met and 1 breached -> 75 %."""
	assert compliance_percent(met_count, breached_count) == percent


def test_invalid_inputs():
	with pytest.raises(ValueError, match="negative"):
		compliance_percent(-1, 2)
	with pytest.raises(ValueError, match="aware"):
		compliance([], datetime(2026, 6, 1), JUNE[1])
	with pytest.raises(ValueError, match="before it starts"):
		compliance([], JUNE[1], JUNE[0])


def test_with_evaluated_clocks():
	"""Rome office (Mon-Fri 09-13, 14-18), target 4 h, evaluated on Monday 8 June 2026 12:00, for the period
	1-8 June (to Monday 8 June 00:00 Rome):
	- ticket A, Wednesday 3 June 09:00-11:00 -> met (2 h), stopped inside the period;
	- ticket B, opened Thursday 4 June 09:00, still open -> 09-13 is the whole 4 h, so it breached at
	Thursday 13:00, inside;
	- ticket C, opened Monday 8 June 09:00, still open: 3 h -> at risk, does not count.
	1 / (1 + 1) = 50 %."""
	calendar = BusinessCalendar(
		"Europe/Rome",
		{weekday: [("09:00", "13:00"), ("14:00", "18:00")] for weekday in range(5)},
		[date(2026, 6, 2)],
	)
	now = datetime(2026, 6, 8, 12, tzinfo=ROME)

	def rome(day: int, hour: int) -> datetime:
		return datetime(2026, 6, day, hour, tzinfo=ROME)

	timelines = [
		[(rome(3, 9), "Open"), (rome(3, 11), "Resolved")],
		[(rome(4, 9), "Open")],
		[(rome(8, 9), "Open")],
	]
	results = [evaluate_clock(t, target_seconds=4 * 3600, calendar=calendar, now=now) for t in timelines]
	assert [r.state for r in results] == ["met", "breached", "at_risk"]
	assert results[1].due == rome(4, 13)
	assert compliance(results, rome(1, 0), rome(8, 0)) == Compliance(1, 1, 50.0)


def test_period_outcome_counts_one_clock_as_compliance_counts_it():
	from smo_extension.engine.compliance import period_outcome

	start, end = JUNE
	assert period_outcome("met", at(6, 3), None, start, end) == "met"
	assert period_outcome("met", at(7, 1), None, start, end) is None  # stopped when the period had ended
	assert period_outcome("breached", at(7, 2), at(6, 30, 23, 59), start, end) == "breached"
	assert period_outcome("breached", at(6, 3), at(5, 31), start, end) is None  # breached in May
	assert period_outcome("running", None, None, start, end) is None
	assert period_outcome("at_risk", None, None, start, end) is None


def test_weighted_target_is_what_the_agreements_promised_for_the_clocks_they_judged():
	"""A priority group with 30 clocks judged by a 90 % SLA and 10 by a 98 % Gold SLA: if each met its target
	exactly, 27 + 9.8 of 40 clocks are met = 92 %; the strictest (98 %) would misstate the promise."""
	assert weighted_target([(90, 30), (98, 10)]) == pytest.approx(92.0)
	# agreements that judged nothing in the group, or have no target, do not weigh
	assert weighted_target([(90, 30), (98, 0), (None, 5)]) == 90
	assert weighted_target([(90, 0)]) is None
	assert weighted_target([]) is None
	with pytest.raises(ValueError):
		weighted_target([(90, -1)])


@pytest.mark.parametrize(
	"parts",
	[[(90, 3), (95, 1)], [(80, 1), (99, 7), (95, 2)], [(100, 4)], [(0, 2), (50, 2)]],
)
def test_weighted_target_lies_between_the_targets_and_matches_the_met_counts(parts):
	target = weighted_target(parts)
	assert min(t for t, _ in parts) <= target <= max(t for t, _ in parts)
	judged = sum(n for _, n in parts)
	met_if_on_target = sum(t / 100 * n for t, n in parts)
	assert target == pytest.approx(100 * met_if_on_target / judged)
