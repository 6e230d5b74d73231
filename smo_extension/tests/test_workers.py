"""Jobs that spread (issue 19): the scan and the KPI close run as chunks on the long queue, taken by two real RQ
workers (`bench worker`, in burst mode) on this site at once. Every chunk is queued twice, so the two workers race
on the same tickets and the same measurements: the outcome must be the same as one worker running each chunk once
(row locks and unique keys, not timing), whatever the interleaving."""

from __future__ import annotations

from collections import Counter
from unittest.mock import patch

import frappe
from frappe.utils import getdate
from frappe.utils import now_datetime
from frappe.utils.background_jobs import get_queue
from rq.registry import FinishedJobRegistry

from smo_extension.engine import kpi as kpi_engine
from smo_extension.kpi import jobs as kpi_jobs
from smo_extension.sla import jobs
from smo_extension.tests import SMOTestCase
from smo_extension.tests.factories import OWNER
from smo_extension.tests.factories import frozen
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_calendar
from smo_extension.tests.factories import make_kpi
from smo_extension.tests.factories import make_service
from smo_extension.tests.factories import make_ticket
from smo_extension.tests.factories import set_settings
from smo_extension.tests.workers import burst_workers

SERVICE = "_WK SVC"
AGREEMENT = "_WK SLA"
CALENDAR = "_WK Calendar"
TICKETS = 24
QUEUES = ("long", "short")
WORKER_TIMEOUT = 240


def run_two_workers() -> list[str]:
	"""Two `bench worker` processes in burst mode on the long and short queues, until both queues are empty;
	returns the worker name of every job they finished."""
	burst_workers(2, ",".join(QUEUES), WORKER_TIMEOUT)
	names = []
	for queue in QUEUES:
		q = get_queue(queue)
		registry = FinishedJobRegistry(queue=q)
		for job in q.job_class.fetch_many(registry.get_job_ids(), connection=q.connection):
			if job is not None and job.kwargs.get("site") == frappe.local.site:
				names.append(job.worker_name)
	return names


def clear_queues() -> None:
	for queue in QUEUES:
		q = get_queue(queue)
		q.empty()
		for job_id in FinishedJobRegistry(queue=q).get_job_ids():
			FinishedJobRegistry(queue=q).remove(job_id, delete_job=True)


def remove_fixtures() -> None:
	frappe.set_user("Administrator")
	tickets = frappe.get_all("HD Ticket", filters={"subject": ("like", "_WK %")}, pluck="name")
	for ticket in tickets:
		frappe.delete_doc("HD Ticket", ticket, force=True, ignore_permissions=True)
	if tickets:
		frappe.db.delete("Notification Log", {"document_type": "HD Ticket", "document_name": ("in", tickets)})
	kpis = frappe.get_all("SMO KPI Definition", filters={"kpi_name": ("like", "_WK%")}, pluck="name")
	if kpis:
		frappe.db.delete("SMO KPI Measurement", {"kpi": ("in", kpis)})
		frappe.db.delete("SMO KPI Definition", {"name": ("in", kpis)})
	frappe.db.delete("SMO Ticket SLA", {"agreement": AGREEMENT})
	for doctype, name in (
		("SMO Service Level Agreement", AGREEMENT),
		("SMO Service", SERVICE),
		("SMO Business Calendar", CALENDAR),
	):
		if frappe.db.exists(doctype, name):
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		for table in frappe.get_meta(doctype).get_table_fields():  # rows left by an interrupted run
			frappe.db.delete(table.options, {"parent": name, "parenttype": doctype})
	frappe.db.commit()  # nosemgrep: the workers' records were committed by them


