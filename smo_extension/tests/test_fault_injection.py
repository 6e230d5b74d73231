"""Fault injection: each multi-step operation is made to fail at each of its steps in turn (the step itself is
patched to raise, never the database), and afterwards the database is as before or as after, never between;
no file is missing or orphaned on disk; no e-mail is queued twice or for a rolled-back change; and running the
operation again finishes it.

Statements: generate / regenerate (snapshot, render, each File, the old PDF's removal, and a failure later in the
same request after all of them), the monthly job (one customer failing in any step while the others go on) and
sending. Clocks: the recompute after an agreement change (enqueued only once the change commits; the chunk's
summary and clock writes), Repair Clocks (each chunk, the record of who repaired), the hypercare window move (its recompute, its note).
PMO sync: a liaison failing after its values were written, or at the PMO's dates. KPIs: the close (a period's
batch failing at its measurement or at the improvement a Red one raises, while the other periods go on).
Jobs run in one transaction (Frappe rolls a failed job back); a step the app runs in a savepoint (the monthly
statements, the KPI close) is rolled back to it. The same rollbacks are done here.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import contextmanager
from unittest.mock import patch

import frappe
from frappe.model.document import Document

from smo_extension.kpi import jobs as kpi_jobs
from smo_extension.kpi import measure
from smo_extension.pmo import sync
from smo_extension.settings import is_enabled
from smo_extension.sla import hypercare
from smo_extension.sla import jobs
from smo_extension.sla import statement
from smo_extension.sla import ticket as ticket_sla
from smo_extension.tests import SMOTestCase
from smo_extension.tests.factories import PORTAL_CUSTOMER
from smo_extension.tests.factories import WEEKDAYS
from smo_extension.tests.factories import clocks_of
from smo_extension.tests.factories import frozen
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_calendar
from smo_extension.tests.factories import make_kpi
from smo_extension.tests.factories import make_service
from smo_extension.tests.factories import make_ticket
from smo_extension.tests.test_hypercare import SERVICE
from smo_extension.tests.test_hypercare import HypercareTestCase
from smo_extension.tests.test_kpi_metrics import KPITestCase
from smo_extension.tests.test_kpi_metrics import at as kpi_at
from smo_extension.tests.test_pmo_sync import GOOD_FIELDS
from smo_extension.tests.test_pmo_sync import LATER
from smo_extension.tests.test_pmo_sync import PMOSyncTestCase
from smo_extension.tests.test_pmo_sync import liaison
from smo_extension.tests.test_pmo_sync import project
from smo_extension.tests.test_pmo_sync import project_url
from smo_extension.tests.test_statements import MONTH
from smo_extension.tests.test_statements import OTHER
from smo_extension.tests.test_statements import StatementTestCase
from smo_extension.tests.test_statements import with_outgoing_account
from smo_extension.tests.test_ticket_sla import SLATestCase
from smo_extension.tests.test_ticket_sla import at


class Boom(Exception):
	"""The injected fault."""


def boom(*args, **kwargs):
	raise Boom("injected fault")


def pdf_files(customer: str, month: str) -> dict[str, tuple[str, str | None]]:
	"""Every File of the customer's statement of `month` (on the statement and on the customer, as
	`statement.files_of` finds them): name -> (URL, sha1 of the bytes on disk, None when they are missing)."""
	out = {}
	for name in statement.files_of(
		frappe.get_doc(statement.STATEMENT, statement.statement_name(customer, month))
	):
		file = frappe.get_doc("File", name)
		path = file.get_full_path()
		digest = hashlib.sha1(open(path, "rb").read()).hexdigest() if os.path.exists(path) else None
		out[name] = (file.file_url, digest)
	return out


def files_on_disk() -> set[str]:
	folder = frappe.get_site_path("private", "files")
	return {f for f in os.listdir(folder) if f.startswith("SLA Statement")}


def statement_row(customer: str, month: str) -> dict:
	return frappe.db.get_value(
		statement.STATEMENT,
		statement.statement_name(customer, month),
		["status", "generated_on", "snapshot", "pdf_file", "sent_on"],
		as_dict=True,
	)


@contextmanager
def fail_on_insert_of(doctype: str, attached_to: str):
	"""The insert of a File attached to a record of `attached_to` fails (the first one of that kind)."""
	real = Document.insert

	def insert(self, *args, **kwargs):
		if self.doctype == doctype and self.get("attached_to_doctype") == attached_to:
			raise Boom(f"injected fault on the {doctype} of the {attached_to}")
		return real(self, *args, **kwargs)

	with patch.object(Document, "insert", insert):
		yield


class TestStatementFaults(StatementTestCase):
	def setUp(self):
		super().setUp()
		self.state = (statement_row(PORTAL_CUSTOMER, MONTH), pdf_files(PORTAL_CUSTOMER, MONTH))
		self.disk = files_on_disk()
		self.assertTrue(all(digest for _url, digest in self.state[1].values()), self.state)

	def assertUntouched(self, step: str):
		"""The statement, its Files and their bytes as before the failed attempt; no new bytes on disk."""
		self.assertEqual(statement_row(PORTAL_CUSTOMER, MONTH), self.state[0], step)
		self.assertEqual(pdf_files(PORTAL_CUSTOMER, MONTH), self.state[1], step)
		self.assertEqual(files_on_disk(), self.disk, f"{step}: files left on disk")

	def steps(self):
		"""(what fails, a context that makes it fail) for each step of regenerating a statement."""
		return [
			("the snapshot", patch.object(statement, "build_snapshot", boom)),
			("the PDF", patch.object(statement, "render_pdf", boom)),
			("the statement's File", fail_on_insert_of("File", statement.STATEMENT)),
			("the customer's File", fail_on_insert_of("File", "HD Customer")),
			("the old PDF's removal", patch.object(statement, "remove_files", boom)),
		]

	def test_regenerating_fails_at_each_step_and_the_old_statement_stays_whole(self):
		for step, fault in self.steps():
			with self.subTest(step=step):
				with fault, self.assertRaises(Boom):
					statement.generate(PORTAL_CUSTOMER, MONTH)
				frappe.db.rollback()
				self.assertUntouched(step)

	def test_a_failure_later_in_the_same_request_leaves_the_old_statement_whole(self):
		"""All steps done, then the request fails (what the operator found: the old PDF was gone)."""
		statement.generate(PORTAL_CUSTOMER, MONTH)
		frappe.db.rollback()
		self.assertUntouched("after the last step")

	def test_again_after_a_failure_finishes_it(self):
		with patch.object(statement, "render_pdf", boom), self.assertRaises(Boom):
			statement.generate(PORTAL_CUSTOMER, MONTH)
		frappe.db.rollback()
		doc = statement.generate(PORTAL_CUSTOMER, MONTH)
		frappe.db.commit()  # nosemgrep: the old PDF's bytes leave the disk only when this commits
		after = pdf_files(PORTAL_CUSTOMER, MONTH)
		self.assertEqual(len(after), 2, after)  # one on the statement, one on the customer
		self.assertTrue(all(digest for _url, digest in after.values()), after)
		self.assertEqual(doc.pdf_file, frappe.db.get_value(statement.STATEMENT, doc.name, "pdf_file"))
		self.assertNotEqual(set(after), set(self.state[1]))
		old_urls = {url for url, _digest in self.state[1].values()} - {url for url, _digest in after.values()}
		for url in old_urls:  # the old PDF's bytes went with the commit
			self.assertFalse(os.path.exists(frappe.get_site_path(url.lstrip("/"))), url)
		self.assertEqual(len(files_on_disk()), len(self.disk), "one PDF replaced by one")


class TestMonthlyJobFaults(StatementTestCase):
	def test_one_customer_failing_at_any_step_leaves_no_half_statement_and_no_orphan(self):
		month = "2026-03"
		for step, fault in (
			("the PDF", patch.object(statement, "render_pdf", boom)),
			("the customer's File", fail_on_insert_of("File", "HD Customer")),
			("the old PDF's removal", patch.object(statement, "remove_files", boom)),
		):
			with self.subTest(step=step):
				before = (statement_row(OTHER, month), pdf_files(OTHER, month))
				disk = files_on_disk()
				# one customer's step in the job's savepoint, as `send_monthly_statements` runs it
				with fault:
					result = statement.guarded(
						OTHER, month, lambda: statement.generate(OTHER, month), "generate"
					)
				self.assertEqual(result, "Error")
				self.assertEqual((statement_row(OTHER, month), pdf_files(OTHER, month)), before, step)
				self.assertEqual(files_on_disk(), disk, f"{step}: orphaned bytes on disk")
				frappe.db.rollback()

	def test_sending_fails_after_queueing_and_nothing_is_sent_for_it(self):
		with_outgoing_account(self)
		name = statement.statement_name(OTHER, MONTH)
		doc = frappe.get_doc(statement.STATEMENT, name)
		queued = frappe.db.count("Email Queue", {"reference_name": name})
		real = Document.db_set

		def db_set(self, *args, **kwargs):
			if self.doctype == statement.STATEMENT:
				raise Boom("injected fault while marking the statement sent")
			return real(self, *args, **kwargs)

		with patch.object(Document, "db_set", db_set), self.assertRaises(Boom):
			statement.send(doc)
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Email Queue", {"reference_name": name}), queued)
		self.assertNotEqual(frappe.db.get_value(statement.STATEMENT, name, "status"), statement.SENT)
		self.assertEqual(statement.send(frappe.get_doc(statement.STATEMENT, name)), statement.SENT)
		self.assertEqual(frappe.db.count("Email Queue", {"reference_name": name}), queued + 1)
		frappe.db.rollback()


# ------------------------------------------------------------------------------------------- clocks
CLOCK_STATE = ["ticket", "agreement", "agreement_version", "resolution_state", "resolution_due", "is_running"]
SUMMARY = ["smo_sla_state", "smo_response_due", "smo_resolution_due", "response_by", "resolution_by"]


def clock_state(tickets: list[str]) -> tuple:
	rows = frappe.get_all(
		"SMO Ticket SLA",
		filters={"ticket": ("in", tickets)},
		fields=CLOCK_STATE,
		order_by="ticket, agreement",
	)
	summaries = frappe.get_all(
		"HD Ticket", filters={"name": ("in", tickets)}, fields=["name", *SUMMARY], order_by="name"
	)
	return [tuple(r.values()) for r in rows], [tuple(r.values()) for r in summaries]


class RecordedQueue:
	"""What reached the RQ queues (rq's Queue.enqueue_call), without a worker taking it."""

	def __init__(self):
		self.calls: list[dict] = []

	def __enter__(self):
		from rq import Queue

		self.patch = patch.object(Queue, "enqueue_call", lambda q, *a, **k: self.calls.append(k))
		self.patch.start()
		return self

	def __exit__(self, *exc):
		self.patch.stop()

	def methods(self) -> list[str]:
		return [c["kwargs"]["method"] for c in self.calls]


class TestClockFaults(SLATestCase):
	SERVICE = "_TFI"

	def make_changed_agreement(self):
		"""A running and a stopped ticket judged by version 1, then the agreement's Medium targets changed
		(version 2): the running clock is due for the recompute, the stopped one for Repair Clocks."""
		make_service(self.SERVICE)
		agreement = make_agreement(f"{self.SERVICE} SLA", self.SERVICE, calendar="_Test Weekdays")
		stopped = self.new_ticket(smo_service=self.SERVICE)
		self.change(stopped.name, at(2, "10:00"), status="Resolved")
		running = self.new_ticket(smo_service=self.SERVICE)
		with RecordedQueue():
			agreement.reload()
			medium = next(t for t in agreement.targets if t.priority == "Medium")
			medium.response_minutes, medium.resolution_minutes = 30, 45
			agreement.save(ignore_permissions=True)
			frappe.db.after_commit.run()  # as if this change had committed: its recompute is not the test's
		return agreement, [str(running.name), str(stopped.name)]

	def test_an_agreement_change_enqueues_its_recompute_only_once_it_commits(self):
		agreement, tickets = self.make_changed_agreement()
		frappe.db.savepoint("before_change")
		for commits in (False, True):
			with self.subTest(commits=commits), RecordedQueue() as queue:
				medium = next(t for t in agreement.targets if t.priority == "Medium")
				medium.resolution_minutes = 50 if commits else 55
				agreement.save(ignore_permissions=True)
				self.assertEqual(queue.calls, [], "enqueued before the change committed")
				if not commits:
					frappe.db.rollback(save_point="before_change")
					frappe.db.after_commit.reset()  # what the rollback of a failed request drops
				frappe.db.after_commit.run()  # what a commit runs (the test itself never commits)
			if commits:
				self.assertEqual(queue.methods(), ["smo_extension.sla.jobs.recompute_chunk"])
				self.assertEqual(queue.calls[0]["kwargs"]["kwargs"]["tickets"], tickets[:1])
			else:
				self.assertEqual(queue.calls, [])
			agreement.reload()

	def test_the_recompute_fails_at_each_step_and_leaves_the_clocks_as_they_were(self):
		_agreement, tickets = self.make_changed_agreement()
		before = clock_state(tickets)
		for step, target in (
			("the summaries", "update_summaries"),
			("the clock rows", "write_clocks"),
		):
			with self.subTest(step=step):
				owner = jobs if target == "update_summaries" else ticket_sla
				frappe.db.savepoint("fault")
				with (
					patch.object(owner, target, boom),
					self.assertRaises(Boom),
					self.freeze_time(at(2, "10:00")),
				):
					jobs.recompute_chunk(tickets[:1])
				frappe.db.rollback(save_point="fault")
				self.assertEqual(clock_state(tickets), before, step)
		with self.freeze_time(at(2, "10:00")):
			jobs.recompute_chunk(tickets[:1])  # again, without the fault: done
		after = clock_state(tickets)
		self.assertNotEqual(after, before)
		versions = {row[0]: row[2] for row in after[0]}
		self.assertEqual(versions, {tickets[0]: 2, tickets[1]: 1})

	def test_repair_clocks_fails_at_each_step_and_records_nothing(self):
		agreement, tickets = self.make_changed_agreement()
		before = clock_state(tickets)
		comments = frappe.db.count("Comment", {"reference_name": agreement.name, "comment_type": "Info"})
		real_recompute = jobs.recompute_tickets
		calls = []

		def second_chunk_fails(chunk, **kwargs):
			calls.append(chunk)
			if len(calls) == 2:
				raise Boom("injected fault in the second chunk")
			return real_recompute(chunk, **kwargs)

		real_db_set = Document.db_set

		def record_fails(doc, *args, **kwargs):
			if doc.doctype == "SMO Service Level Agreement":
				raise Boom("injected fault while recording the repair")
			return real_db_set(doc, *args, **kwargs)

		for step, fault in (
			("the second chunk", patch.multiple(jobs, CHUNK=1, recompute_tickets=second_chunk_fails)),
			("the record of the repair", patch.object(Document, "db_set", record_fails)),
		):
			with self.subTest(step=step):
				calls.clear()
				frappe.db.savepoint("fault")
				with fault, self.assertRaises(Boom), self.freeze_time(at(2, "10:00")):
					frappe.get_doc("SMO Service Level Agreement", agreement.name).repair_clocks()
				frappe.db.rollback(save_point="fault")
				self.assertEqual(clock_state(tickets), before, step)
				self.assertFalse(
					frappe.db.get_value("SMO Service Level Agreement", agreement.name, "last_repaired_on")
				)
		with self.freeze_time(at(2, "10:00")):
			self.assertEqual(frappe.get_doc("SMO Service Level Agreement", agreement.name).repair_clocks(), 2)
		self.assertEqual({row[0]: row[2] for row in clock_state(tickets)[0]}, {t: 2 for t in tickets})
		self.assertEqual(
			frappe.db.count("Comment", {"reference_name": agreement.name, "comment_type": "Info"}),
			comments + 1,
		)


# ------------------------------------------------------------------------------------------- KPIs
class TestKPICloseFaults(KPITestCase):
	SERVICE = "_KPIF"

	def test_a_failing_period_leaves_no_half_measurement_and_the_close_finishes_it_later(self):
		from datetime import datetime
		from datetime import timezone

		with frozen(kpi_at("01-15", "12:00"), tick=True):
			kpi = make_kpi(service=self.SERVICE, target=99, amber=98, red=97)  # every month with tickets: Red
		when = datetime(2026, 4, 1, 5, 0, tzinfo=timezone.utc)
		improvements = frappe.db.count("SMO Improvement")
		for step, fault in (
			("the measurement", patch.object(measure, "measure_period", boom)),
			("the improvement a Red KPI raises", patch.object(measure, "raise_improvement", boom)),
		):
			with self.subTest(step=step):
				errors = frappe.db.count("Error Log")
				with fault:
					kpi_jobs.close_periods(when)  # each period in a savepoint: the failing ones roll back
				# no Red measurement without its improvement, no improvement without its measurement
				self.assertEqual(
					frappe.db.count("SMO KPI Measurement", {"kpi": kpi.name, "rag": "Red"}), 0, step
				)
				self.assertEqual(frappe.db.count("SMO Improvement"), improvements, step)
				self.assertGreater(frappe.db.count("Error Log"), errors, "the failure is logged")
		kpi_jobs.close_periods(when)
		periods = frappe.get_all(
			"SMO KPI Measurement", {"kpi": kpi.name}, pluck="period_label", order_by="period_start"
		)
		self.assertEqual(periods, ["2026-01", "2026-02", "2026-03"])
		red = frappe.get_all("SMO KPI Measurement", filters={"kpi": kpi.name, "rag": "Red"}, pluck="name")
		for name in red:
			self.assertEqual(
				frappe.db.count(
					"SMO Improvement", {"raised_from_doctype": "SMO KPI Measurement", "raised_from": name}
				),
				1,
			)
		self.assertEqual(kpi_jobs.close_periods(when), 0)  # and again: nothing twice


# ------------------------------------------------------------------------------------------- hypercare, PMO sync
class TestHypercareMoveFaults(HypercareTestCase):
	def window(self) -> tuple:
		values = frappe.db.get_value(
			"SMO PMO Liaison", self.liaison.name, ["go_live_date", "hypercare_until"], as_dict=True
		)
		comments = frappe.db.count(
			"Comment", {"reference_doctype": "SMO PMO Liaison", "reference_name": self.liaison.name}
		)
		return values.go_live_date, values.hypercare_until, comments

	def test_moving_the_window_fails_at_each_step_and_nothing_moves_or_is_enqueued(self):
		later = self.new_ticket(at(10, "09:00"), smo_service=SERVICE)
		before = (self.window(), list(clocks_of(later.name)))
		for step, fault in (
			("the recompute of the changed days", patch.object(hypercare, "enqueue_recompute", boom)),
			("the note on the liaison", patch.object(Document, "add_comment", boom)),
		):
			with self.subTest(step=step), RecordedQueue() as queue:
				frappe.db.savepoint("fault")
				with fault, self.assertRaises(Boom):
					doc = frappe.get_doc("SMO PMO Liaison", self.liaison.name)
					doc.hypercare_until = "2026-03-13"
					doc.save(ignore_permissions=True)
				frappe.db.rollback(save_point="fault")
				# nothing reached a queue: the recompute is enqueued only when the change commits (a failed
				# request's rollback drops what was to run after its commit)
				self.assertEqual(queue.calls, [], step)
			self.assertEqual((self.window(), list(clocks_of(later.name))), before, step)


class TestPMOSyncFaults(PMOSyncTestCase):
	def test_a_liaison_failing_after_its_values_were_written_keeps_its_last_good_values(self):
		name = self.synced("PROJ-1")
		good = liaison(name)
		real = sync.record_success

		def written_then_boom(*args, **kwargs):
			real(*args, **kwargs)  # every value of the liaison written, then the step fails
			raise Boom("injected fault after the values were written")

		for step, fault in (
			("after the values were written", patch.object(sync, "record_success", written_then_boom)),
			("the PMO's dates", patch.object(sync, "apply_dates", boom)),
		):
			with self.subTest(step=step):
				self.http.get(project_url("PROJ-1"), json={"data": project("PROJ-1", percent_complete=80)})
				with fault:
					self.assertEqual(sync.sync_liaison(name, now=LATER, client=self.client()), "Error")
				self.http.reset()
				row = liaison(name)
				for field in GOOD_FIELDS:
					self.assertEqual(row[field], good[field], (step, field))
				self.assertEqual(row.sync_status, "Error")
				self.assertIn("Boom", row.sync_error)
		self.http.get(project_url("PROJ-1"), json={"data": project("PROJ-1", percent_complete=80)})
		self.assertEqual(sync.sync_liaison(name, now=LATER, client=self.client()), "OK")
		row = liaison(name)
		self.assertEqual((row.percent_complete, row.last_synced_at, row.sync_status), (80, LATER, "OK"))


# ------------------------------------------------------------------------------------------- a killed worker
def kill_worker(pid: int) -> list[int]:
	"""SIGKILL a worker and every process it forked: RQ runs each job in a work horse that it puts in a session
	of its own (so killing the worker's process group would leave the horse running). Returns the horses."""
	import signal

	import psutil

	try:
		children = psutil.Process(pid).children(recursive=True)
	except psutil.NoSuchProcess:
		return []
	for process in [*children, psutil.Process(pid)]:
		try:
			process.send_signal(signal.SIGKILL)
		except psutil.NoSuchProcess:
			pass
	psutil.wait_procs(children, timeout=10)
	return [c.pid for c in children]


class TestWorkerKilled(SMOTestCase):
	"""A real `bench worker` process, killed (SIGKILL, its whole process group: the worker and the work horse
	it forked) in the middle of a recompute job: the job's transaction never commits, so the clocks are as
	before; the same job run again finishes it. Its records are committed for the worker and removed after."""

	SERVICE = "_TFK"
	CALENDAR = "_TFK Weekdays"

	def test_a_worker_killed_mid_job_leaves_the_clocks_as_before_and_the_job_runs_again(self):
		import os
		import subprocess
		import sys
		import tempfile
		import time

		from frappe.utils.background_jobs import get_queue

		frappe.set_user("Administrator")
		self.assertTrue(is_enabled())
		make_calendar(self.CALENDAR, windows={day: [("00:00", "24:00")] for day in WEEKDAYS})
		make_service(self.SERVICE)
		agreement = make_agreement(f"{self.SERVICE} SLA", self.SERVICE, calendar=self.CALENDAR)
		tickets = [
			str(make_ticket(subject=f"_TFK {i}", smo_service=self.SERVICE, priority="Medium").name)
			for i in range(4)
		]
		with RecordedQueue():  # the recompute the change enqueues is this test's own job
			medium = next(t for t in agreement.targets if t.priority == "Medium")
			medium.resolution_minutes = 300
			agreement.save(ignore_permissions=True)
			frappe.db.after_commit.run()
		frappe.db.commit()  # nosemgrep: the worker's own connection reads committed data only
		self.addCleanup(self.remove, agreement.name, tickets)
		before = clock_state(tickets)
		self.assertEqual({row[2] for row in before[0]}, {1})

		marker = tempfile.mktemp(prefix="smo-half-way-")
		queue = get_queue("long")
		# What earlier tests left on the queue is not this test's: the worker below would take those first (the
		# sites of a bench share its Redis, so another test site's leftovers count too).
		for job in queue.jobs:
			job.delete()
		frappe.enqueue(
			"smo_extension.tests.slow_job.recompute_slowly", queue="long", tickets=tickets, marker=marker
		)
		worker = subprocess.Popen(
			[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "worker", "--queue", "long"],
			cwd=frappe.local.sites_path,
			start_new_session=True,
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
		)
		try:
			deadline = time.monotonic() + 60
			while not os.path.exists(marker) and time.monotonic() < deadline and worker.poll() is None:
				time.sleep(0.2)
			self.assertTrue(os.path.exists(marker), "the job never reached half-way")
			horses = kill_worker(worker.pid)
			worker.wait(timeout=10)
			self.assertTrue(horses, "the job ran in no work horse of the worker")
		finally:
			if worker.poll() is None:
				kill_worker(worker.pid)
			if os.path.exists(marker):
				os.remove(marker)
		frappe.db.rollback()  # a fresh snapshot
		self.assertEqual(clock_state(tickets), before, "the killed job's half is not committed")
		# the job again (as RQ's retry or an operator would run it): done
		jobs.recompute_chunk(tickets)
		self.assertEqual({row[2] for row in clock_state(tickets)[0]}, {2})

	def remove(self, agreement: str, tickets: list[str]) -> None:
		frappe.db.rollback()
		for name in tickets:
			frappe.delete_doc("HD Ticket", name, force=True, ignore_permissions=True)
		frappe.db.delete("SMO Ticket SLA", {"agreement": agreement})
		frappe.db.delete("SMO Ticket Event", {"ticket": ("in", tickets)})
		frappe.delete_doc("SMO Service Level Agreement", agreement, force=True, ignore_permissions=True)
		frappe.delete_doc("SMO Service", self.SERVICE, force=True, ignore_permissions=True)
		frappe.delete_doc("SMO Business Calendar", self.CALENDAR, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: the records were committed for the worker
