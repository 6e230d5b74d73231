"""The KPI jobs: the hourly close of finished periods and the backfill command.

- `close_periods` (scheduler, hourly): every finished period of each active definition, from the period the
  definition was created in, that has no measurement yet is measured once, by `close_batch` jobs on the long
  queue (`BATCH` definitions a job, any number of workers). A period counts as finished an
  hour (`GRACE`) after it ends in the SMO's time zone, so the clock scan has judged its last minutes. Running
  it again changes nothing.
- `backfill` (by hand): past periods, e.g.
  `bench --site <site> execute smo_extension.kpi.jobs.backfill --kwargs "{'periods': 12}"`; with
  `recompute=True` periods already measured are computed again (their old values stay in the version history).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import getdate
from frappe.utils import now_datetime

from smo_extension import scaleout
from smo_extension.engine import kpi as engine
from smo_extension.kpi import measure
from smo_extension.settings import is_enabled
from smo_extension.sla.ticket import aware

GRACE = timedelta(hours=1)
MAX_CATCH_UP = 60  # periods per definition the close looks back at most
BATCH = 50  # definitions per job of the close: a period of 200 KPIs is four jobs any four workers take


def close_periods(now: datetime | None = None) -> int:
	"""Queue the measuring of each finished, unmeasured period of every active definition (`enqueue_batches`).
	Returns how many measurements were queued (written, in tests)."""
	if not is_enabled():
		return 0
	now = now or aware(now_datetime())
	timezone = measure.smo_timezone()
	definitions = measure.load_definitions()
	wanted = {}
	for definition in definitions:
		last = engine.last_finished(definition.frequency, now, timezone, GRACE)
		first = engine.period_containing(definition.frequency, getdate(definition.creation))
		wanted[definition.name] = engine.periods_between(definition.frequency, first.start, last.end)[
			-MAX_CATCH_UP:
		]
	return enqueue_batches(definitions, unmeasured(wanted))


def enqueue_batches(definitions: list, wanted: dict[str, list[engine.Period]]) -> int:
	"""One job per period on the long queue (`close_batch`), with the definitions it measures; a batch still
	queued from an earlier close is not queued twice. Returns how many measurements were queued (written, when
	the batches run here: in tests)."""
	count = 0
	for period, batch in measure.batches(definitions, wanted):
		for start in range(0, len(batch), BATCH):
			count += enqueue_batch(period, batch[start : start + BATCH])
	return count


def enqueue_batch(period: engine.Period, members: list) -> int:
	"""One job measuring `members` for `period` (run here in tests); how many measurements it makes."""
	names = sorted(d["name"] for d in members)
	kwargs = {"frequency": period.frequency, "start": str(period.start), "definitions": names}
	if scaleout.inline_jobs():
		return close_batch(**kwargs)
	digest = hashlib.sha1("\x1f".join(names).encode()).hexdigest()[:12]
	frappe.enqueue(
		"smo_extension.kpi.jobs.close_batch",
		queue="long",
		job_id=f"smo-kpi-close-{period.start}-{digest}",
		deduplicate=True,
		enqueue_after_commit=True,
		**kwargs,
	)
	return len(names)


def close_batch(frequency: str, start: str, definitions: list[str]) -> int:
	"""Measure one period of `definitions`, those that nobody measured meanwhile (another worker, a rerun).
	Two workers on the same batch both end with one measurement per definition and period: its name is unique,
	and the loser of the insert updates the winner's (`measure.record`). Returns how many were written."""
	period = engine.period_containing(frequency, getdate(start))
	members = measure.load_definitions(definitions)
	wanted = unmeasured({d.name: [period] for d in members})
	return run([d for d in members if d.name in wanted], wanted)


def backfill(
	periods: int = 12,
	definition: str | None = None,
	from_date: str | None = None,
	to_date: str | None = None,
	recompute: bool = False,
) -> dict:
	"""Measure past periods of the active definitions (or of one, active or not): the last `periods`
	finished ones, or those touching [from_date, to_date]. Periods already measured are skipped unless
	`recompute`. Returns {"measured": n, "definitions": n}."""
	frappe.only_for(("SMO Manager", "System Manager"))
	now = aware(now_datetime())
	timezone = measure.smo_timezone()
	definitions = measure.load_definitions([definition] if definition else None, active_only=not definition)
	if definition and not definitions:
		frappe.throw(_("KPI {0} does not exist.").format(definition), frappe.DoesNotExistError)
	wanted = {}
	for d in definitions:
		last = engine.last_finished(d.frequency, now, timezone)
		if to_date:
			last = min(last, engine.period_containing(d.frequency, getdate(to_date)))
		if from_date:
			chosen = engine.periods_between(d.frequency, getdate(from_date), last.end)
		else:
			chosen = engine.periods_between(d.frequency, last.start, last.end)
			while len(chosen) < max(int(periods), 1):
				chosen.insert(0, chosen[0].previous())
		wanted[d.name] = chosen
	written = run(definitions, wanted if recompute else unmeasured(wanted))
	return {"measured": written, "definitions": len(definitions)}


def unmeasured(wanted: dict[str, list[engine.Period]]) -> dict[str, list[engine.Period]]:
	"""`wanted` without the periods that have a measurement already (one query)."""
	starts = [p.start for periods in wanted.values() for p in periods]
	if not starts:
		return {}
	m = frappe.qb.DocType("SMO KPI Measurement")
	done = {
		(kpi, getdate(start))
		for kpi, start in frappe.qb.from_(m)
		.select(m.kpi, m.period_start)
		.where(m.kpi.isin(list(wanted)) & (m.period_start >= min(starts)))
		.run()
	}
	return {
		name: missing
		for name, periods in wanted.items()
		if (missing := [p for p in periods if (name, p.start) not in done])
	}


def run(definitions: list, wanted: dict[str, list[engine.Period]]) -> int:
	"""Measure the batches one period at a time; a batch that fails is logged and the others go on."""
	written = 0
	for period, members in measure.batches(definitions, wanted):
		frappe.db.savepoint("smo_kpi_close")
		try:
			written += len(measure.measure_period(period, members))
		except Exception:
			frappe.db.rollback(save_point="smo_kpi_close")
			frappe.log_error(
				title=_("SMO KPI close failed for {0} ({1} KPIs)").format(period.label, len(members))
			)
	return written
