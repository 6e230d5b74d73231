"""Site-tier benchmarks of smo_extension, run against a throw-away site of a bench (never the test site).

    cd <bench>/sites && ../env/bin/python <repo>/benchmarks/site_bench.py --site bench.localhost [--only save,...]

- helpdesk: the same due-date inputs as benchmarks/bench_engine.py through our engine and through Helpdesk's own
  `HD Service Level Agreement.calc_time`, in one run, with the ratio.
- save: an HD Ticket save that changes a tracked field, SMO off vs SMO on vs SMO on with the clock writes
  deferred (SMO Settings), interleaved in one run; time and queries per save, and the deferred job's time per
  ticket.
- recompute: 100k tickets bulk-inserted with their event logs, then every clock computed and written.
- scan: the 5-minute scan over the running clocks of `recompute` (50k running).
- report: the SLA Compliance report over 1M SMO Ticket SLA rows against a bare GROUP BY on the same table.
- hypercare: the same priority save with the ticket inside a hypercare window and in normal operation,
  interleaved; time and queries per save (the windows come from the cached config: no extra query).
- statement: a customer's monthly SLA statement over a month of 2,000 tickets (snapshot, then the PDF).

It writes benchmark data into the site and commits it; use a site made for it.
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

from benchmarks.bench_engine import make_cases
from benchmarks.bench_engine import make_rome_calendar
from benchmarks.bench_engine import rome_holidays
from benchmarks.harness import connect
from benchmarks.harness import ensure_agreement
from benchmarks.harness import event_row
from benchmarks.harness import insert_tickets_and_events
from benchmarks.harness import run_benches
from benchmarks.harness import timed_save

SERVICE = "BENCH"
AGREEMENT = "BENCH SLA"
CALENDAR = "Bench Rome"
PRIORITIES = {"Urgent": (30, 240), "High": (60, 480), "Medium": (240, 1440), "Low": (480, 2880)}
TICKET_BASE = 50_000_000  # bulk-inserted ticket names start here, far above the site's sequence


def set_enabled(enabled: bool) -> None:
	from smo_extension.smo.doctype.smo_settings.smo_settings import is_enabled

	frappe.db.set_single_value("SMO Settings", "enabled", int(enabled))
	frappe.clear_document_cache("SMO Settings", "SMO Settings")
	assert is_enabled() == enabled


def setup_catalog() -> None:
	years = range(2024, 2031)
	if not frappe.db.exists("SMO Business Calendar", CALENDAR):
		frappe.get_doc(
			{
				"doctype": "SMO Business Calendar",
				"calendar_name": CALENDAR,
				"timezone": "Europe/Rome",
				"windows": [
					{"weekday": day, "start_time": s, "end_time": e}
					for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
					for s, e in (("09:00", "13:00"), ("14:00", "18:00"))
				],
				"holidays": [{"holiday_date": d} for y in years for d in rome_holidays(y)],
			}
		).insert()
	if not frappe.db.exists("HD Team", "Bench Team"):
		frappe.get_doc({"doctype": "HD Team", "team_name": "Bench Team"}).insert()
	if not frappe.db.exists("SMO Service", SERVICE):
		frappe.get_doc(
			{
				"doctype": "SMO Service",
				"service_code": SERVICE,
				"service_name": "Benchmark Service",
				"lifecycle_stage": "Catalog",
				"status": "Live",
				"service_owner": "Administrator",
			}
		).insert()
	ensure_agreement(AGREEMENT, SERVICE, CALENDAR, PRIORITIES)
	frappe.db.commit()


# ------------------------------------------------------------------------------------------------ helpdesk
def bench_helpdesk(n_ours: int = 100_000, n_helpdesk: int = 2_000) -> dict:
	"""Our engine and Helpdesk's calc_time on the same (start, target) inputs. Helpdesk knows one working window
	a day, so its SLA gets Mon-Fri 09:00-18:00 and the same 15 holidays a year."""
	years = range(2025, 2031)
	if not frappe.db.exists("HD Service Holiday List", "Bench Rome Holidays"):
		frappe.get_doc(
			{
				"doctype": "HD Service Holiday List",
				"holiday_list_name": "Bench Rome Holidays",
				"from_date": "2025-01-01",
				"to_date": "2030-12-31",
				"holidays": [
					{"holiday_date": d, "description": "holiday"} for y in years for d in rome_holidays(y)
				],
			}
		).insert()
	sla = frappe.copy_doc(frappe.get_doc("HD Service Level Agreement", "Default"))
	sla.service_level = "Bench Rome SLA"
	sla.default_sla = 0
	sla.holiday_list = "Bench Rome Holidays"
	sla.support_and_resolution = []
	for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
		sla.append(
			"support_and_resolution", {"workday": day, "start_time": "09:00:00", "end_time": "18:00:00"}
		)
	if not frappe.db.exists("HD Service Level Agreement", sla.service_level):
		sla.insert()
	sla = frappe.get_doc("HD Service Level Agreement", "Bench Rome SLA")
	frappe.db.commit()

	calendar = make_rome_calendar(years)
	cases = make_cases(n_ours)
	begin = time.perf_counter()
	for start, target in cases:
		calendar.add_business_seconds(start, target)
	ours_all = time.perf_counter() - begin

	subset = cases[:n_helpdesk]
	begin = time.perf_counter()
	for start, target in subset:
		calendar.add_business_seconds(start, target)
	ours_subset = time.perf_counter() - begin

	begin = time.perf_counter()
	for start, target in subset:
		naive = start.astimezone(calendar_zone()).replace(tzinfo=None)
		sla.get_priorities = lambda target=target: {"Bench": frappe._dict(response_time=target)}
		sla.calc_time(naive, "Bench", "response_time")
	theirs_subset = time.perf_counter() - begin
	return {
		"ours_per_s_100k": n_ours / ours_all,
		"ours_per_s_subset": n_helpdesk / ours_subset,
		"helpdesk_per_s_subset": n_helpdesk / theirs_subset,
		"ratio": theirs_subset / ours_subset,
		"subset": n_helpdesk,
	}


def calendar_zone():
	from zoneinfo import ZoneInfo

	return ZoneInfo("Europe/Rome")


# ------------------------------------------------------------------------------------------------ save
def set_deferred(deferred: bool) -> None:
	"""SMO Settings' "Write Clocks After the Save"."""
	frappe.db.set_single_value("SMO Settings", "defer_clock_writes", int(deferred))
	frappe.clear_document_cache("SMO Settings", "SMO Settings")


