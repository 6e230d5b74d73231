"""Site-tier benchmarks of the insight features: the what-if replay over 10k tickets, the SLA Time by Team
report and the Error Budget report, on a throw-away site of a bench (never a test site: it writes and commits
benchmark data).

    cd <bench>/sites && ../env/bin/python <repo>/benchmarks/bench_insight.py --site <throw-away site> [--tickets 10000]

Data: one service with an Active SLA on a Rome office calendar (Mon-Fri 09:00-13:00 and 14:00-18:00, 15 holidays
a year), `--tickets` tickets opened over the last 90 days, bulk-inserted with their event logs (responses, waits
on the customer, a quarter handed to another team with assignments, three quarters resolved), then every clock
computed and written by the app's own recompute. The what-if replays them with a Draft copy on a 24x7 calendar
(many flips) and with an unchanged copy (checked equal to the live figures), over the whole 90 days.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import datetime
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import frappe

from benchmarks.bench_engine import make_rome_calendar
from benchmarks.bench_engine import rome_holidays
from benchmarks.harness import connect
from benchmarks.harness import ensure_agreement
from benchmarks.harness import event_row
from benchmarks.harness import insert_tickets_and_events
from benchmarks.harness import print_results

SERVICE = "BENCHWI"
AGREEMENT = "BENCHWI SLA"
CALENDAR = "Bench WI Rome"
ALWAYS = "Bench WI 24x7"
TEAMS = ("Bench WI Desk", "Bench WI Network")
AGENTS = ("bench.agent.1@example.com", "bench.agent.2@example.com")
PRIORITIES = {"Urgent": (30, 240), "High": (60, 480), "Medium": (240, 1440), "Low": (480, 2880)}
TICKET_BASE = 80_000_000  # apart from site_bench (50M, statements 60M) and kpi_bench (70M)
DAYS = 90


def setup_catalog() -> None:
	years = range(2024, 2031)
	weekdays = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
	calendars = {
		CALENDAR: (
			"Europe/Rome",
			[(d, s, e) for d in weekdays for s, e in (("09:00", "13:00"), ("14:00", "18:00"))],
			[d for y in years for d in rome_holidays(y)],
		),
		ALWAYS: ("UTC", [(d, "00:00", "00:00") for d in (*weekdays, "Saturday", "Sunday")], []),
	}
	for name, (zone, windows, holidays) in calendars.items():
		if not frappe.db.exists("SMO Business Calendar", name):
			frappe.get_doc(
				{
					"doctype": "SMO Business Calendar",
					"calendar_name": name,
					"timezone": zone,
					"windows": [{"weekday": d, "start_time": s, "end_time": e} for d, s, e in windows],
					"holidays": [{"holiday_date": h} for h in holidays],
				}
			).insert()
	for team in TEAMS:
		if not frappe.db.exists("HD Team", team):
			frappe.get_doc({"doctype": "HD Team", "team_name": team}).insert()
	if not frappe.db.exists("SMO Service", SERVICE):
		frappe.get_doc(
			{
				"doctype": "SMO Service",
				"service_code": SERVICE,
				"service_name": "What-If Benchmark",
				"lifecycle_stage": "Catalog",
				"status": "Live",
				"service_owner": "Administrator",
				"support_team": TEAMS[0],
			}
		).insert()
	ensure_agreement(AGREEMENT, SERVICE, CALENDAR, PRIORITIES)
	frappe.db.commit()


def draft(name: str, **values) -> str:
	if not frappe.db.exists("SMO Service Level Agreement", name):
		doc = frappe.copy_doc(frappe.get_doc("SMO Service Level Agreement", AGREEMENT))
		doc.agreement_name, doc.status = name, "Draft"
		doc.update(values)
		doc.insert()
		frappe.db.commit()
	return name


def bulk_tickets(n: int, seed: int = 23) -> list[str]:
	"""n tickets with real-looking event logs; `modified` is the last change, as a save would leave it."""
	from smo_extension.sla.ticket import EVENT_COLUMNS
	from smo_extension.sla.ticket import naive

	names = [str(TICKET_BASE + i) for i in range(n)]
	if frappe.db.count("HD Ticket", {"name": (">=", TICKET_BASE), "smo_service": SERVICE}) >= n:
		return names
	rng = random.Random(seed)
	calendar = make_rome_calendar(range(2024, 2031))
	zone = calendar_zone()
	now = datetime.now(zone)
	stamp = naive(now)
	tickets, events = [], []
	for i in range(n):
		name = TICKET_BASE + i
		priority = rng.choices(list(PRIORITIES), weights=(1, 3, 5, 3))[0]
		response, resolution = (m * 60 for m in PRIORITIES[priority])
		opened = now - timedelta(days=rng.uniform(0.05, DAYS))
		team = TEAMS[0]
		ev = [
			(opened, "status_category", "Open"),
			(opened, "priority", priority),
			(opened, "service", SERVICE),
		]
		ev += [(opened, "team", team), (opened, "agent", AGENTS[0])]
		first = calendar.add_business_seconds(opened, response * rng.uniform(0.1, 1.2))
		status = category = "Open"
		last = opened
		if first < now:
			ev.append((first, "first_response", str(naive(first))))
			cursor = first
			if rng.random() < 0.3:
				ev.append((cursor, "status_category", "Paused"))
				cursor += timedelta(hours=rng.uniform(1, 30))
				ev.append((cursor, "status_category", "Open"))
			if rng.random() < 0.25:
				cursor = calendar.add_business_seconds(cursor, resolution * rng.uniform(0.1, 0.4))
				team = TEAMS[1]
				ev += [(cursor, "team", team), (cursor, "agent", None)]
				cursor += timedelta(hours=rng.uniform(0.1, 4))
				ev.append((cursor, "agent", AGENTS[1]))
			if rng.random() < 0.75:
				end = calendar.add_business_seconds(cursor, resolution * rng.uniform(0.1, 1.1))
				if end < now:
					ev.append((end, "status_category", "Resolved"))
					status = category = "Resolved"
		ev = [e for e in ev if e[0] <= now]
		last = max(when for when, _f, _v in ev)
		tickets.append(
			(
				name,
				f"what-if bulk ticket {i}",
				"bulk@example.com",
				status,
				category,
				priority,
				SERVICE,
				team,
				naive(opened),
				naive(last),
				naive(opened).date(),
				"Administrator",
				"Administrator",
				naive(first) if first < now else None,
			)
		)
		for when, field, value in ev:
			events.append(event_row(name, naive(when), field, value, stamp))
	insert_tickets_and_events(tickets, EVENT_COLUMNS, events)
	from smo_extension.sla.jobs import CHUNK
	from smo_extension.sla.jobs import recompute_tickets

	for start in range(0, n, CHUNK):
		recompute_tickets(names[start : start + CHUNK], include_stopped=True)
		frappe.db.commit()
	return names


def calendar_zone():
	from zoneinfo import ZoneInfo

	return ZoneInfo("Europe/Rome")


def timed(fn, repeat: int) -> tuple[float, float, object]:
	times, result = [], None
	for _ in range(repeat):
		begin = time.perf_counter()
		result = fn()
		times.append(time.perf_counter() - begin)
		frappe.db.rollback()
	return min(times), statistics.median(times), result


def bench(tickets: int, repeat: int) -> dict:
	from smo_extension.sla.whatif import what_if
	from smo_extension.smo.report.error_budget import error_budget
	from smo_extension.smo.report.sla_time_by_team import sla_time_by_team

	setup_catalog()
	begin = time.perf_counter()
	bulk_tickets(tickets)
	generate = time.perf_counter() - begin
	other = draft("BENCHWI SLA 24x7", calendar=ALWAYS)
	copy = draft("BENCHWI SLA copy")
	today = frappe.utils.getdate()
	period = (str(today - timedelta(days=DAYS + 1)), str(today))
	out = {"tickets": tickets, "generate_s": generate}

	best, middle, result = timed(lambda: what_if(other, *period), repeat)
	out.update(
		{
			"what_if_24x7_best_s": best,
			"what_if_24x7_median_s": middle,
			"replayed": result["tickets"],
			"flipped": result["flipped_total"],
			"live_compliance": result["overall"]["live"]["compliance"],
			"what_if_compliance": result["overall"]["what_if"]["compliance"],
		}
	)
	best, middle, result = timed(lambda: what_if(copy, *period), repeat)
	out.update(
		{
			"what_if_copy_best_s": best,
			"what_if_copy_median_s": middle,
			"copy_equals_live": result["overall"]["live"] == result["overall"]["what_if"]
			and not result["flipped"],
		}
	)
	month = {"from_date": str(today - timedelta(days=30)), "to_date": str(today), "service": SERVICE}
	best, _m, result = timed(lambda: sla_time_by_team.execute(month), repeat)
	out.update({"time_by_team_30d_s": best, "time_by_team_rows": len(result[1])})
	best, _m, result = timed(lambda: error_budget.execute({"service": SERVICE}), repeat)
	out.update({"error_budget_s": best})
	return out


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--tickets", type=int, default=10_000)
	parser.add_argument("--repeat", type=int, default=3)
	args = parser.parse_args()
	connect(args.site)
	try:
		frappe.db.set_single_value("SMO Settings", "enabled", 1)
		frappe.db.commit()
		print_results(bench(args.tickets, args.repeat))
	finally:
		frappe.destroy()
	return 0


if __name__ == "__main__":
	sys.exit(main())
