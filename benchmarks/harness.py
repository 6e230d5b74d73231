"""What the site benchmarks share: counting queries, timing a save, the bulk-made tickets and events, printing
results. Imported by site_bench.py, bench_insight.py and kpi_bench.py (run with the bench's python)."""

from __future__ import annotations

import time

import frappe

# The HD Ticket columns the benchmarks bulk-insert.
TICKET_COLUMNS = "name subject raised_by status status_category priority smo_service agent_group creation modified opening_date owner modified_by first_responded_on".split()


class QueryCounter:
	"""Counts every statement sent through frappe.db.sql (frappe.qb runs through it too)."""

	def __enter__(self):
		self.count = 0
		self._sql = frappe.db.sql

		def counting(*args, **kwargs):
			self.count += 1
			return self._sql(*args, **kwargs)

		frappe.db.sql = counting
		return self

	def __exit__(self, *exc):
		frappe.db.sql = self._sql


def timed_save(doc, times: list[float], queries: list[int]) -> None:
	"""Save `doc`, append its time and query count, commit."""
	with QueryCounter() as counter:
		begin = time.perf_counter()
		doc.save()
		times.append(time.perf_counter() - begin)
	queries.append(counter.count)
	frappe.db.commit()


def event_row(ticket: str, when, field: str, value, stamp) -> tuple:
	"""A row of SMO Ticket Event for bulk_insert with `sla.ticket.EVENT_COLUMNS` (as the backfill writes)."""
	return (
		frappe.generate_hash(length=12),
		"HD Ticket",
		str(ticket),
		when,
		field,
		value,
		"Backfill",
		"Administrator",
		"Administrator",
		stamp,
		stamp,
	)


def insert_tickets_and_events(tickets: list[tuple], event_columns: list[str], events: list[tuple]) -> None:
	frappe.db.bulk_insert("HD Ticket", TICKET_COLUMNS, tickets, chunk_size=5000)
	frappe.db.bulk_insert("SMO Ticket Event", event_columns, events, chunk_size=10000)
	frappe.db.commit()


def print_results(results: dict) -> None:
	for key, value in results.items():
		print(f"   {key}: {value:,.3f}" if isinstance(value, float) else f"   {key}: {value}")


def ensure_agreement(
	name: str,
	service: str,
	calendar: str,
	targets: dict[str, tuple[int, int]],
	agreement_type: str = "SLA",
	team: str | None = None,
) -> None:
	"""An Active agreement (an SLA, or an OLA of `team`) of `service` on `calendar` with `targets` (priority ->
	response, resolution minutes), made once."""
	if frappe.db.exists("SMO Service Level Agreement", name):
		return
	rows = [{"priority": p, "response_minutes": r, "resolution_minutes": s} for p, (r, s) in targets.items()]
	values = {
		"agreement_name": name,
		"agreement_type": agreement_type,
		"service": service,
		"status": "Active",
	}
	values["team"] = team
	values |= {"valid_from": "2020-01-01", "calendar": calendar, "compliance_target": 95, "targets": rows}
	frappe.get_doc({"doctype": "SMO Service Level Agreement", **values}).insert()


def run_benches(benches: dict, only: str, stamp: str = "") -> None:
	"""Run the benches named in `only` (comma-separated) in turn, print each one's results and time, then close
	the site's connection."""
	import sys

	try:
		for name in only.split(","):
			begin = time.perf_counter()
			result = benches[name]()
			print(f"== {name} ({time.perf_counter() - begin:.1f} s){stamp}")
			print_results(result)
			sys.stdout.flush()
	finally:
		frappe.destroy()


def connect(site: str) -> None:
	"""The benchmark's site, as Administrator, with e-mails muted (run from the bench's sites folder)."""
	frappe.init(site=site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	frappe.flags.mute_emails = True
