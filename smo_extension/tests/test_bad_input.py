"""Bad input over HTTP, for every whitelisted method and every report: wrong types, lists for scalars, huge
values, unknown names. Each is answered with a translated ValidationError / PermissionError / DoesNotExistError
(never a 500), writes nothing and leaves no Error Log entry."""

from __future__ import annotations

import inspect
import json
import typing

import frappe

from smo_extension import contract
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import OWNER
from smo_extension.tests.http import error_log_count
from smo_extension.tests.http import session
from smo_extension.tests.test_permission_matrix import ACTIVE_SVC
from smo_extension.tests.test_permission_matrix import MatrixTestCase
from smo_extension.tests.test_permission_matrix import import_all_modules
from smo_extension.tests.test_permission_matrix import method_args
from smo_extension.tests.test_permission_matrix import report_filter_sets

CLEAR_ERRORS = (400, 403, 404, 409, 417)
HUGE = "x" * 20_000


class BadInputTestCase(MatrixTestCase):
	def setUp(self):
		super().setUp()
		self.errors_before = error_log_count()

	def tearDown(self):
		self.assertEqual(error_log_count(), self.errors_before, "a bad input left an Error Log entry")
		super().tearDown()

	def assertClearError(self, answer, exc_types: tuple[str, ...] | None = None):
		self.assertIn(answer.status, CLEAR_ERRORS, answer)
		self.assertTrue(answer.message, f"no message for the user: {answer!r}")
		self.assertNotIn("Traceback", answer.message)
		self.assertNotIn("SELECT", answer.message.upper().split("<")[0])
		if exc_types:
			self.assertIn(answer.exc_type, exc_types, answer)


def function_params(method: str) -> dict[str, object]:
	import_all_modules()
	fn = inspect.unwrap(frappe.get_attr(method))
	hints = typing.get_type_hints(fn)
	return {name: hints.get(name) for name in inspect.signature(fn).parameters if name != "self"}


class TestWhitelistedArguments(BadInputTestCase):
	def test_wrong_types_get_a_translated_error_naming_the_argument(self):
		manager = session(MANAGER)
		for method in contract.METHODS:
			if method.startswith("SMO "):
				continue
			for param, annotation in function_params(method).items():
				if annotation is None:
					continue
				accepted = {getattr(a, "__origin__", a) for a in (*typing.get_args(annotation), annotation)}
				for bad in ([1, 2], {"a": 1}):
					if type(bad) in accepted:
						continue
					with self.subTest(method=method, param=param, value=bad):
						answer = manager.call(method, **{**method_args(self, method), param: bad})
						self.assertClearError(answer, ("SMOArgumentError",))
						self.assertIn(param, answer.message)

	def test_huge_values_are_refused(self):
		manager = session(MANAGER)
		for method in contract.METHODS:
			if method.startswith("SMO "):
				continue
			for param, annotation in function_params(method).items():
				if annotation is None or str not in (*typing.get_args(annotation), annotation):
					continue
				with self.subTest(method=method, param=param):
					answer = manager.call(method, **{**method_args(self, method), param: HUGE})
					self.assertClearError(answer, ("SMOArgumentError",))

	def test_unknown_names(self):
		manager = session(MANAGER)
		for method, args in (
			("smo_extension.api.sla.get_ticket_clocks", {"ticket": "no-such-ticket"}),
			("smo_extension.api.sla.get_ticket_clocks", {"ticket": 987654321}),
			("smo_extension.api.catalog.get_service", {"service": "_NO SUCH SERVICE"}),
			("smo_extension.api.governance.get_service_liaisons", {"service": "_NO SUCH SERVICE"}),
		):
			with self.subTest(method=method, args=args):
				self.assertClearError(manager.call(method, **args), ("DoesNotExistError",))

	def test_controller_methods(self):
		manager = session(MANAGER)
		policy = self.record("SMO Policy", OWNER)
		for method, args in (
			("make_new_version", {"version": ["2.0"]}),
			("make_new_version", {"version": HUGE}),
			("mark_reviewed", {"reviewed_on": {"day": 1}}),
		):
			with self.subTest(method=method, args=args):
				answer = manager.doc_method("SMO Policy", policy, method, **args)
				self.assertClearError(answer)
				self.assertFalse(frappe.db.exists("SMO Policy", {"supersedes": policy}))
		count = frappe.db.count("SMO Policy")
		answer = manager.doc_method("SMO Policy", policy, "make_new_version", version="v" * 200)
		self.assertClearError(answer, ("SMOPolicyError",))
		self.assertEqual(frappe.db.count("SMO Policy"), count)