# The modes of a save: SMO off, SMO on (the save writes its clocks and events), SMO on with the writes deferred.
SAVE_MODES = ("off", "on", "deferred")


def bench_save(rounds: int = 10, per_round: int = 20) -> dict:
	"""Saves in each mode (SAVE_MODES), interleaved save by save: one ticket of each mode in turn (the mode that
	goes first turns with each ticket), so a pause of the machine or the database falls on all modes alike. Two
	kinds of save, each changing a tracked field: the priority (Low/Medium/High/Urgent in turn) and the status
	(Open <-> Replied, a pause and a resume). Each round makes fresh tickets for every mode (with SMO on, so every
	mode saves the same kind of ticket) and saves each twice. The mode is switched on the settings document every
	check reads, in Frappe's document cache (Redis), so switching costs no query inside a save. After each
	round the deferred saves' events and clocks are written by the minute's job, timed too: the work a deferred
	save leaves, per ticket."""
	from smo_extension.settings import get_settings
	from smo_extension.sla import jobs
	from smo_extension.sla.config import get_config

	setup_catalog()
	set_enabled(True)
	set_deferred(False)
	settings = get_settings()
	cache_key = frappe.get_document_cache_key("SMO Settings", "SMO Settings")

	def use(mode: str) -> None:
		settings.enabled = 0 if mode == "off" else 1
		settings.defer_clock_writes = 1 if mode == "deferred" else 0
		frappe.cache.set_value(cache_key, settings)
		assert get_settings().enabled == settings.enabled

	def new_tickets(count: int) -> list:
		"""Fresh tickets for each round, so a saved ticket has the short history a real one has."""
		use("on")
		names = []
		for i in range(count):
			doc = frappe.get_doc(
				{
					"doctype": "HD Ticket",
					"subject": f"save benchmark {i}",
					"description": "benchmark",
					"raised_by": "bench@example.com",
					"priority": "Medium",
					"smo_service": SERVICE,
				}
			).insert()
			names.append(doc.name)
		frappe.db.commit()
		return names

	cycle = ["Low", "Medium", "High", "Urgent"]

	def change_priority(doc):
		doc.priority = next(p for p in cycle[cycle.index(doc.priority) + 1 :] + cycle if p != doc.priority)

	def change_status(doc):
		doc.status = "Replied" if doc.status == "Open" else "Open"

	result = {}
	for kind, change in (("priority", change_priority), ("status", change_status)):
		times = {mode: [] for mode in SAVE_MODES}
		queries = {mode: [] for mode in SAVE_MODES}
		flushed, flush_seconds = 0, 0.0
		for _round in range(rounds):
			tickets = {mode: new_tickets(per_round) for mode in SAVE_MODES}
			get_config()
			# two changes per ticket and round, so each mode sees both directions (pause and resume)
			for i in list(range(per_round)) * 2:
				for k in range(len(SAVE_MODES)):
					mode = SAVE_MODES[(i + k) % len(SAVE_MODES)]
					doc = frappe.get_doc("HD Ticket", tickets[mode][i])
					change(doc)
					use(mode)
					timed_save(doc, times[mode], queries[mode])
			use("deferred")
			begin = time.perf_counter()
			flushed += jobs.flush_deferred(inline=True)
			frappe.db.commit()
			flush_seconds += time.perf_counter() - begin
		off = statistics.median(times["off"])
		for mode in ("on", "deferred"):
			key = kind if mode == "on" else f"{kind}_deferred"
			on = statistics.median(times[mode])
			result.update(
				{
					f"{key}_saves_per_mode": len(times[mode]),
					f"{key}_median_ms_off": off * 1000,
					f"{key}_median_ms_on": on * 1000,
					f"{key}_ratio_median": on / off,
					f"{key}_ratio_mean": statistics.mean(times[mode]) / statistics.mean(times["off"]),
					f"{key}_queries_off": statistics.median(queries["off"]),
					f"{key}_extra_queries": statistics.median(queries[mode])
					- statistics.median(queries["off"]),
				}
			)
		result[f"{kind}_deferred_job_ms_per_ticket"] = flush_seconds * 1000 / max(flushed, 1)
	set_enabled(True)
	set_deferred(False)
	return result


