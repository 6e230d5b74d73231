"""SLA compliance over a period: met ÷ (met + breached).

As the SMO defines it: a clock counts as *met* in a period when it stopped within its target inside the period
(stopped_at in [period_start, period_end)), and as *breached* when it crossed its target inside the period
(the breach instant, `due` of a breached result, in [period_start, period_end)), whether it is still running
or not. Running, at-risk and paused clocks that have not breached do not count.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from smo_extension.engine.clock import BREACHED
from smo_extension.engine.clock import MET
from smo_extension.engine.clock import ClockResult

__all__ = ["Compliance", "compliance", "compliance_percent", "period_outcome", "weighted_target"]


@dataclass(frozen=True)
class Compliance:
	met: int
	breached: int
	percent: float | None
	"""100 x met / (met + breached); None when nothing in the period counts (not 100)."""


def compliance_percent(met: int, breached: int) -> float | None:
	"""100 x met / (met + breached), or None when both are 0; for counts aggregated elsewhere (SQL)."""
	if met < 0 or breached < 0:
		raise ValueError(f"counts must not be negative: met={met}, breached={breached}")
	total = met + breached
	if total == 0:
		return None
	return 100.0 * met / total


def period_outcome(
	state: str,
	stopped_at: datetime | None,
	breached_at: datetime | None,
	period_start: datetime,
	period_end: datetime,
) -> str | None:
	"""How one clock counts in [period_start, period_end): "breached" when it crossed its target in the period
	(`breached_at`, running or not), "met" when it stopped within target in the period, else None."""
	if state == BREACHED:
		return BREACHED if breached_at is not None and period_start <= breached_at < period_end else None
	if state == MET and stopped_at is not None and period_start <= stopped_at < period_end:
		return MET
	return None


def compliance(results: Iterable[ClockResult], period_start: datetime, period_end: datetime) -> Compliance:
	"""Count met and breached clocks of the period [period_start, period_end)."""
	for name, value in (("period_start", period_start), ("period_end", period_end)):
		if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
			raise ValueError(f"{name} must be an aware datetime: {value!r}")
	if period_end < period_start:
		raise ValueError(
			f"period ends ({period_end.isoformat()}) before it starts ({period_start.isoformat()})"
		)
	met = breached = 0
	for result in results:
		outcome = period_outcome(result.state, result.stopped_at, result.due, period_start, period_end)
		if outcome == MET:
			met += 1
		elif outcome == BREACHED:
			breached += 1
	return Compliance(met, breached, compliance_percent(met, breached))


def weighted_target(parts: Iterable[tuple[float, int]]) -> float | None:
	"""The compliance target of a group of clocks judged by several agreements: each agreement's target
	weighted by how many of the group's clocks it judged in the period (met + breached). It is the compliance
	the group reaches when every agreement exactly meets its own target, so the group's gap is measured against
	what its agreements promised, not against the strictest of them. `parts` is (target %, judged clocks) per
	agreement; agreements without a target are left out. None when no agreement with a target judged any of
	the group's clocks."""
	weight = total = 0.0
	for target, judged in parts:
		if judged < 0:
			raise ValueError(f"judged clocks must not be negative: {judged}")
		if target is None or judged == 0:
			continue
		total += target * judged
		weight += judged
	return total / weight if weight else None