class TestReportFilters(BadInputTestCase):
	def test_every_filter_of_every_report_is_type_checked(self):
		manager = session(MANAGER)
		for report in contract.REPORTS:
			module = frappe.get_module(
				f"smo_extension.smo.report.{frappe.scrub(report)}.{frappe.scrub(report)}"
			)
			base = report_filter_sets(report)[0]
			for field in module.FILTERS:
				for bad in (["a", "b"], {"x": 1}, HUGE, "not-a-value-of-this-filter"):
					with self.subTest(report=report, field=field, value=str(bad)[:30]):
						answer = manager.run_report(report, {**base, field: bad})
						if (
							bad == "not-a-value-of-this-filter"
							and type(module.FILTERS[field]).__name__ == "Filter"
						):
							continue  # free text: any value is a value
						self.assertClearError(answer, ("SMOReportFilterError", "DoesNotExistError"))
						self.assertIn(_label(module.FILTERS[field]), answer.message)

	def test_filters_that_are_not_an_object(self):
		manager = session(MANAGER)
		for filters in ("[1, 2]", '"text"', "{not json"):
			with self.subTest(filters=filters):
				self.assertClearError(
					manager.run_report("SLA Compliance", filters), ("SMOReportFilterError",)
				)

	def test_a_period_that_ends_before_it_starts(self):
		answer = session(MANAGER).run_report(
			"SLA Compliance", {"from_date": "2026-05-01", "to_date": "2026-04-01", "service": ACTIVE_SVC}
		)
		self.assertClearError(answer, ("SMOPeriodError",))


def _label(spec) -> str:
	return spec.label


class TestDocumentValues(BadInputTestCase):
	def test_a_weekday_that_does_not_exist(self):
		values = {
			"calendar_name": "_PM Funday",
			"timezone": "Europe/Rome",
			"windows": [{"weekday": "Funday", "start_time": "09:00:00", "end_time": "17:00:00"}],
		}
		answer = session(MANAGER).create("SMO Business Calendar", values)
		self.assertClearError(answer, ("SMOCalendarError", "SMOInvalidValueError"))
		self.assertIn("Funday", answer.message)
		self.assertFalse(frappe.db.exists("SMO Business Calendar", "_PM Funday"))

	def test_a_review_period_is_between_1_and_120_months(self):
		manager = session(MANAGER)
		policy = self.record("SMO Policy", OWNER)
		for months in (100000, 121, 0, -1):
			with self.subTest(months=months):
				answer = manager.update("SMO Policy", policy, {"review_every_months": months})
				self.assertClearError(answer, ("SMOPolicyError",))
				self.assertEqual(frappe.db.get_value("SMO Policy", policy, "review_every_months"), 12)
		answer = manager.update("SMO Policy", policy, {"review_every_months": 120})
		self.assertEqual(answer.status, 200, answer)
		manager.update("SMO Policy", policy, {"review_every_months": 12})

	def test_text_that_does_not_fit_its_column(self):
		manager = session(MANAGER)
		for doctype, name, field in (
			("SMO Business Calendar", "_PM Calendar", "description"),
			("SMO Improvement", self.record("SMO Improvement", OWNER), "expected_benefit"),
			("SMO Policy", self.record("SMO Policy", OWNER), "policy_text"),
			("SMO Charter", "SMO Charter", "vision"),
		):
			with self.subTest(doctype=doctype, field=field):
				before = frappe.db.get_value(doctype, name, field)
				answer = manager.update(doctype, name, {field: "é" * 1_100_000})
				self.assertClearError(answer, ("SMOValueTooLargeError",))
				self.assertEqual(frappe.db.get_value(doctype, name, field), before)

	def test_numbers_that_do_not_fit(self):
		manager = session(MANAGER)
		for doctype, name, field, value in (
			("SMO Service Level Agreement", "_PM OWN SLA", "compliance_target", 1e30),
			("SMO Charter", "SMO Charter", "annual_budget", 1e30),
			("SMO Policy", self.record("SMO Policy", OWNER), "review_every_months", 10**15),
		):
			with self.subTest(doctype=doctype, field=field):
				before = frappe.db.get_value(doctype, name, field)
				self.assertClearError(manager.update(doctype, name, {field: value}))
				self.assertEqual(frappe.db.get_value(doctype, name, field), before)

	def test_a_settings_value_out_of_range(self):
		manager = session(MANAGER)
		for field, value in (
			("at_risk_percent", 150),
			("pmo_sync_interval_minutes", 1),
			("pmo_timeout_seconds", 10**6),
		):
			with self.subTest(field=field):
				before = frappe.db.get_single_value("SMO Settings", field)
				self.assertClearError(manager.update("SMO Settings", "SMO Settings", {field: value}))
				self.assertEqual(frappe.db.get_single_value("SMO Settings", field), before)

	def test_a_json_number_for_a_text_name(self):
		answer = session(MANAGER).post(
			"/api/method/smo_extension.api.catalog.get_service", {"service": 12345}
		)
		self.assertClearError(answer, ("DoesNotExistError", "SMOArgumentError"))
		self.assertIn("12345", json.dumps(answer.json))