# ------------------------------------------------------------------------------------------------ recompute
def bulk_tickets(n: int, seed: int = 11) -> list[str]:
	"""n tickets and their SMO event logs, inserted in bulk; half resolved, half still open."""
	from smo_extension.sla.ticket import EVENT_COLUMNS
	from smo_extension.sla.ticket import naive

	rng = random.Random(seed)
	calendar = make_rome_calendar(range(2025, 2031))
	existing = frappe.db.count("HD Ticket", {"name": (">=", TICKET_BASE)})
	if existing >= n:
		return [str(TICKET_BASE + i) for i in range(n)]
	now = datetime.now(calendar_zone())
	tickets, events = [], []
	stamp = naive(now)
	for i in range(n):
		name = TICKET_BASE + i
		priority = rng.choice(list(PRIORITIES))
		resolved = i % 2 == 0
		opened = now - timedelta(days=rng.uniform(0.01, 2 if not resolved else 90))
		opened_n = naive(opened)
		first = calendar.add_business_seconds(opened, rng.uniform(0.2, 1.2) * PRIORITIES[priority][0] * 60)
		status, category = ("Resolved", "Resolved") if resolved else ("Open", "Open")
		tickets.append(
			(
				name,
				f"bulk ticket {i}",
				"bulk@example.com",
				status,
				category,
				priority,
				SERVICE,
				"Bench Team",
				opened_n,
				opened_n,
				opened_n.date(),
				"Administrator",
				"Administrator",
				naive(first) if first < now else None,
			)
		)
		ev = [
			(opened_n, "status_category", "Open"),
			(opened_n, "priority", priority),
			(opened_n, "service", SERVICE),
			(opened_n, "team", "Bench Team"),
		]
		if first < now:
			ev.append((naive(first), "first_response", str(naive(first))))
		if resolved:
			end = calendar.add_business_seconds(opened, rng.uniform(0.3, 1.3) * PRIORITIES[priority][1] * 60)
			if end < now:
				ev.append((naive(end), "status_category", "Resolved"))
		for when, field, value in ev:
			events.append(event_row(name, when, field, value, stamp))
	insert_tickets_and_events(tickets, EVENT_COLUMNS, events)
	return [str(TICKET_BASE + i) for i in range(n)]


