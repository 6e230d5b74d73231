"""PMO sync against a mocked PMO site (`responses`): every liaison records its own result, failures keep the
last good values, a gone project is flagged not deleted, and the API secret never lands anywhere readable."""

import json
from datetime import date
from datetime import datetime
from datetime import timedelta
from unittest.mock import patch

import frappe
import requests
import responses

from smo_extension.pmo import sync
from smo_extension.smo.doctype.smo_policy.test_smo_policy import GovernanceTestCase
from smo_extension.smo.doctype.smo_settings.smo_settings import SMOSettingsError
from smo_extension.tests.factories import PMO_KEY
from smo_extension.tests.factories import PMO_SECRET
from smo_extension.tests.factories import PMO_URL
from smo_extension.tests.factories import make_liaison
from smo_extension.tests.factories import make_service
from smo_extension.tests.factories import set_pmo_connection
from smo_extension.tests.factories import set_settings

NOW = datetime(2026, 3, 2, 10, 0)
LATER = NOW + timedelta(hours=1)
LIST_URL = f"{PMO_URL}/api/resource/Project"


def project_url(name: str) -> str:
	return f"{LIST_URL}/{name}"


def project(name: str, **values) -> dict:
	return {
		"name": name,
		"project_name": f"Project {name}",
		"status": "Open",
		"percent_complete": 25,
		"expected_end_date": "2026-06-30",
		**values,
	}


def liaison(name: str) -> "frappe._dict":
	return frappe.db.get_value(
		"SMO PMO Liaison",
		name,
		"project_title project_status percent_complete expected_end last_synced_at last_sync_attempt_at sync_status sync_error project_missing modified".split(),
		as_dict=True,
	)


GOOD_FIELDS = ("project_title", "project_status", "percent_complete", "expected_end", "last_synced_at")


class PMOSyncTestCase(GovernanceTestCase):
	def setUp(self):
		super().setUp()
		self.http = responses.RequestsMock(assert_all_requests_are_fired=True)
		self.http.start()
		self.addCleanup(self.http.reset)
		self.addCleanup(self.http.stop)
		self.sleeps = []
		set_pmo_connection()
		make_service("_PMOSVC")
		# Error Log is not transactional: remove what a test logs for its liaisons.
		self.addCleanup(
			frappe.db.delete,
			"Error Log",
			{"reference_doctype": "SMO PMO Liaison", "creation": (">=", frappe.utils.now_datetime())},
		)

	def client(self):
		return sync.get_client(sleep=self.sleeps.append)

	def synced(self, project_name: str = "PROJ-1", **values) -> str:
		"""A liaison that synced successfully once at NOW."""
		name = make_liaison("_PMOSVC", project=project_name, **values).name
		self.http.get(project_url(project_name), json={"data": project(project_name)})
		self.assertEqual(sync.sync_liaison(name, now=NOW, client=self.client()), "OK")
		self.http.reset()
		return name

	def assert_kept_good_values(self, name: str, before: dict):
		after = liaison(name)
		for field in (*GOOD_FIELDS, "modified"):
			self.assertEqual(after[field], before[field], field)


