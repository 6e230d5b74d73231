"""Scale benchmark (issue 19): the SMO at ten million clock rows, on Frappe's own scale-out.

    cd <bench>/sites && ../env/bin/python <repo>/benchmarks/scale_bench.py --site <throw-away site> \\
        [--rows 10000000] [--events 2000000] [--only data,disk,reports,scan,kpi]

- data: kpi_bench's generator at `--rows` clock rows (each ticket's SLA row, an OLA row for two thirds of them;
  15 services, 10 teams, 50 customers, 4 priorities, 2025-01 to 2026-11), events capped at `--events`, and the
  agreements those rows name (so a recompute judges them as they were made). Made once; a second run reuses it.
- disk: the app's tables and indexes, in all and per million clock rows.
- reports: every SMO report for its default filters and for its heaviest grouping, timed in the request (as a
  Prepared Report's worker runs it too), beside the bare GROUP BY of the table it reads (the yardstick), and
  whether it runs in the request or prepared at this size (`scale`).
- scan: the scan with the running clocks of the data (about 500k at 10M rows), `--due` of them due: the scan's
  own select and lease, then its chunks on the long queue with one real worker, and again with two.
- kpi: the close of one month for kpi_bench's 200 KPIs, in this process (`kpi.jobs.run`), then as the hourly
  close queues it (`enqueue_batches`) with one worker and with two.

The what-if over 100k tickets is `bench_insight.py --tickets 100000`; the save ratio is `site_bench.py --only
save`. It writes benchmark data into the site and commits it; use a site made for it (never the test site).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import frappe
from frappe.query_builder.functions import Count

from benchmarks import kpi_bench
from benchmarks.harness import connect
from benchmarks.harness import ensure_agreement
from benchmarks.harness import run_benches
from smo_extension.setup.install import DEFAULT_CALENDAR

YEAR = {"from_date": "2025-12-01", "to_date": "2026-11-30"}


def setup_agreements() -> None:
	"""The agreements kpi_bench's clock rows name: an SLA per service and an OLA per team, on the Mon-Fri
	09:00-17:00 calendar the app makes on install."""
	for kind, owners in (("SLA", kpi_bench.SERVICES), ("OLA", kpi_bench.TEAMS)):
		for i, owner in enumerate(owners):
			ensure_agreement(
				f"{owner} {kind}",
				owner if kind == "SLA" else kpi_bench.SERVICES[i % len(kpi_bench.SERVICES)],
				DEFAULT_CALENDAR,
				kpi_bench.PRIORITIES,
				agreement_type=kind,
				team=owner if kind == "OLA" else None,
			)
	frappe.db.commit()


def bench_data(rows: int, events: int) -> dict:
	kpi_bench.setup_parties()
	setup_agreements()
	begin = time.perf_counter()
	made = kpi_bench.generate(rows, events_cap=events)
	made["generate_s"] = time.perf_counter() - begin
	frappe.db.sql("analyze table `tabSMO Ticket SLA`, `tabSMO Ticket Event`, `tabHD Ticket`")
	return made


def bench_disk() -> dict:
	t = frappe.qb.Table("tables", schema="information_schema")
	out = {}
	clocks = frappe.db.count("SMO Ticket SLA")
	out["clock_rows"] = clocks
	out["event_rows"] = frappe.db.count("SMO Ticket Event")
	for doctype in ("SMO Ticket SLA", "SMO Ticket Event"):
		data, index = (
			frappe.qb.from_(t)
			.select(t.data_length, t.index_length)
			.where((t.table_schema == frappe.conf.db_name) & (t.table_name == f"tab{doctype}"))
			.run()[0]
		)
		key = doctype.lower().replace(" ", "_")
		out[f"{key}_data_mb"] = data / 2**20
		out[f"{key}_index_mb"] = index / 2**20
		out[f"{key}_mb_per_million_clocks"] = (data + index) / 2**20 / (clocks / 1e6)
	return out


def timed(fn, repeat: int = 2) -> tuple[float, object]:
	best, result = None, None
	for _ in range(repeat):
		frappe.local.cache = {}
		begin = time.perf_counter()
		result = fn()
		took = time.perf_counter() - begin
		best = took if best is None else min(best, took)
	return best, result


def report_cases() -> dict[str, tuple]:
	"""report -> (default filters, heaviest filters, the table it reads for the yardstick)."""
	agreement = f"{kpi_bench.SERVICES[0]} SLA"
	month = {"from_date": "2026-11-01", "to_date": "2026-11-30"}
	return {
		"SLA Compliance": (
			{**month, "agreement_type": "SLA"},
			{**YEAR, "group_by": "Customer"},
			"SMO Ticket SLA",
		),
		"SLA Breaches": ({**month, "agreement_type": "SLA"}, dict(YEAR), "SMO Ticket SLA"),
		"SLA Time by Team": (
			{**month, "service": kpi_bench.SERVICES[0]},
			{**YEAR, "service": kpi_bench.SERVICES[0]},
			"SMO Ticket Event",
		),
		"SLA What-If": (
			{"agreement": agreement, "from_date": "2026-11-01", "to_date": "2026-11-30"},
			{"agreement": agreement, "from_date": "2026-09-01", "to_date": "2026-11-30"},
			"SMO Ticket SLA",
		),
		"Error Budget": ({}, {"period": "Quarter"}, "SMO Ticket SLA"),
		"Service Review": (
			{"service": kpi_bench.SERVICES[0]},
			{"service": kpi_bench.SERVICES[0], **YEAR},
			"SMO Ticket SLA",
		),
		"KPI Scorecard": ({}, {}, "SMO KPI Measurement"),
		"Improvement Register": ({}, {}, "SMO Improvement"),
		"Policy Review Status": ({}, {}, "SMO Policy"),
	}


def bench_reports(repeat: int = 2) -> dict:
	from frappe.desk.query_report import generate_report_result

	from smo_extension import scale

	out = {"clock_rows": scale.clock_count()}
	prepared = scale.decide_prepared_reports()
	frappe.db.commit()
	for report, (default, heaviest, table) in report_cases().items():
		doc = frappe.get_doc("Report", report)
		t = frappe.qb.DocType(table)
		column = (
			t.service
			if table in ("SMO Ticket SLA", "SMO KPI Measurement")
			else (t.ticket_doctype if table == "SMO Ticket Event" else t.name)
		)
		bare, _r = timed(
			lambda t=t, column=column: frappe.qb.from_(t).select(column, Count("*")).groupby(column).run(),
			repeat,
		)
		key = report.lower().replace(" ", "_").replace("-", "_")
		out[f"{key}_bare_group_by_s"] = bare
		out[f"{key}_mode"] = "prepared" if prepared.get(report) else "in request"
		for label, filters in (("default", default), ("heaviest", heaviest)):
			try:
				took, result = timed(
					lambda doc=doc, filters=filters: generate_report_result(doc, filters=filters), repeat
				)
				out[f"{key}_{label}_s"] = took
				out[f"{key}_{label}_rows"] = len(result.get("result") or [])
			except Exception as e:
				out[f"{key}_{label}_error"] = repr(e)[:200]
				frappe.db.rollback()
	return out


def workers(count: int, queues: str = "long") -> float:
	"""`count` burst workers until the queues are empty; the wall time."""
	from smo_extension.tests.workers import burst_workers

	begin = time.perf_counter()
	burst_workers(count, queues, timeout=6 * 3600)
	return time.perf_counter() - begin


def bench_scan(due: int) -> dict:
	from frappe.utils.background_jobs import get_queue

	from smo_extension.sla import jobs

	s = frappe.qb.DocType("SMO Ticket SLA")
	out = {"running_clocks": frappe.db.count("SMO Ticket SLA", {"is_running": 1})}
	get_queue("long").empty()
	get_queue("short").empty()
	for count in (1, 2):
		running = (
			frappe.qb.from_(s)
			.select(s.name)
			.where((s.is_running == 1) & (s.ticket >= str(kpi_bench.TICKET_BASE)))
			.limit(due)
			.run(pluck=True)
		)
		frappe.qb.update(s).set(s.next_check_at, "2026-12-01 00:00:00").where(s.name.isin(running)).run()
		frappe.db.commit()
		begin = time.perf_counter()
		tickets = jobs.scan_due_clocks(limit=due)
		frappe.db.commit()  # the chunks reach the queue
		out[f"scan_select_and_lease_{count}w_s"] = time.perf_counter() - begin
		out[f"scan_tickets_{count}w"] = tickets
		out[f"scan_chunks_{count}w"] = get_queue("long").count
		out[f"scan_chunks_with_{count}_workers_s"] = workers(count, "long,short")
	return out


def bench_kpi() -> dict:
	from smo_extension.engine import kpi as engine
	from smo_extension.kpi import jobs
	from smo_extension.kpi import measure

	names = kpi_bench.make_definitions()
	out = {f"in_process_{k}": v for k, v in kpi_bench.bench_close(names).items()}
	october = engine.period_containing("Monthly", kpi_bench.OCTOBER)
	loaded = measure.load_definitions(names)
	for count in (1, 2):
		frappe.db.delete("SMO KPI Measurement", {"kpi": ("in", names), "period_start": kpi_bench.OCTOBER})
		frappe.db.commit()
		queued = jobs.enqueue_batches(loaded, {d.name: [october] for d in loaded})
		frappe.db.commit()
		out[f"queued_{count}w"] = queued
		out[f"close_with_{count}_workers_s"] = workers(count)
		out[f"measured_{count}w"] = frappe.db.count(
			"SMO KPI Measurement", {"kpi": ("in", names), "period_start": kpi_bench.OCTOBER}
		)
	return out


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--rows", type=int, default=10_000_000)
	parser.add_argument("--events", type=int, default=2_000_000)
	parser.add_argument("--due", type=int, default=10_000)
	parser.add_argument("--repeat", type=int, default=2, help="runs of each report; the best counts")
	parser.add_argument("--only", default="data,disk,reports,scan,kpi")
	args = parser.parse_args()
	connect(args.site)
	frappe.db.set_single_value("SMO Settings", "enabled", 1)
	frappe.db.commit()
	benches = {
		"data": lambda: bench_data(args.rows, args.events),
		"disk": bench_disk,
		"reports": lambda: bench_reports(args.repeat),
		"scan": lambda: bench_scan(args.due),
		"kpi": bench_kpi,
	}
	run_benches(benches, args.only, f" {date.today()}")
	return 0


if __name__ == "__main__":
	sys.exit(main())