def bench_recompute(n: int = 100_000) -> dict:
	from smo_extension.sla.jobs import CHUNK
	from smo_extension.sla.jobs import recompute_tickets

	setup_catalog()
	begin = time.perf_counter()
	names = bulk_tickets(n)
	s = frappe.qb.DocType("SMO Ticket SLA")
	frappe.qb.from_(s).delete().where(s.ticket.like("5%") & (s.agreement == AGREEMENT)).run()
	frappe.db.commit()
	generate = time.perf_counter() - begin
	begin = time.perf_counter()
	for start in range(0, len(names), CHUNK):
		recompute_tickets(names[start : start + CHUNK], include_stopped=True)
		frappe.db.commit()
	elapsed = time.perf_counter() - begin
	running = frappe.db.count("SMO Ticket SLA", {"agreement": AGREEMENT, "is_running": 1})
	return {
		"tickets": n,
		"generate_s": generate,
		"recompute_s": elapsed,
		"per_s": n / elapsed,
		"running": running,
	}


def bench_scan(due_rows: int = 500) -> dict:
	"""The scan with nothing due, and with `due_rows` clocks whose next check has passed; then, timed on its
	own, the background job that writes the notifications the scan handed over."""
	from smo_extension.sla import jobs
	from smo_extension.sla.ticket import aware

	s = frappe.qb.DocType("SMO Ticket SLA")
	running = frappe.db.count("SMO Ticket SLA", {"is_running": 1})
	checks = [
		r[0]
		for r in frappe.qb.from_(s)
		.select(s.next_check_at)
		.where(s.next_check_at.isnotnull())
		.orderby(s.next_check_at)
		.limit(due_rows)
		.run()
	]
	handed_over = []
	real_enqueue = frappe.enqueue
	frappe.enqueue = lambda method, **kwargs: handed_over.extend(kwargs.get("notes", []))
	try:
		begin = time.perf_counter()
		idle = jobs.scan_due_clocks(now=aware(checks[0]) - timedelta(seconds=1))
		idle_s = time.perf_counter() - begin
		begin = time.perf_counter()
		busy = jobs.scan_due_clocks(now=aware(checks[-1]))
		busy_s = time.perf_counter() - begin
	finally:
		frappe.enqueue = real_enqueue
	begin = time.perf_counter()
	jobs.send_notifications(handed_over)
	send_s = time.perf_counter() - begin
	frappe.db.rollback()
	return {
		"running_clocks": running,
		"idle_tickets": idle,
		"idle_s": idle_s,
		"due_tickets": busy,
		"due_s": busy_s,
		"notifications_handed_over": len(handed_over),
		"notification_job_s": send_s,
	}