TARGET_ROWS = [{"priority": "High", "response_minutes": 30, "resolution_minutes": 240}]


class TestRequestShapes(BadInputTestCase):
	def agreement(self, **values) -> dict:
		return {
			"agreement_name": "_PM bad",
			"agreement_type": "SLA",
			"service": "_PM-OWN",
			"status": "Draft",
			"valid_from": "2026-01-01",
			"compliance_target": 95,
			"targets": TARGET_ROWS,
			**values,
		}

	def test_values_of_the_wrong_kind_are_named(self):
		manager = session(MANAGER)
		for values, exc_type, label in (
			({"targets": "not a list"}, "SMORequestError", "Targets"),
			({"targets": [["High", 30]]}, "SMORequestError", "Targets"),
			({"agreement_name": ["_PM", "bad"]}, "SMORequestError", "Agreement Name"),
			({"valid_from": "2026-99-99"}, "SMOInvalidValueError", "Valid From"),
			({"valid_from": "0099-01-01"}, "SMOInvalidValueError", "Valid From"),
			({"compliance_target": "abc"}, "SMOInvalidValueError", "Compliance Target"),
			({"compliance_target": "NaN"}, "SMOInvalidValueError", "Compliance Target"),
			({"agreement_type": "Gentlemen's"}, "SMOInvalidValueError", "Agreement Type"),
			(
				{"targets": [{"priority": "High", "response_minutes": "x", "resolution_minutes": 60}]},
				"SMOInvalidValueError",
				"Response",
			),
			(
				{"targets": [{"priority": "High", "response_minutes": 30, "resolution_minutes": 10**13}]},
				"SMOValueTooLargeError",
				"Resolution",
			),
		):
			with self.subTest(values=str(values)[:60]):
				answer = manager.create("SMO Service Level Agreement", self.agreement(**values))
				self.assertClearError(answer, (exc_type,))
				self.assertIn(label, answer.message)
				self.assertFalse(frappe.db.exists("SMO Service Level Agreement", "_PM bad"))

	def test_numbers_sent_as_text_are_numbers_for_the_controller(self):
		answer = session(MANAGER).create(
			"SMO Service Level Agreement",
			self.agreement(
				compliance_target="97.5",
				targets=[{"priority": "High", "response_minutes": "30", "resolution_minutes": "240"}],
			),
		)
		self.assertEqual(answer.status, 200, answer)
		self.assertEqual(
			frappe.db.get_value("SMO Service Level Agreement", "_PM bad", "compliance_target"), 97.5
		)
		frappe.delete_doc("SMO Service Level Agreement", "_PM bad", force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep

	def test_a_missing_or_out_of_range_argument(self):
		manager = session(MANAGER)
		for method, args, exc_type in (
			("smo_extension.api.sla.get_ticket_clocks", {}, "SMOArgumentError"),
			("smo_extension.api.catalog.get_service", {}, "SMOArgumentError"),
			(
				"smo_extension.api.catalog.get_service_catalog",
				{"lifecycle_stage": "Bogus"},
				"SMOArgumentError",
			),
			(
				"smo_extension.api.governance.get_policies_due_for_review",
				{"within_days": 10**12},
				"SMOArgumentError",
			),
			(
				"smo_extension.api.governance.get_policies_due_for_review",
				{"within_days": -5},
				"SMOArgumentError",
			),
		):
			with self.subTest(method=method, args=args):
				self.assertClearError(manager.call(method, **args), (exc_type,))

	def test_an_action_that_does_not_exist(self):
		answer = session(MANAGER).doc_method("SMO Policy", self.record("SMO Policy", OWNER), "no_such_action")
		self.assertClearError(answer, ("DoesNotExistError",))
		self.assertIn("no_such_action", answer.message)


class TestStatementWithoutEmail(BadInputTestCase):
	def test_sending_without_an_outgoing_account_says_so(self):
		from smo_extension.tests.test_permission_matrix import OUTGOING

		frappe.delete_doc("Email Account", OUTGOING, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
		queued = frappe.db.count("Email Queue")
		answer = session(MANAGER).doc_method("SMO SLA Statement", self.statement, "send_to_contacts")
		self.assertClearError(answer, ("SMOStatementError",))
		self.assertIn("Email Account", answer.message)
		self.assertEqual(frappe.db.count("Email Queue"), queued)


class TestPathsAroundTheGuard(BadInputTestCase):
	"""What a client reaches by the routes Frappe offers besides `/api/method/<m>` and `/api/resource`."""

	def test_get_count_on_an_smo_doctype_only_for_those_who_may_read_it(self):
		from smo_extension.tests.test_permission_matrix import USERS

		for doctype, rows in contract.DOCTYPES.items():
			for persona, user in USERS.items():
				may_read = contract.READ in rows.get(persona, {})
				with self.subTest(doctype=doctype, persona=persona):
					answer = session(user).call_get("frappe.client.get_count", doctype=doctype)
					if may_read and frappe.get_meta(doctype).issingle:
						self.assertClearError(answer, ("SMORequestError",))
					elif may_read:
						self.assertEqual(answer.status, 200, answer)
						self.assertIsInstance(answer.data, int)
					else:
						self.assertIn(answer.status, (401, 403), answer)
						self.assertNotIsInstance(answer.data, int)

	def test_report_filters_are_checked_on_every_route_to_the_runner(self):
		manager = session(MANAGER)
		filters = json.dumps({"service": ["X"], "from_date": "2026-01-01", "to_date": "2026-01-31"})
		args = {"report_name": "SLA Compliance", "filters": filters, "ignore_prepared_report": 1}
		for route in ("/api/method/", "/api/v1/method/"):
			with self.subTest(route=route):
				answer = manager.post(f"{route}frappe.desk.query_report.run", args)
				self.assertClearError(answer, ("SMOReportFilterError",))
				self.assertIn("Service", answer.message)
		# API v2 answers errors in its own shape
		answer = manager.post("/api/v2/method/frappe.desk.query_report.run", args)
		self.assertEqual(answer.status, 417, answer)
		(error,) = answer.json["errors"]
		self.assertEqual(error["type"], "SMOReportFilterError")
		self.assertIn("Service", error["message"])
		# the old `cmd` field of a request to the site's root
		answer = manager.request("POST", "/", data={"cmd": "frappe.desk.query_report.run", **args})
		self.assertIn(answer.status, CLEAR_ERRORS, answer)
		self.assertNotIn('"result"', answer.text)
		# a GET, and the filters as an object of the JSON body rather than a JSON string
		answer = manager.get("/api/method/frappe.desk.query_report.run", args)
		self.assertClearError(answer, ("SMOReportFilterError",))
		answer = manager.post(
			"/api/method/frappe.desk.query_report.run", {**args, "filters": json.loads(filters)}
		)
		self.assertClearError(answer, ("SMOReportFilterError",))
		# (the class's tearDown: none of these left an Error Log entry)


class TestCalendarWindowEnds(BadInputTestCase):
	def test_a_window_may_end_at_24_00_and_is_stored_as_midnight(self):
		from smo_extension.sla.config import calendar_windows

		name = "_PM 24h end"

		def remove():
			frappe.delete_doc("SMO Business Calendar", name, force=True, ignore_missing=True)
			frappe.db.commit()  # nosemgrep: the calendar was committed by the request

		self.addCleanup(remove)
		values = {
			"calendar_name": name,
			"timezone": "Europe/Rome",
			"windows": [{"weekday": "Monday", "start_time": "18:00", "end_time": "24:00"}],
		}
		answer = session(MANAGER).create("SMO Business Calendar", values)
		self.assertEqual(answer.status, 200, answer)
		doc = frappe.get_doc("SMO Business Calendar", name)
		self.assertEqual(str(doc.windows[0].end_time), "0:00:00")
		self.assertEqual(calendar_windows(doc.windows), {0: [("18:00", "24:00")]})
		answer = session(MANAGER).update(
			"SMO Business Calendar",
			name,
			{"windows": [{"weekday": "Monday", "start_time": "20:00", "end_time": "24:00:00"}]},
		)
		self.assertEqual(answer.status, 200, answer)

	def test_24_00_anywhere_else_says_how_to_write_midnight(self):
		values = {
			"calendar_name": "_PM 24h start",
			"timezone": "Europe/Rome",
			"windows": [{"weekday": "Monday", "start_time": "24:00", "end_time": "18:00"}],
		}
		answer = session(MANAGER).create("SMO Business Calendar", values)
		self.assertClearError(answer, ("SMOInvalidValueError",))
		self.assertIn("00:00", answer.message)
		self.assertFalse(frappe.db.exists("SMO Business Calendar", "_PM 24h start"))