class TestSyncOneLiaison(PMOSyncTestCase):
	def test_success_writes_the_project_values(self):
		name = make_liaison("_PMOSVC", project="PROJ-1").name
		self.http.get(project_url("PROJ-1"), json={"data": project("PROJ-1", percent_complete=42.5)})
		self.assertEqual(sync.sync_liaison(name, now=NOW, client=self.client()), "OK")
		row = liaison(name)
		self.assertEqual(row.project_title, "Project PROJ-1")
		self.assertEqual(row.project_status, "Open")
		self.assertEqual(row.percent_complete, 42.5)
		self.assertEqual(row.expected_end, date(2026, 6, 30))
		self.assertEqual((row.last_synced_at, row.last_sync_attempt_at), (NOW, NOW))
		self.assertEqual((row.sync_status, row.sync_error, row.project_missing), ("OK", None, 0))
		# The client was built from SMO Settings with the decrypted secret and the configured timeout.
		request = self.http.calls[0].request
		self.assertEqual(request.headers["Authorization"], f"token {PMO_KEY}:{PMO_SECRET}")
		self.assertEqual(request.req_kwargs["timeout"], 10)

	def test_rejected_credentials_change_nothing_but_the_sync_result(self):
		for status in (401, 403):
			name = self.synced(f"PROJ-{status}")
			before = liaison(name)
			self.http.get(
				project_url(f"PROJ-{status}"), status=status, json={"exc_type": "AuthenticationError"}
			)
			self.assertEqual(sync.sync_liaison(name, now=LATER, client=self.client()), "Credentials Rejected")
			after = liaison(name)
			self.assertEqual(after.sync_status, "Credentials Rejected")
			self.assertIn("rejected the credentials", after.sync_error)
			self.assertIn(str(status), after.sync_error)
			self.assertEqual(after.last_sync_attempt_at, LATER)
			self.assert_kept_good_values(name, before)
			self.assertEqual(len(self.http.calls), 1)  # no retry on 4xx
			self.http.reset()
		self.assertEqual(self.sleeps, [])

	def test_a_gone_project_is_flagged_not_deleted(self):
		name = self.synced("PROJ-GONE")
		before = liaison(name)
		self.http.get(project_url("PROJ-GONE"), status=404, json={"exc_type": "DoesNotExistError"})
		self.assertEqual(sync.sync_liaison(name, now=LATER, client=self.client()), "Not Found")
		after = liaison(name)
		self.assertEqual((after.sync_status, after.project_missing), ("Not Found", 1))
		self.assertIn("PROJ-GONE no longer exists", after.sync_error)
		self.assert_kept_good_values(name, before)
		self.assertTrue(frappe.db.exists("SMO PMO Liaison", name))
		# when it comes back, the flag clears
		self.http.get(project_url("PROJ-GONE"), json={"data": project("PROJ-GONE", status="Completed")})
		sync.sync_liaison(name, now=LATER + timedelta(hours=1), client=self.client())
		self.assertEqual((liaison(name).project_missing, liaison(name).project_status), (0, "Completed"))

	def test_server_error_then_success_is_retried(self):
		name = make_liaison("_PMOSVC", project="PROJ-R").name
		self.http.get(project_url("PROJ-R"), status=500, body="Internal Server Error")
		self.http.get(project_url("PROJ-R"), json={"data": project("PROJ-R")})
		self.assertEqual(sync.sync_liaison(name, now=NOW, client=self.client()), "OK")
		self.assertEqual(len(self.http.calls), 2)
		self.assertEqual(self.sleeps, [0.5])

	def test_timeout_keeps_the_last_good_values(self):
		name = self.synced("PROJ-SLOW")
		before = liaison(name)
		for _ in range(4):
			self.http.get(project_url("PROJ-SLOW"), body=requests.exceptions.ReadTimeout("slow"))
		self.assertEqual(sync.sync_liaison(name, now=LATER, client=self.client()), "Unavailable")
		after = liaison(name)
		self.assertEqual(after.sync_status, "Unavailable")
		self.assertIn("did not answer within 10 s", after.sync_error)
		self.assert_kept_good_values(name, before)
		self.assertEqual(self.sleeps, [0.5, 1.0, 2.0])

	def test_malformed_json_keeps_the_last_good_values(self):
		name = self.synced("PROJ-HTML")
		before = liaison(name)
		self.http.get(project_url("PROJ-HTML"), body="<html>Login</html>", content_type="text/html")
		self.assertEqual(sync.sync_liaison(name, now=LATER, client=self.client()), "Bad Response")
		self.assertIn("not JSON", liaison(name).sync_error)
		self.assert_kept_good_values(name, before)

	def test_impossible_values_are_a_bad_response(self):
		name = self.synced("PROJ-ODD")
		before = liaison(name)
		self.http.get(project_url("PROJ-ODD"), json={"data": project("PROJ-ODD", percent_complete="lots")})
		self.assertEqual(sync.sync_liaison(name, now=LATER, client=self.client()), "Bad Response")
		self.assert_kept_good_values(name, before)

	def test_missing_connection_is_recorded_without_a_call(self):
		name = make_liaison("_PMOSVC", project="PROJ-NC").name
		set_settings(pmo_api_secret="")
		self.assertEqual(sync.sync_liaison(name, now=NOW), "Error")
		self.assertIn("not set up", liaison(name).sync_error)
		self.assertEqual(len(self.http.calls), 0)


