"""Scale-out on Frappe's own mechanisms (issue 19): heavy reads take the read replica when the site config names
one, and the SLA reports become Prepared Reports once the clock table is large.

The replica here is the primary itself, reached over TCP as Frappe's `connect_replica` reaches a replica (this
machine runs one MariaDB): what is tested is that the read path takes the replica connection, every query of it,
and gives the primary back afterwards."""

from __future__ import annotations

import json
from contextlib import contextmanager
from unittest.mock import patch

import frappe
from frappe.database.mariadb.database import MariaDBDatabase
from frappe.utils import getdate

from smo_extension import scale
from smo_extension.engine import kpi as kpi_engine
from smo_extension.kpi import measure
from smo_extension.smo.report.sla_compliance import sla_compliance
from smo_extension.tests.factories import AGENT
from smo_extension.tests.factories import ANALYST
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.http import session
from smo_extension.tests.test_permission_matrix import ACTIVE_SVC
from smo_extension.tests.test_permission_matrix import DENIED
from smo_extension.tests.test_permission_matrix import MatrixTestCase

PREPARED = "SLA Breaches"  # one of scale.CLOCK_REPORTS
BREACH_FILTERS = {"from_date": "2020-01-01", "to_date": "2030-12-31", "service": ACTIVE_SVC}
REPORT_FILTERS = {
	"from_date": "2020-01-01",
	"to_date": "2030-12-31",
	"group_by": "Customer",
	"service": ACTIVE_SVC,
}


@contextmanager
def replica_configured():
	"""The site config of a site with a read replica (the replica is the primary, over TCP)."""
	conf = {
		"read_from_replica": 1,
		"replica_host": "127.0.0.1",
		"replica_db_port": frappe.conf.db_port or 3306,
	}
	with patch.dict(frappe.local.conf, conf):
		yield


@contextmanager
def connections_used():
	"""The database connection (object) of every query run inside the block, in order."""
	used = []
	original = MariaDBDatabase.sql

	def spy(self, *args, **kwargs):
		used.append(self)
		return original(self, *args, **kwargs)

	with patch.object(MariaDBDatabase, "sql", autospec=True, side_effect=spy):
		yield used


