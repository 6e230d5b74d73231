"""Import from Helpdesk at scale: a site with N tickets Helpdesk judged (no SMO events, no service), then the
import, the comparison over the last 90 days and the switch-over's backfill, in-process or on real RQ workers.

    cd <bench>/sites && ../env/bin/python <repo>/benchmarks/adopt_bench.py --site <throw-away site> \
        [--tickets 100000] [--workers 2]

`--workers 0` runs the switch-over's chunks here, one after another; `--workers N` starts N `bench worker`
processes on the long queue and times the switch-over from the click to the last chunk. Throw-away sites only:
it removes what an earlier run imported and made, and adds tickets named from 7000000 on.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from datetime import datetime
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import frappe

from benchmarks.harness import connect
from benchmarks.harness import print_results

TICKET_BASE = 7_000_000
COLUMNS = (
	"name subject raised_by status status_category priority creation modified opening_date owner modified_by "
	"first_responded_on resolution_date sla response_by resolution_by agreement_status"
).split()
PRIORITIES = {"Urgent": (1800, 7200), "High": (3600, 14400), "Medium": (28800, 86400), "Low": (86400, 259200)}


def helpdesk_tickets(n: int, seed: int = 17) -> int:
	"""n tickets as Helpdesk leaves them (its Default SLA's due dates, some answered and resolved), over the last
	80 days; none has an SMO event or service."""
	rng = random.Random(seed)
	sla = frappe.get_doc("HD Service Level Agreement", "Default")
	now = datetime.now().replace(microsecond=0)
	rows = []
	for i in range(n):
		priority = rng.choice(list(PRIORITIES))
		opened = now - timedelta(days=rng.uniform(0.1, 80))
		response_by = sla.calc_time(opened, priority, "response_time")
		resolution_by = sla.calc_time(opened, priority, "resolution_time")
		answered = opened + timedelta(seconds=rng.uniform(0.2, 1.5) * PRIORITIES[priority][0] * 3)
		resolved = opened + timedelta(seconds=rng.uniform(0.3, 1.5) * PRIORITIES[priority][1] * 3)
		done = i % 3 != 0 and resolved < now
		rows.append(
			(
				str(TICKET_BASE + i),
				f"adopt bench {i}",
				"bench@example.com",
				"Resolved" if done else "Open",
				"Resolved" if done else "Open",
				priority,
				opened,
				opened,
				opened.date(),
				"Administrator",
				"Administrator",
				answered if answered < now else None,
				resolved if done else None,
				"Default",
				response_by,
				resolution_by,
				"Fulfilled" if done else "Resolution Due",
			)
		)
	frappe.db.bulk_insert("HD Ticket", COLUMNS, rows, chunk_size=5000)
	frappe.db.commit()
	return n


def start_workers(count: int) -> list[subprocess.Popen]:
	sites = Path.cwd()
	return [
		subprocess.Popen(
			[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "worker", "--queue", "long"],
			cwd=sites,
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
			env={**os.environ},
		)
		for _ in range(count)
	]


def run(n: int, workers: int) -> dict:
	from smo_extension.sla import adopt
	from smo_extension.tests.factories import remove_imported

	out: dict = {"tickets": n, "workers": workers}
	# a fresh start: the tickets of an earlier run were switched over (Helpdesk's fields tell the SMO's answer)
	remove_imported()
	t = frappe.qb.DocType("HD Ticket")
	frappe.qb.from_(t).delete().where(t.subject.like("adopt bench %")).run()
	for doctype in ("SMO Ticket SLA", "SMO Ticket Event"):
		table = frappe.qb.DocType(doctype)
		frappe.qb.from_(table).delete().where(table.ticket.like("7%")).run()
	frappe.db.commit()
	begin = time.perf_counter()
	helpdesk_tickets(n)
	out["make_tickets_s"] = time.perf_counter() - begin

	begin = time.perf_counter()
	result = adopt.import_slas()
	frappe.db.commit()
	out["import_s"] = time.perf_counter() - begin
	out["verdicts_recorded"] = result["verdicts"]

	frappe.local.cache = {}
	begin = time.perf_counter()
	compared = adopt.compare()
	out["compare_s"] = time.perf_counter() - begin
	out["compared_tickets"] = compared["tickets"]
	out["due_dates_equal"] = compared["due_dates_equal"]
	out["due_dates_differ"] = compared["due_dates_differ"]
	out["judged_differently"] = compared["different"]

	processes = start_workers(workers) if workers else []
	try:
		if workers:
			begin = time.perf_counter()
			switched = adopt.switch_over()
			frappe.db.commit()  # the chunks are enqueued after the commit
			key = frappe.cache.make_key(adopt.progress_key(switched["run"], "done"))
			while int(frappe.cache.get(key) or 0) < switched["chunks"]:
				if time.perf_counter() - begin > 3600:
					raise TimeoutError("the switch-over did not finish within an hour")
				time.sleep(0.5)
			out["switch_over_s"] = time.perf_counter() - begin
		else:
			ran: list[dict] = []
			original = frappe.enqueue

			def capture(method, **kwargs):
				ran.append(kwargs)

			frappe.enqueue = capture
			try:
				begin = time.perf_counter()
				switched = adopt.switch_over()
				frappe.db.commit()
			finally:
				frappe.enqueue = original
			for job in ran:
				if "run" in job:
					adopt.backfill_chunk(job["tickets"], job["run"], job["user"])
			out["switch_over_s"] = time.perf_counter() - begin
	finally:
		for process in processes:
			process.terminate()
	out["chunks"] = switched["chunks"]
	out["tickets_per_s"] = switched["tickets"] / out["switch_over_s"]
	out["clocks_written"] = frappe.db.count("SMO Ticket SLA", {"ticket": ("like", "7%")})
	out["tickets_without_clock"] = frappe.db.count(
		"HD Ticket", {"subject": ("like", "adopt bench %"), "smo_sla_state": "No SMO clock"}
	)
	return out


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--tickets", type=int, default=100_000)
	parser.add_argument("--workers", type=int, default=0)
	args = parser.parse_args()
	connect(args.site)
	try:
		begin = time.perf_counter()
		result = run(args.tickets, args.workers)
		print(f"== adopt ({time.perf_counter() - begin:.1f} s)")
		print_results(result)
	finally:
		frappe.destroy()
	return 0


if __name__ == "__main__":
	sys.exit(main())