class TestSyncRun(PMOSyncTestCase):
	def test_a_partial_page_reads_the_rest_one_by_one(self):
		names = [make_liaison("_PMOSVC", project=p).name for p in ("PROJ-A", "PROJ-B", "PROJ-C")]
		# One list call for the chunk; the PMO returns two of three (a partial page), the third is read alone.
		self.http.get(LIST_URL, json={"data": [project("PROJ-A"), project("PROJ-B", status="Completed")]})
		self.http.get(project_url("PROJ-C"), status=404)
		counts = sync.run_sync(now=NOW, client=self.client(), names=names)
		self.assertEqual(counts, {"OK": 2, "Not Found": 1})
		self.assertEqual([liaison(n).sync_status for n in names], ["OK", "OK", "Not Found"])
		self.assertEqual(liaison(names[1]).project_status, "Completed")
		params = self.http.calls[0].request.params
		self.assertEqual(json.loads(params["filters"]), [["name", "in", ["PROJ-A", "PROJ-B", "PROJ-C"]]])
		self.assertEqual(params["limit_page_length"], "3")
		self.assertEqual(len(self.http.calls), 2)

	def test_one_failing_liaison_does_not_stop_the_others(self):
		names = [make_liaison("_PMOSVC", project=p).name for p in ("PROJ-D", "PROJ-E", "PROJ-F", "PROJ-G")]
		# The list is refused (not a site failure): each project is read on its own.
		self.http.get(LIST_URL, status=417, json={"exc_type": "ValidationError"})
		for _ in range(4):
			self.http.get(project_url("PROJ-D"), status=502)
		self.http.get(project_url("PROJ-E"), json={"data": project("PROJ-E")})
		self.http.get(project_url("PROJ-F"), body="not json")
		self.http.get(project_url("PROJ-G"), body=RuntimeError("driver crashed"))
		counts = sync.run_sync(now=NOW, client=self.client(), names=names)
		self.assertEqual(
			[liaison(n).sync_status for n in names], ["Unavailable", "OK", "Bad Response", "Error"]
		)
		self.assertEqual(counts, {"Unavailable": 1, "OK": 1, "Bad Response": 1, "Error": 1})
		self.assertTrue(frappe.db.exists("Error Log", {"reference_name": names[3]}))

	def test_rejected_credentials_stop_calls_for_the_whole_run(self):
		names = [make_liaison("_PMOSVC", project=f"PROJ-H{i}").name for i in range(5)]
		self.http.get(LIST_URL, status=401)
		with patch.object(sync, "CHUNK", 2):
			counts = sync.run_sync(now=NOW, client=self.client(), names=names)
		self.assertEqual(counts, {"Credentials Rejected": 5})
		self.assertEqual(len(self.http.calls), 1)
		self.assertTrue(all("rejected the credentials" in liaison(n).sync_error for n in names))

	def test_an_unreachable_site_is_tried_once_per_run(self):
		names = [make_liaison("_PMOSVC", project=f"PROJ-U{i}").name for i in range(3)]
		for _ in range(4):
			self.http.get(LIST_URL, body=requests.exceptions.ConnectionError("refused"))
		with patch.object(sync, "CHUNK", 2):
			counts = sync.run_sync(now=NOW, client=self.client(), names=names)
		self.assertEqual(counts, {"Unavailable": 3})
		self.assertEqual(len(self.http.calls), 4)  # one call with its retries, not one per chunk

	def test_local_projects_read_this_site(self):
		name = make_liaison("_PMOSVC", project="LOCAL-1").name
		frappe.db.set_value("SMO PMO Liaison", name, "project_source", "This Site")
		if not sync.local_projects_available():
			self.assertEqual(sync.sync_liaison(name, now=NOW), "Error")
			self.assertIn("ERPNext is not installed", liaison(name).sync_error)
		local = {"name": "LOCAL-1", "project_name": "Here", "status": "Open", "percent_complete": 10.0}
		with (
			patch.object(sync, "local_projects_available", return_value=True),
			patch.object(sync, "read_local_project", return_value=local),
		):
			self.assertEqual(sync.run_sync(now=NOW, names=[name]), {"OK": 1})
		self.assertEqual((liaison(name).project_title, liaison(name).percent_complete), ("Here", 10))
		with (
			patch.object(sync, "local_projects_available", return_value=True),
			patch.object(sync, "read_local_project", return_value=None),
		):
			self.assertEqual(sync.sync_liaison(name, now=LATER), "Not Found")
		self.assertEqual((liaison(name).project_missing, liaison(name).project_title), (1, "Here"))
		self.assertEqual(len(self.http.calls), 0)

	def test_due_liaisons_follow_the_interval(self):
		fresh = self.synced("PROJ-FRESH")
		never = make_liaison("_PMOSVC", project="PROJ-NEVER").name
		closed = make_liaison(
			"_PMOSVC", project="PROJ-CLOSED", transition_stage="Closed", go_live_date="2026-01-01"
		).name
		mine = {fresh, never, closed}

		def due(at: datetime) -> list[str]:
			return [name for name in sync.due_liaisons(at) if name in mine]

		self.assertEqual(due(NOW + timedelta(minutes=30)), [never])
		# an hourly interval is due at the 15-minute tick just before the hour is over
		self.assertEqual(due(NOW + timedelta(minutes=56)), [never, fresh])
		set_settings(pmo_sync_interval_minutes=240)
		self.assertEqual(due(NOW + timedelta(minutes=56)), [never])
		self.assertEqual(due(NOW + timedelta(days=30)), [never, fresh])

	def test_scheduler_enqueues_one_deduplicated_job_when_due(self):
		make_liaison("_PMOSVC", project="PROJ-Q")
		with patch.object(frappe, "enqueue") as enqueue:
			sync.sync_all_liaisons()
		enqueue.assert_called_once()
		self.assertEqual(enqueue.call_args.args[0], "smo_extension.pmo.sync.run_sync")
		self.assertEqual(enqueue.call_args.kwargs["job_id"], "smo_extension:pmo_sync")
		self.assertTrue(enqueue.call_args.kwargs["deduplicate"])

	def test_disabled_app_syncs_nothing(self):
		name = make_liaison("_PMOSVC", project="PROJ-OFF").name
		set_settings(enabled=0)
		with patch.object(frappe, "enqueue") as enqueue:
			sync.sync_all_liaisons()
		enqueue.assert_not_called()
		self.assertEqual(sync.run_sync(now=NOW, client=self.client()), {})
		self.assertIsNone(liaison(name).sync_status)
		self.assertEqual(len(self.http.calls), 0)