class TestReadReplica(MatrixTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		super().tearDown()

	def test_a_report_reads_every_row_from_the_replica_and_gives_the_primary_back(self):
		frappe.set_user(MANAGER)
		expected = sla_compliance.execute(dict(REPORT_FILTERS))
		primary = frappe.local.db
		with replica_configured(), connections_used() as used:
			got = sla_compliance.execute(dict(REPORT_FILTERS))
		self.assertTrue(used, "the report ran no query")
		self.assertNotIn(primary, used, "a query of the report went to the primary")
		self.assertIs(frappe.local.db, primary)
		self.assertFalse(hasattr(frappe.local, "replica_db"))
		self.assertTrue(all(conn._conn is None for conn in used), "the replica connection was left open")
		self.assertEqual(got[1], expected[1])  # same committed rows, read from the other connection
		running = sum(row.get("running", 0) for row in expected[1] if isinstance(row, dict))
		self.assertGreaterEqual(running, 3, "the fixtures gave the report no clocks")

	def test_each_batch_of_a_job_reads_from_the_replica_after_frappe_own_read_only(self):
		"""Frappe's `read_only` leaves its connections behind on `frappe.local`; a job that reads in batches
		(the KPI close) still reads every batch from the replica."""
		primary = frappe.local.db

		@frappe.read_only()
		def frappe_read():
			return frappe.db.sql("select 1")

		window = measure.period_window(kpi_engine.period_containing("Monthly", getdate("2026-03-15")))
		definitions = measure.load_definitions()
		with replica_configured():
			frappe_read()
			with connections_used() as used:
				measure.compute(definitions, window)
				first = len(used)
				measure.compute(definitions, window)
		batches = used[:first], used[first:]
		for batch in batches:
			self.assertNotIn(primary, batch)
		self.assertIs(frappe.local.db, primary)

	def test_without_a_replica_reads_stay_on_the_primary(self):
		primary = frappe.local.db
		with connections_used() as used:
			sla_compliance.execute(dict(REPORT_FILTERS))
		self.assertTrue(used)
		self.assertEqual({id(c) for c in used}, {id(primary)})


class TestPreparedReports(MatrixTestCase):
	def setUp(self):
		super().setUp()
		self.addCleanup(self.restore)

	def restore(self):
		frappe.set_user("Administrator")
		frappe.db.set_single_value("SMO Settings", "prepared_reports_from", 1_000_000)
		frappe.clear_document_cache("SMO Settings", "SMO Settings")
		scale.decide_prepared_reports()
		frappe.db.delete("Prepared Report", {"report_name": ("in", list(scale.CLOCK_REPORTS))})
		frappe.db.commit()  # nosemgrep: the reports are site-wide; no other test may find them prepared

	def set_threshold(self, value: int) -> dict:
		settings = frappe.get_doc("SMO Settings")
		settings.prepared_reports_from = value
		settings.save()
		frappe.db.commit()  # nosemgrep: the requests below see the decision
		return {r: frappe.db.get_value("Report", r, "prepared_report") for r in scale.CLOCK_REPORTS}

	def test_the_clock_reports_become_prepared_from_the_threshold_and_come_back(self):
		self.assertGreater(scale.clock_count(), 0)
		self.assertEqual(set(self.set_threshold(1).values()), {1})
		for report in scale.REGISTER_REPORTS:
			self.assertEqual(frappe.db.get_value("Report", report, "prepared_report"), 0, report)
		self.assertEqual(set(self.set_threshold(2_000_000_000).values()), {0})

	def test_the_reports_that_replay_every_ticket_are_prepared_sooner(self):
		def decided(count: int) -> set[str]:
			result = scale.decide_prepared_reports(count=count, threshold=1_000_000)
			self.assertEqual(set(result), set(scale.CLOCK_REPORTS))
			stored = {r for r in scale.CLOCK_REPORTS if frappe.db.get_value("Report", r, "prepared_report")}
			self.assertEqual(stored, {r for r, prepared in result.items() if prepared})
			return stored

		self.assertEqual(decided(3_999), set())
		self.assertEqual(decided(4_000), {"SLA What-If"})
		self.assertEqual(decided(10_000), {"SLA What-If", "SLA Time by Team"})
		self.assertEqual(decided(499_999), {"SLA What-If", "SLA Time by Team"})
		self.assertEqual(decided(500_000), {"SLA What-If", "SLA Time by Team", "Error Budget"})
		self.assertEqual(decided(999_999), {"SLA What-If", "SLA Time by Team", "Error Budget"})
		self.assertEqual(decided(1_000_000), set(scale.CLOCK_REPORTS))
		for report in scale.REGISTER_REPORTS:
			self.assertEqual(frappe.db.get_value("Report", report, "prepared_report"), 0, report)

	def test_zero_leaves_the_choice_to_the_report_form(self):
		self.set_threshold(1)
		self.assertEqual(set(self.set_threshold(0).values()), {1}, "0 must leave the reports as they are")
		self.assertEqual(scale.decide_prepared_reports(count=2_000_000_000), {})

	def test_a_manager_gets_the_prepared_result_over_http(self):
		from frappe.core.doctype.prepared_report import prepared_report

		interactive = session(MANAGER).run_report(PREPARED, BREACH_FILTERS)
		self.assertEqual(interactive.status, 200, interactive)
		self.set_threshold(1)
		first = session(MANAGER).call(
			"frappe.desk.query_report.run", report_name=PREPARED, filters=json.dumps(BREACH_FILTERS)
		)
		self.assertEqual(first.status, 200, first)
		self.assertTrue(first.data.get("prepared_report"), first)
		self.assertIsNone(first.data["doc"])  # nothing prepared yet: the page offers to generate it
		queued = []
		with patch.object(prepared_report, "enqueue", side_effect=lambda *a, **k: queued.append(k)):
			made = session(MANAGER).call(
				"frappe.core.doctype.prepared_report.prepared_report.make_prepared_report",
				report_name=PREPARED,
				filters=json.dumps(BREACH_FILTERS),
			)
		self.assertEqual(made.status, 200, made)
		self.assertEqual(len(queued), 1)
		self.assertEqual(queued[0]["queue"], "long")
		# the long queue's worker runs it as the manager who asked (on the replica where there is one)
		frappe.set_user(MANAGER)
		prepared_report.generate_report(queued[0]["prepared_report"])
		frappe.set_user("Administrator")
		frappe.db.commit()  # nosemgrep
		done = session(MANAGER).call(
			"frappe.desk.query_report.run", report_name=PREPARED, filters=json.dumps(BREACH_FILTERS)
		)
		self.assertEqual(done.status, 200, done)
		self.assertEqual(done.data["doc"]["status"], "Completed")
		self.assertTrue(done.data["doc"]["report_end_time"])
		self.assertEqual(done.data["result"], interactive.data["result"])
		# the manager's result is the manager's: an analyst with the same filters has none prepared yet
		other = session(ANALYST).call(
			"frappe.desk.query_report.run", report_name=PREPARED, filters=json.dumps(BREACH_FILTERS)
		)
		self.assertEqual(other.status, 200, other)
		self.assertTrue(other.data["prepared_report"])
		self.assertIsNone(other.data["doc"])
		# an agent may not run the SLA reports, prepared or not
		denied = session(AGENT).call(
			"frappe.desk.query_report.run", report_name=PREPARED, filters=json.dumps(BREACH_FILTERS)
		)
		self.assertIn(denied.status, DENIED, denied)
