"""A site that outgrows one machine, on Frappe's own mechanisms (no job system or cache of our own):

- **Read replica.** `scaleout.heavy_read` runs a function on the replica when the site config names one, on the
  primary otherwise. The reports, the what-if, the KPI close's reads, the statements' snapshot and the error
  budget read through it.
- **Prepared Reports.** Each SMO report is decided here: the reports over the clock and event tables become
  Frappe Prepared Reports (queued on the long queue; the page shows the last result and its time) once the site
  holds `prepared_reports_from` clocks (SMO Settings; 0 leaves the choice to the admin, on the Report form); the
  reports over the small registers always answer in the request. Decided on every migrate, daily, and when SMO
  Settings change.
- **Jobs that spread.** The scan, the recomputes, the KPI close and the monthly statements enqueue chunks on the
  long queue that any number of RQ workers (on any host) take in parallel; each chunk is idempotent and safe
  when two workers race on the same records, by row locks and unique keys (never by timing).
"""

from __future__ import annotations

import math

import frappe
from frappe.utils import cint

TICKET_SLA = "SMO Ticket SLA"
EXACT_BELOW = 1_000_000
# Reports over SMO Ticket SLA / SMO Ticket Event, each with the share of `prepared_reports_from` clocks from which
# it runs prepared. The reports that aggregate in SQL at the setting itself (at 1M clocks their defaults answer in
# 0.5-1.1 s, benchmarks/scale_bench.py), Error Budget at half of it (2.7 s at 1M); the two that replay each
# ticket's log through the engine much sooner, as measured at 100k tickets (benchmarks/bench_insight.py): the
# what-if takes 0.56 ms per ticket of its three months (2 s at about 3,600 tickets), Time by Team 0.19 ms per
# ticket of its month (2 s at about 10,000).
CLOCK_REPORTS = {
	"SLA Compliance": 1.0,
	"SLA Breaches": 1.0,
	"SLA Time by Team": 1 / 100,
	"SLA What-If": 1 / 250,
	"Error Budget": 1 / 2,
	"Service Review": 1.0,
}
# Reports over the registers (KPIs and their measurements, policies, improvements): always in the request.
REGISTER_REPORTS = ("KPI Scorecard", "Improvement Register", "Policy Review Status")


def clock_count() -> int:
	"""The number of clock rows: the database's estimate (no scan of the table) on a large table; counted
	below EXACT_BELOW rows, where the estimate may be far off (an InnoDB table not analysed since it grew)."""
	tables = frappe.qb.Table("tables", schema="information_schema")
	row = (
		frappe.qb.from_(tables)
		.select(tables.table_rows)
		.where((tables.table_schema == frappe.conf.db_name) & (tables.table_name == f"tab{TICKET_SLA}"))
		.run()
	)
	estimate = cint(row[0][0]) if row else 0
	return estimate if estimate >= EXACT_BELOW else frappe.db.count(TICKET_SLA)


def report_threshold(threshold: int, share: float) -> int:
	"""The clock count from which a report with `share` runs prepared (never below one clock)."""
	return max(1, math.ceil(threshold * share))


def decide_prepared_reports(count: int | None = None, threshold: int | None = None) -> dict[str, bool]:
	"""Set each clock report prepared or not by the size of the clock table (its share of the threshold,
	`CLOCK_REPORTS`); {report: prepared} of the reports decided, {} while SMO Settings leave it to the admin.
	`threshold` defaults to SMO Settings'."""
	from smo_extension.settings import get_settings

	if threshold is None:
		threshold = get_settings().get("prepared_reports_from")
	threshold = cint(threshold)
	if threshold <= 0:
		return {}
	count = clock_count() if count is None else count
	decided = {}
	for report, share in CLOCK_REPORTS.items():
		current = frappe.db.get_value("Report", report, "prepared_report")
		if current is None:
			continue  # not synced yet (the first migrate decides it)
		prepared = int(count >= report_threshold(threshold, share))
		if cint(current) != prepared:
			frappe.db.set_value("Report", report, "prepared_report", prepared, update_modified=False)
		decided[report] = bool(prepared)
	return decided