class TestSecret(PMOSyncTestCase):
	def test_the_secret_never_reaches_stored_errors_or_the_error_log(self):
		names = [make_liaison("_PMOSVC", project=p).name for p in ("PROJ-S1", "PROJ-S2", "PROJ-S3")]
		echo = f"upstream said: Authorization: token {PMO_KEY}:{PMO_SECRET}"
		self.http.get(LIST_URL, status=400, body=echo)
		for _ in range(4):
			self.http.get(project_url("PROJ-S1"), status=503, body=echo)
		self.http.get(project_url("PROJ-S2"), body=RuntimeError(echo))
		self.http.get(project_url("PROJ-S3"), status=403, body=echo)
		# Error Log is not transactional (MyISAM): look only at the logs this test writes.
		logs_before = set(frappe.get_all("Error Log", pluck="name"))
		sync.run_sync(now=NOW, client=self.client(), names=names)
		stored = [liaison(n).sync_error for n in names]
		self.assertEqual(
			[liaison(n).sync_status for n in names], ["Unavailable", "Error", "Credentials Rejected"]
		)
		for text in stored:
			self.assertNotIn(PMO_SECRET, text)
		self.assertIn("*****", stored[1])  # the unexpected error's own text was kept, redacted
		logs = [
			log
			for log in frappe.get_all("Error Log", fields=["name", "error", "method", "reference_name"])
			if log.name not in logs_before
		]
		self.assertEqual([log.reference_name for log in logs], [names[1]])
		for log in logs:
			self.assertNotIn(PMO_SECRET, log.error + (log.method or ""))

	def test_the_secret_is_not_readable_from_the_settings_document(self):
		settings = frappe.get_single("SMO Settings")
		self.assertNotIn(PMO_SECRET, json.dumps(settings.as_dict(), default=str))
		self.assertEqual(settings.get_password("pmo_api_secret"), PMO_SECRET)
		for version in frappe.get_all(
			"Version",
			filters={"ref_doctype": "SMO Settings"},
			pluck="data",
			order_by="creation desc",
			limit=5,
		):
			self.assertNotIn(PMO_SECRET, version)


class TestPMOSettings(GovernanceTestCase):
	def test_bad_connection_settings_are_refused(self):
		for values in (
			{"pmo_base_url": "pmo.example.com"},
			{"pmo_base_url": "ftp://pmo.example.com"},
			{"pmo_base_url": f"https://admin:{PMO_SECRET}@pmo.example.com"},
			{"pmo_sync_interval_minutes": 5},
			{"pmo_sync_interval_minutes": -60},
			{"pmo_timeout_seconds": 0},
			{"pmo_timeout_seconds": 600},
			{"policy_review_warning_days": -1},
		):
			with self.assertRaises(SMOSettingsError, msg=values):
				set_settings(**values)

	def test_defaults_and_trailing_slash(self):
		settings = frappe.get_single("SMO Settings")
		self.assertEqual((settings.pmo_sync_interval_minutes, settings.pmo_timeout_seconds), (60, 10))
		self.assertEqual((settings.forbid_self_approval, settings.policy_review_warning_days), (1, 30))
		set_settings(pmo_base_url="https://pmo.example.com/")
		self.assertEqual(
			frappe.db.get_single_value("SMO Settings", "pmo_base_url"), "https://pmo.example.com"
		)
