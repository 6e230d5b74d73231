"""KPI benchmark: closing one month for 200 KPI definitions over 1M SMO Ticket SLA rows.

    cd <bench>/sites && ../env/bin/python <repo>/benchmarks/kpi_bench.py --site <throw-away site> [--rows 1000000]

Generates (once; a second run reuses them) 600k HD Tickets over two years (2025-01 to 2026-11) with their
status_category event logs (about 2.4 events a ticket) and clock rows: each ticket's SLA row plus an OLA row
for two thirds of them (1M rows), spread over 15 live services, 10 teams, 50 customers and 4 priorities;
then 200 definitions (every metric: per service, SMO-wide, per customer, per OLA team, per priority, per
service and customer) and times the close of October 2026 (`smo_extension.kpi.jobs.run`: the aggregate
queries, the engine, the 200 measurements written and the improvements of the red ones), twice: the first
close and a recompute. Target: at most 30 s.

It writes benchmark data into the site and commits it; use a site made for it (never the test site).
"""

import argparse
import random
import sys
import time
from datetime import date
from datetime import datetime
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import frappe

from benchmarks.harness import QueryCounter
from benchmarks.harness import connect
from benchmarks.harness import print_results

SERVICES = [f"KSVC{i:02d}" for i in range(15)]
TEAMS = [f"KTeam {i}" for i in range(10)]
CUSTOMERS = [f"KCust {i:02d}" for i in range(50)]
PRIORITIES = {"Urgent": (30, 240), "High": (60, 480), "Medium": (240, 1440), "Low": (480, 2880)}
TICKET_BASE = 70_000_000
START = datetime(2025, 1, 1)
SPAN_MINUTES = int((datetime(2026, 11, 30) - START).total_seconds() // 60)
OCTOBER = date(2026, 10, 1)
CHUNK = 20_000


def setup_parties() -> None:
	for team in TEAMS:
		if not frappe.db.exists("HD Team", team):
			frappe.get_doc({"doctype": "HD Team", "team_name": team}).insert()
	for customer in CUSTOMERS:
		if not frappe.db.exists("HD Customer", customer):
			frappe.get_doc({"doctype": "HD Customer", "customer_name": customer}).insert()
	for i, code in enumerate(SERVICES):
		if not frappe.db.exists("SMO Service", code):
			frappe.get_doc(
				{
					"doctype": "SMO Service",
					"service_code": code,
					"service_name": f"KPI bench service {code}",
					"lifecycle_stage": "Catalog",
					"status": "Live",
					"service_owner": "Administrator",
					"last_reviewed_on": "2026-06-01" if i % 3 else "2024-01-01",
				}
			).insert()
	frappe.db.commit()


def wall(opened: datetime, business_minutes: float) -> datetime:
	"""A believable wall-clock instant for an amount of business time (working days are a third of a day)."""
	return opened + timedelta(minutes=business_minutes * 3)


def generate(rows_wanted: int, seed: int = 3, events_cap: int | None = None) -> dict:
	"""The benchmark's tickets, event logs and clock rows (`events_cap`: at most that many events)."""
	have = frappe.db.count("SMO Ticket SLA", {"ticket": (">=", str(TICKET_BASE))})
	if have >= rows_wanted:
		return {"clock_rows": have, "generated": False}
	frappe.db.sql("delete from `tabSMO Ticket SLA` where ticket >= %s", str(TICKET_BASE))
	frappe.db.sql("delete from `tabSMO Ticket Event` where ticket >= %s", str(TICKET_BASE))
	frappe.db.sql("delete from `tabHD Ticket` where name >= %s", TICKET_BASE)
	rng = random.Random(seed)
	tickets_n = int(rows_wanted * 0.6)
	ticket_rows, event_rows, clock_rows = [], [], []
	counts = {"tickets": 0, "events": 0, "clock_rows": 0}
	now = datetime(2026, 12, 1)

	from smo_extension.query import insert_rows

	def flush(force: bool = False) -> None:
		# the app's own multi-row INSERT with the values as driver parameters (frappe.db.bulk_insert quotes
		# every value through pypika: several times slower at millions of rows)
		for doctype, columns, rows, key in (
			("HD Ticket", TICKET_COLUMNS, ticket_rows, "tickets"),
			("SMO Ticket Event", EVENT_COLUMNS, event_rows, "events"),
			("SMO Ticket SLA", CLOCK_COLUMNS, clock_rows, "clock_rows"),
		):
			if rows and (force or len(rows) >= CHUNK):
				table = frappe.qb.DocType(doctype)
				for start in range(0, len(rows), 2000):
					insert_rows(table, columns, rows[start : start + 2000])
				counts[key] += len(rows)
				rows.clear()

	for i in range(tickets_n):
		name = TICKET_BASE + i
		opened = START + timedelta(minutes=rng.randrange(SPAN_MINUTES))
		service, team = rng.choice(SERVICES), rng.choice(TEAMS)
		customer = rng.choice(CUSTOMERS)
		priority = rng.choices(list(PRIORITIES), weights=(1, 3, 5, 3))[0]
		response_target, resolution_target = PRIORITIES[priority]
		responded = rng.uniform(0.1, 1.3) * response_target
		resolved = rng.random() > 0.08 and wall(opened, resolution_target) < now
		worked = rng.uniform(0.2, 1.4) * resolution_target
		events = [(opened, "Open")]
		if rng.random() < 0.3:
			events += [
				(wall(opened, responded), "Paused"),
				(wall(opened, responded) + timedelta(hours=5), "Open"),
			]
		if resolved:
			events.append((wall(opened, worked), "Resolved"))
			if rng.random() < 0.06:
				back = wall(opened, worked) + timedelta(hours=rng.uniform(2, 48))
				events += [(back, "Open"), (back + timedelta(hours=3), "Resolved")]
		ticket_rows.append(
			(
				name,
				f"KPI bench ticket {i}",
				"Resolved" if resolved else "Open",
				"Resolved" if resolved else "Open",
				priority,
				team,
				customer,
				service,
				rng.choice((0, 0.4, 0.6, 0.8, 1.0, 1.0)) if resolved else 0,
				opened,
				opened.date(),
				opened,
				"Administrator",
			)
		)
		capped = events_cap is not None and counts["events"] + len(event_rows) >= events_cap
		for k, (when, value) in enumerate([] if capped else events):
			event_rows.append(
				(f"ke{i:08d}{k}", str(name), when, "status_category", value, "Backfill", when, when)
			)
		stopped = events[-1][0] if resolved else None
		for kind, agreement, row_team in (("SLA", f"{service} SLA", team), ("OLA", f"{team} OLA", team)):
			if kind == "OLA" and i % 3 == 0:
				continue
			response_state = "Met" if responded <= response_target else "Breached"
			if resolved:
				resolution_state = "Met" if worked <= resolution_target else "Breached"
			else:
				resolution_state = "Breached" if rng.random() < 0.4 else "Running"
			clock_rows.append(
				(
					f"k{i:08d}{kind}",
					str(name),
					agreement,
					kind,
					1,
					service,
					customer,
					row_team,
					priority,
					opened,
					response_state,
					response_target,
					round(responded, 2),
					wall(opened, responded),
					wall(opened, response_target) if response_state == "Breached" else None,
					resolution_state,
					resolution_target,
					round(worked if resolved else resolution_target * 1.1, 2),
					stopped,
					wall(opened, resolution_target) if resolution_state == "Breached" else None,
					0 if resolved else 1,
					opened,
					opened,
					"Administrator",
					"Administrator",
				)
			)
		flush()
	flush(force=True)
	frappe.db.commit()
	return {**counts, "generated": True}


TICKET_COLUMNS = tuple(
	"name subject status status_category priority agent_group customer smo_service feedback_rating creation opening_date modified owner".split()
)
EVENT_COLUMNS = ("name", "ticket", "event_time", "field", "value", "source", "creation", "modified")
CLOCK_COLUMNS = tuple(
	"name ticket agreement agreement_type agreement_version service customer team priority opened_at response_state response_target_minutes response_elapsed_minutes response_stopped_at response_breached_at resolution_state resolution_target_minutes resolution_elapsed_minutes resolution_stopped_at resolution_breached_at is_running creation modified owner modified_by".split()
)


def definitions() -> list[dict]:
	"""200 definitions: every ticket and clock metric per service and SMO-wide, and narrower ones."""
	ticket_and_clock = (
		("resolution_compliance", 95, 90, 85),
		("response_compliance", 95, 90, 85),
		("mttr_business", 600, 720, 900),
		("mtta_business", 120, 180, 240),
		("mttr_p90_business", 1200, 1500, 1800),
		("reopen_rate", 5, 8, 12),
		("backlog", 500, 800, 1200),
		("backlog_aged_30", 10, 20, 30),
		("csat", 70, 60, 50),
		("volume", 3000, 4000, 5000),
	)
	specs = [(m, t, a, r, {"service": s}) for s in SERVICES for m, t, a, r in ticket_and_clock]  # 150
	specs += [(m, t, a, r, {}) for m, t, a, r in ticket_and_clock]  # 10
	specs += [("resolution_compliance", 95, 90, 85, {"customer": c}) for c in CUSTOMERS[:5]]
	specs += [("csat", 70, 60, 50, {"customer": c}) for c in CUSTOMERS[:5]]
	specs += [("resolution_compliance", 95, 90, 85, {"agreement_type": "OLA", "team": t}) for t in TEAMS]
	specs += [("mttr_business", 600, 720, 900, {"priority": p}) for p in PRIORITIES]
	specs += [("resolution_compliance", 95, 90, 85, {"priority": p}) for p in PRIORITIES]
	specs += [("volume", 3000, 4000, 5000, {"priority": p}) for p in ("High", "Low")]
	specs += [
		("policy_review_compliance", 90, 80, 70, {}),
		("catalog_completeness", 100, 90, 75, {}),
		("improvement_throughput", 3, 2, 0, {}),
	]
	specs += [
		("resolution_compliance", 95, 90, 85, {"service": SERVICES[0], "customer": c}) for c in CUSTOMERS[:7]
	]
	return [
		{
			"kpi_name": f"KPI bench {i:03d} {metric}",
			"metric": metric,
			"target": t,
			"amber": a,
			"red": r,
			**scope,
		}
		for i, (metric, t, a, r, scope) in enumerate(specs)
	]


def make_definitions() -> list[str]:
	from smo_extension.engine.kpi import METRICS

	names = []
	for spec in definitions():
		existing = frappe.db.get_value("SMO KPI Definition", {"kpi_name": spec["kpi_name"]}, "name")
		if existing:
			names.append(existing)
			continue
		doc = frappe.get_doc(
			{
				"doctype": "SMO KPI Definition",
				"kpi_name": spec["kpi_name"],
				"metric": spec["metric"],
				"direction": METRICS[spec["metric"]].direction,
				"target": spec["target"],
				"amber_threshold": spec["amber"],
				"red_threshold": spec["red"],
				"frequency": "Monthly",
				"kpi_owner": "Administrator",
				**{f: spec.get(f) for f in ("service", "customer", "team", "priority", "agreement_type")},
			}
		).insert()
		names.append(doc.name)
	frappe.db.commit()
	return names


def bench_close(names: list[str]) -> dict:
	from smo_extension.engine import kpi as engine
	from smo_extension.kpi import jobs
	from smo_extension.kpi import measure

	october = engine.period_containing("Monthly", OCTOBER)
	frappe.db.delete(
		"SMO Improvement",
		{"raised_from_doctype": "SMO KPI Measurement", "raised_from": ("like", "%-2026-10-01")},
	)
	frappe.db.delete("SMO KPI Measurement", {"kpi": ("in", names), "period_start": OCTOBER})
	frappe.db.commit()
	loaded = measure.load_definitions(names)
	result = {"definitions": len(loaded), "smo_ticket_sla_rows": frappe.db.count("SMO Ticket SLA")}
	# the aggregates and the engine alone
	begin = time.perf_counter()
	with QueryCounter() as counter:
		values = measure.compute(loaded, measure.period_window(october))
	result["compute_s"] = time.perf_counter() - begin
	result["compute_queries"] = counter.count
	result["no_data"] = sum(1 for v in values.values() if v.value is None)
	for label in ("close_first_s", "close_again_s"):
		wanted = {d.name: [october] for d in loaded}
		if label == "close_first_s":
			wanted = jobs.unmeasured(wanted)
		begin = time.perf_counter()
		written = jobs.run(loaded, wanted)
		frappe.db.commit()
		result[label] = time.perf_counter() - begin
		result[label.replace("_s", "_written")] = written
	rags = frappe.get_all(
		"SMO KPI Measurement",
		filters={"kpi": ("in", names), "period_start": OCTOBER},
		fields=["rag", "count(*) as n"],
		group_by="rag",
	)
	result["rag"] = {r.rag: r.n for r in rags}
	result["improvements_raised"] = frappe.db.count(
		"SMO Improvement",
		{"raised_from_doctype": "SMO KPI Measurement", "raised_from": ("like", "%-2026-10-01")},
	)
	begin = time.perf_counter()
	result["idempotent_close_written"] = jobs.run(
		loaded, jobs.unmeasured({d.name: [october] for d in loaded})
	)
	result["idempotent_close_s"] = time.perf_counter() - begin
	return result


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--rows", type=int, default=1_000_000)
	args = parser.parse_args()
	connect(args.site)
	try:
		setup_parties()
		begin = time.perf_counter()
		made = generate(args.rows)
		print(f"== data ({time.perf_counter() - begin:.1f} s): {made}")
		names = make_definitions()
		print_results(bench_close(names))
	finally:
		frappe.destroy()
	return 0


if __name__ == "__main__":
	sys.exit(main())