# ------------------------------------------------------------------------------------------------ report
def bulk_clock_rows(n: int, seed: int = 5) -> None:
	have = frappe.db.count("SMO Ticket SLA", {"ticket": ("like", "R%")})
	if have >= n:
		return
	rng = random.Random(seed)
	services = [f"SVC{i}" for i in range(10)]
	agreements = [f"AGR{i}" for i in range(20)]
	start = datetime(2026, 1, 1)
	rows = []
	states = ["Met"] * 8 + ["Breached"] * 1 + ["Running"] * 1
	for i in range(have, n):
		opened = start + timedelta(minutes=rng.randrange(330 * 24 * 60))
		state = rng.choice(states)
		stopped = opened + timedelta(hours=rng.uniform(1, 40)) if state != "Running" else None
		breached = opened + timedelta(hours=rng.uniform(1, 20)) if state == "Breached" else None
		rows.append(
			(
				f"r{i:09d}",
				f"R{i}",
				agreements[i % 20],
				"SLA",
				services[i % 10],
				f"CUST{i % 50}",
				"Bench Team",
				rng.choice(list(PRIORITIES)),
				opened,
				state,
				stopped,
				breached,
				1 if state == "Running" else 0,
				opened,
				opened,
				"Administrator",
				"Administrator",
			)
		)
		if len(rows) == 20_000:
			insert_clock_rows(rows)
			rows = []
	insert_clock_rows(rows)
	frappe.db.commit()


def insert_clock_rows(rows) -> None:
	if rows:
		frappe.db.bulk_insert(
			"SMO Ticket SLA",
			"name ticket agreement agreement_type service customer team priority opened_at resolution_state resolution_stopped_at resolution_breached_at is_running creation modified owner modified_by".split(),
			rows,
			chunk_size=20_000,
		)


def bench_report(n: int = 1_000_000, repeat: int = 3) -> dict:
	from frappe.query_builder.functions import Count

	from smo_extension.smo.report.sla_compliance.sla_compliance import get_data

	begin = time.perf_counter()
	bulk_clock_rows(n)
	generate = time.perf_counter() - begin
	rows = frappe.db.count("SMO Ticket SLA")
	year = {"from_date": "2026-01-01", "to_date": "2026-12-31"}
	cases = {
		# as the report opens: a year, by service, customer SLAs (the filter the form defaults to)
		"report_default_s": frappe._dict(year, group_by="Service", agreement_type="SLA"),
		"report_all_types_s": frappe._dict(year, group_by="Service"),
		"report_by_customer_s": frappe._dict(year, group_by="Customer", agreement_type="SLA"),
	}
	s = frappe.qb.DocType("SMO Ticket SLA")
	bare = []
	timings = {key: [] for key in cases}
	for _ in range(repeat):
		begin = time.perf_counter()
		frappe.qb.from_(s).select(s.service, Count("*")).groupby(s.service).run()
		bare.append(time.perf_counter() - begin)
		for key, filters in cases.items():
			begin = time.perf_counter()
			get_data(filters)
			timings[key].append(time.perf_counter() - begin)
	result = {"rows": rows, "generate_s": generate, "bare_group_by_s": min(bare)}
	for key, values in timings.items():
		result[key] = min(values)
		result[key.replace("_s", "_ratio")] = min(values) / min(bare)
	return result


# ------------------------------------------------------------------------------------------------ hypercare
HYPERCARE_AGREEMENT = "BENCH Hypercare SLA"