class TestTwoWorkers(SMOTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		remove_fixtures()
		set_settings(enabled=1)
		make_calendar(CALENDAR)
		make_service(SERVICE, service_owner=OWNER)
		make_agreement(AGREEMENT, SERVICE, calendar=CALENDAR)
		# Monday 2 March 2026: long past their High targets (30 min response, 4 h resolution) by now
		with frozen("2026-03-02 09:00:00"):
			cls.tickets = [
				str(make_ticket(f"_WK {i}", smo_service=SERVICE, priority="High").name)
				for i in range(TICKETS)
			]
		frappe.db.commit()  # nosemgrep: the workers read committed rows only

	@classmethod
	def tearDownClass(cls):
		frappe.flags.smo_real_queue = False
		remove_fixtures()
		clear_queues()
		super().tearDownClass()

	def setUp(self):
		clear_queues()
		frappe.flags.smo_real_queue = True
		self.errors_before = frappe.db.count("Error Log")

	def tearDown(self):
		frappe.flags.smo_real_queue = False

	def assert_no_new_errors(self):
		frappe.db.rollback()  # a fresh snapshot: what the workers committed
		titles = frappe.get_all(
			"Error Log", fields=["method"], order_by="creation desc", limit=frappe.db.count("Error Log")
		)
		self.assertEqual(frappe.db.count("Error Log"), self.errors_before, titles[:5])

	def test_the_scan_chunks_raced_by_two_workers_judge_and_notify_once(self):
		s = frappe.qb.DocType("SMO Ticket SLA")
		(
			frappe.qb.update(s)
			.set(s.next_check_at, "2026-03-02 10:00:00")
			.where(s.ticket.isin(self.tickets) & (s.agreement == AGREEMENT))
			.run()
		)
		due_now = (
			frappe.qb.from_(s)
			.select(s.ticket_doctype, s.ticket)
			.distinct()
			.where(s.next_check_at <= now_datetime())
			.run()
		)
		per_source = Counter(doctype for doctype, _ticket in due_now)
		with patch.object(jobs, "CHUNK", 4):
			due = jobs.scan_due_clocks()
			self.assertEqual(due, len(due_now))
			self.assertGreaterEqual(due, TICKETS)
			leased = (
				frappe.qb.from_(s)
				.select(s.name)
				.where((s.agreement == AGREEMENT) & (s.next_check_at <= now_datetime()))
				.run()
			)
			self.assertEqual(list(leased), [], "the scan left due clocks for the next scan to hand out again")
			self.assertEqual(jobs.scan_due_clocks(), 0, "a leased clock was handed out twice")
			# the same chunks once more: the two workers race on every ticket
			jobs.enqueue_in_chunks(
				"smo_extension.sla.jobs.scan_chunk", "tickets", self.tickets, doctype="HD Ticket"
			)
		frappe.db.commit()  # nosemgrep: the chunks reach the queue after the commit
		chunks = sum(-(-n // 4) for n in per_source.values())  # the scan's, of every due ticket on the site
		self.assertEqual(get_queue("long").count, chunks + TICKETS // 4)
		workers = run_two_workers()
		self.assertEqual(len(set(workers)), 2, f"both workers should have taken chunks: {Counter(workers)}")
		self.assert_no_new_errors()

		rows = frappe.get_all(
			"SMO Ticket SLA",
			filters={"agreement": AGREEMENT},
			fields=[
				"ticket",
				"response_state",
				"resolution_state",
				"response_notified_state",
				"resolution_notified_state",
			],
		)
		self.assertEqual(len(rows), TICKETS)
		for row in rows:
			self.assertEqual((row.response_state, row.resolution_state), ("Breached", "Breached"), row)
			self.assertEqual(
				(row.response_notified_state, row.resolution_notified_state), ("Breached", "Breached"), row
			)
		notes = frappe.get_all(
			"Notification Log",
			filters={"document_type": "HD Ticket", "document_name": ("in", self.tickets)},
			fields=["document_name", "subject", "for_user"],
		)
		twice = [
			k for k, n in Counter((n.document_name, n.subject, n.for_user) for n in notes).items() if n > 1
		]
		self.assertEqual(twice, [], "a transition was notified twice")
		# one breach of the response and one of the resolution per ticket, to the service owner
		self.assertEqual(len(notes), 2 * TICKETS)
		self.assertEqual({n.for_user for n in notes}, {OWNER})

	def test_the_kpi_close_raced_by_two_workers_writes_one_measurement_per_period(self):
		kpis = [make_kpi(kpi_name=f"_WK KPI {i}", service=SERVICE).name for i in range(3)]
		frappe.db.commit()  # nosemgrep
		period = kpi_engine.period_containing("Monthly", getdate("2026-03-15"))
		definitions = kpi_jobs.measure.load_definitions(kpis)
		wanted = {name: [period, period.next()] for name in kpis}
		# two hourly closes while the first one's batches wait for a worker
		for _close in range(2):
			self.assertEqual(kpi_jobs.enqueue_batches(definitions, wanted), 2 * len(kpis))
			frappe.db.commit()  # nosemgrep: the batches reach the queue after the commit
		self.assertEqual(get_queue("long").count, 2, "a batch still queued was queued again")
		# the same batches under other job ids: both workers measure the same periods at once
		for p in (period, period.next()):
			for _ in range(2):
				frappe.enqueue(
					"smo_extension.kpi.jobs.close_batch",
					queue="long",
					frequency=p.frequency,
					start=str(p.start),
					definitions=kpis,
				)
		self.assertEqual(get_queue("long").count, 6)
		workers = run_two_workers()
		self.assertEqual(len(set(workers)), 2, f"both workers should have taken batches: {Counter(workers)}")
		self.assert_no_new_errors()
		rows = frappe.get_all(
			"SMO KPI Measurement", filters={"kpi": ("in", kpis)}, fields=["kpi", "period_start"]
		)
		self.assertEqual(
			Counter((r.kpi, getdate(r.period_start)) for r in rows),
			Counter({(k, p.start): 1 for k in kpis for p in (period, period.next())}),
		)