def setup_hypercare() -> str:
	"""A hypercare SLA of the benchmark service and a liaison in hypercare; returns the liaison."""
	if not frappe.db.exists("SMO Service Level Agreement", HYPERCARE_AGREEMENT):
		frappe.get_doc(
			{
				"doctype": "SMO Service Level Agreement",
				"agreement_name": HYPERCARE_AGREEMENT,
				"agreement_type": "SLA",
				"service": SERVICE,
				"status": "Active",
				"is_hypercare": 1,
				"valid_from": "2020-01-01",
				"calendar": CALENDAR,
				"compliance_target": 98,
				"targets": [
					{"priority": p, "response_minutes": r // 2, "resolution_minutes": s // 2}
					for p, (r, s) in PRIORITIES.items()
				],
			}
		).insert()
	name = frappe.db.get_value("SMO PMO Liaison", {"service": SERVICE, "project": "BENCH-HC"})
	if not name:
		today = frappe.utils.getdate()
		name = (
			frappe.get_doc(
				{
					"doctype": "SMO PMO Liaison",
					"service": SERVICE,
					"project": "BENCH-HC",
					"relationship": "Hypercare",
					"transition_stage": "Hypercare",
					"project_source": "PMO Site",
					"go_live_date": today - timedelta(days=1),
					"hypercare_until": today + timedelta(days=30),
					"hypercare_agreement": HYPERCARE_AGREEMENT,
				}
			)
			.insert()
			.name
		)
	frappe.db.commit()
	return name


def bench_hypercare(rounds: int = 10, per_round: int = 20) -> dict:
	"""Priority saves of fresh tickets, alternately inside the hypercare window (the liaison's window covers
	today) and in normal operation (the window moved to last year), so the only difference is the window."""
	from smo_extension.sla.config import clear_config_cache
	from smo_extension.sla.config import get_config

	setup_catalog()
	set_enabled(True)
	liaison = setup_hypercare()
	today = frappe.utils.getdate()
	windows = {
		True: (today - timedelta(days=1), today + timedelta(days=30)),
		False: (today - timedelta(days=400), today - timedelta(days=370)),
	}
	cycle = ["Low", "Medium", "High", "Urgent"]
	times = {False: [], True: []}
	queries = {False: [], True: []}
	agreements = {False: set(), True: set()}
	for r in range(rounds * 2):
		inside = r % 2 == 1
		start, end = windows[inside]
		frappe.db.set_value("SMO PMO Liaison", liaison, {"go_live_date": start, "hypercare_until": end})
		clear_config_cache()
		frappe.db.commit()
		get_config()
		names = []
		for i in range(per_round):
			names.append(
				frappe.get_doc(
					{
						"doctype": "HD Ticket",
						"subject": f"hypercare benchmark {i}",
						"description": "benchmark",
						"raised_by": "bench@example.com",
						"priority": "Medium",
						"smo_service": SERVICE,
					}
				)
				.insert()
				.name
			)
		frappe.db.commit()
		for name in names * 2:
			doc = frappe.get_doc("HD Ticket", name)
			doc.priority = next(
				p for p in cycle[cycle.index(doc.priority) + 1 :] + cycle if p != doc.priority
			)
			timed_save(doc, times[inside], queries[inside])
		agreements[inside] |= set(
			frappe.get_all(
				"SMO Ticket SLA", filters={"ticket": ("in", [str(n) for n in names])}, pluck="agreement"
			)
		)
	assert agreements == {True: {HYPERCARE_AGREEMENT}, False: {AGREEMENT}}, agreements
	outside, inside = statistics.median(times[False]), statistics.median(times[True])
	return {
		"saves_per_mode": len(times[True]),
		"median_ms_normal": outside * 1000,
		"median_ms_hypercare": inside * 1000,
		"ratio_median": inside / outside,
		"queries_normal": statistics.median(queries[False]),
		"queries_hypercare": statistics.median(queries[True]),
	}


# ------------------------------------------------------------------------------------------------ statement
STATEMENT_CUSTOMER = "Bench Statement Customer"
STATEMENT_BASE = 60_000_000


def statement_tickets(n: int, first, seed: int = 3) -> None:
	"""n tickets of one customer opened during the month starting `first` (bulk), a fifth of them late and a
	third waiting on the customer for a while, then their clocks computed."""
	from smo_extension.sla.jobs import CHUNK
	from smo_extension.sla.jobs import recompute_tickets
	from smo_extension.sla.ticket import EVENT_COLUMNS
	from smo_extension.sla.ticket import aware
	from smo_extension.sla.ticket import naive

	if frappe.db.count("HD Ticket", {"name": (">=", STATEMENT_BASE), "customer": STATEMENT_CUSTOMER}) >= n:
		return
	rng = random.Random(seed)
	calendar = make_rome_calendar(range(2024, 2031))
	start = aware(datetime.combine(first, datetime.min.time()))
	tickets, events, stamp = [], [], naive(aware(datetime.now()))
	for i in range(n):
		name = STATEMENT_BASE + i
		priority = rng.choice(list(PRIORITIES))
		response, resolution = (m * 60 for m in PRIORITIES[priority])
		opened = calendar.add_business_seconds(start, rng.uniform(0, 150) * 3600)
		first_response = calendar.add_business_seconds(opened, response * rng.uniform(0.1, 1.3))
		work = resolution * (rng.uniform(1.05, 1.6) if rng.random() < 0.2 else rng.uniform(0.2, 0.9))
		ev = [
			(opened, "status_category", "Open"),
			(opened, "priority", priority),
			(opened, "service", SERVICE),
			(opened, "customer", STATEMENT_CUSTOMER),
			(first_response, "first_response", str(naive(first_response))),
		]
		cursor = first_response
		if rng.random() < 0.33:
			ev.append((cursor, "status_category", "Paused"))
			cursor += timedelta(hours=rng.uniform(1, 20))
			ev.append((cursor, "status_category", "Open"))
		done = calendar.add_business_seconds(opened, work)
		ev.append((max(done, cursor + timedelta(minutes=5)), "status_category", "Resolved"))
		tickets.append(
			(
				name,
				f"statement ticket {i}",
				"bench@example.com",
				"Resolved",
				"Resolved",
				priority,
				SERVICE,
				STATEMENT_CUSTOMER,
				naive(opened),
				naive(opened),
				naive(opened).date(),
				"Administrator",
				"Administrator",
				naive(first_response),
			)
		)
		for when, field, value in ev:
			row = (frappe.generate_hash(length=12), str(name), naive(when), field, value, "Backfill")
			events.append((*row, "Administrator", "Administrator", stamp, stamp))
	columns = ["name", "subject", "raised_by", "status", "status_category", "priority", "smo_service"]
	columns += "customer creation modified opening_date owner modified_by first_responded_on".split()
	frappe.db.bulk_insert("HD Ticket", columns, tickets, chunk_size=5000)
	frappe.db.bulk_insert("SMO Ticket Event", EVENT_COLUMNS, events, chunk_size=10000)
	names = [str(STATEMENT_BASE + i) for i in range(n)]
	for begin in range(0, n, CHUNK):
		recompute_tickets(names[begin : begin + CHUNK], include_stopped=True)
	frappe.db.commit()


def bench_statement(n: int = 2_000, repeat: int = 3) -> dict:
	from smo_extension.engine.statement import add_months
	from smo_extension.sla import statement

	setup_catalog()
	if not frappe.db.exists("HD Customer", STATEMENT_CUSTOMER):
		frappe.get_doc({"doctype": "HD Customer", "customer_name": STATEMENT_CUSTOMER}).insert()
	first = add_months(frappe.utils.getdate().replace(day=1), -1)
	statement_tickets(n, first)
	snapshots, pdfs = [], []
	for _ in range(repeat):
		begin = time.perf_counter()
		snapshot = statement.build_snapshot(STATEMENT_CUSTOMER, first)
		snapshots.append(time.perf_counter() - begin)
	begin = time.perf_counter()
	doc = statement.generate(STATEMENT_CUSTOMER, f"{first:%Y-%m}")
	whole = time.perf_counter() - begin
	for _ in range(repeat):
		begin = time.perf_counter()
		pdf = statement.render_pdf(doc)
		pdfs.append(time.perf_counter() - begin)
	frappe.db.commit()
	return {
		"tickets": snapshot["tickets"],
		"breach_lines": len(snapshot["breaches"]) + snapshot["more_breaches"],
		"snapshot_s": statistics.median(snapshots),
		"pdf_s": statistics.median(pdfs),
		"generate_s": whole,
		"pdf_kb": len(pdf) / 1024,
	}


BENCHES = {
	"helpdesk": bench_helpdesk,
	"save": bench_save,
	"recompute": bench_recompute,
	"scan": bench_scan,
	"report": bench_report,
	"hypercare": bench_hypercare,
	"statement": bench_statement,
}


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--only", default=",".join(BENCHES), help="comma-separated: " + ",".join(BENCHES))
	args = parser.parse_args()
	connect(args.site)
	run_benches(BENCHES, args.only)
	return 0


if __name__ == "__main__":
	sys.exit(main())
