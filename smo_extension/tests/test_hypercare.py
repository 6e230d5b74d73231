"""Hypercare: a liaison's stricter agreement judges the tickets opened in its window, and only those."""

from unittest.mock import patch

import frappe
from frappe.utils import getdate

from smo_extension.pmo import sync
from smo_extension.pmo.client import ProjectSnapshot
from smo_extension.sla import hypercare
from smo_extension.sla import jobs
from smo_extension.sla.config import clear_config_cache
from smo_extension.sla.config import get_config
from smo_extension.sla.config import select_agreements
from smo_extension.smo.doctype.smo_pmo_liaison.smo_pmo_liaison import SMOHypercareAgreementError
from smo_extension.smo.doctype.smo_pmo_liaison.smo_pmo_liaison import SMOHypercareOverlapError
from smo_extension.smo.doctype.smo_pmo_liaison.smo_pmo_liaison import SMOHypercareWindowError
from smo_extension.smo.doctype.smo_pmo_liaison.smo_pmo_liaison import SMOLiaisonError
from smo_extension.smo.doctype.smo_service_level_agreement.smo_service_level_agreement import (
	SMOAgreementError,
)
from smo_extension.smo.report.sla_compliance import sla_compliance
from smo_extension.tests import SMOTestCase
from smo_extension.tests.factories import AGENT
from smo_extension.tests.factories import ANALYST
from smo_extension.tests.factories import HELPDESK_ADMIN
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import OWNER
from smo_extension.tests.factories import PORTAL
from smo_extension.tests.factories import clocks_of
from smo_extension.tests.factories import ensure_test_users
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_customer
from smo_extension.tests.factories import make_hypercare
from smo_extension.tests.factories import make_liaison
from smo_extension.tests.factories import make_service
from smo_extension.tests.factories import set_settings
from smo_extension.tests.http import session
from smo_extension.tests.test_ticket_sla import SLATestCase
from smo_extension.tests.test_ticket_sla import at

SERVICE = "_HCS"
GENERAL = "_HCS SLA"
HYPERCARE = "_HCS Hypercare SLA"


class HypercareTestCase(SLATestCase):
	"""Each test runs inside a savepoint that is rolled back after it (the cached config is dropped too)."""

	def setUp(self):
		super().setUp()
		frappe.db.savepoint("smo_hypercare_test")
		self.addCleanup(self.roll_back)
		set_settings(customer_sla_wins_in_hypercare=1)
		make_service(SERVICE)
		make_agreement(GENERAL, SERVICE, calendar="_Test Weekdays")
		# hypercare from Monday 2 March to Friday 6 March 2026, both days included
		self.liaison = make_hypercare(SERVICE, "2026-03-02", "2026-03-06", calendar="_Test Weekdays")
		clear_config_cache()

	def roll_back(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="smo_hypercare_test")
		frappe.clear_document_cache("SMO Settings", "SMO Settings")
		frappe.cache.delete_value("smo_extension:sla_config")

	def run_enqueued(self, enqueue, when: str) -> list[str]:
		"""Run the recompute jobs a patched frappe.enqueue received; returns the tickets they covered."""
		tickets = []
		with self.freeze_time(when):
			for call in enqueue.call_args_list:
				if call.args and call.args[0] == "smo_extension.sla.jobs.recompute_chunk":
					self.assertEqual(call.kwargs["queue"], "long")
					jobs.recompute_chunk(call.kwargs["tickets"], call.kwargs["include_stopped"])
					tickets += call.kwargs["tickets"]
		return tickets


class TestHypercareJudgesTheWindow(HypercareTestCase):
	def test_tickets_opened_inside_the_window_are_judged_by_the_hypercare_agreement(self):
		first_day = self.new_ticket(at(2, "09:00"), smo_service=SERVICE)
		last_day = self.new_ticket(at(6, "16:00"), smo_service=SERVICE)
		after = self.new_ticket(at(9, "09:00"), smo_service=SERVICE)
		for ticket in (first_day, last_day):
			(clock,) = clocks_of(ticket.name).values()
			self.assertEqual(clock.agreement, HYPERCARE)
			self.assertEqual((clock.agreement_version, clock.hypercare_liaison), (1, self.liaison.name))
			# Medium during hypercare: 120 business minutes, not the general 480
			self.assertEqual(clock.resolution_target_minutes, 120)
		(clock,) = clocks_of(after.name).values()
		self.assertEqual((clock.agreement, clock.hypercare_liaison), (GENERAL, None))
		self.assertEqual(clock.resolution_target_minutes, 480)
		self.assertEqual(
			getdate(frappe.db.get_value("HD Ticket", first_day.name, "smo_resolution_due")),
			getdate(at(2, "11:00")),
		)

	def test_a_hypercare_agreement_never_judges_outside_a_window(self):
		before = self.new_ticket(at(1, "12:00"), smo_service=SERVICE)  # Sunday before go-live
		self.assertEqual(list(clocks_of(before.name)), [GENERAL])
		config = get_config()
		self.assertEqual(
			[a["name"] for a in select_agreements(config, SERVICE, None, [], getdate("2026-03-07"))],
			[GENERAL],
		)
		self.assertEqual(
			[a["name"] for a in select_agreements(config, SERVICE, None, [], getdate("2026-03-02"))],
			[HYPERCARE],
		)
		# a liaison that has not gone live (stage Transition) does not judge, even with its agreement named
		make_service("_HCT")
		make_agreement("_HCT SLA", "_HCT")
		make_agreement("_HCT Hypercare", "_HCT", is_hypercare=1)
		make_liaison(
			"_HCT",
			transition_stage="Transition",
			go_live_date="2026-03-02",
			hypercare_until="2026-03-06",
			hypercare_agreement="_HCT Hypercare",
		)
		clear_config_cache()
		self.assertEqual(
			[a["name"] for a in select_agreements(get_config(), "_HCT", None, [], getdate("2026-03-03"))],
			["_HCT SLA"],
		)

	def test_a_customer_sla_wins_only_when_the_settings_say_so(self):
		make_customer("_HC Gold Customer")
		make_agreement("_HCS Gold", SERVICE, customer="_HC Gold Customer", calendar="_Test Weekdays")
		gold = self.new_ticket(at(3, "09:00"), smo_service=SERVICE, customer="_HC Gold Customer")
		(clock,) = clocks_of(gold.name).values()
		# the customer's own SLA judges, and the clock still says the ticket was opened in hypercare
		self.assertEqual((clock.agreement, clock.hypercare_liaison), ("_HCS Gold", self.liaison.name))
		set_settings(customer_sla_wins_in_hypercare=0)
		other = self.new_ticket(at(3, "10:00"), smo_service=SERVICE, customer="_HC Gold Customer")
		self.assertEqual(list(clocks_of(other.name)), [HYPERCARE])

	def test_olas_keep_judging_their_teams_in_hypercare(self):
		make_agreement(
			"_HCS OLA", SERVICE, agreement_type="OLA", team="_SMO Team A", calendar="_Test Weekdays"
		)
		ticket = self.new_ticket(at(3, "09:00"), smo_service=SERVICE, agent_group="_SMO Team A")
		clocks = clocks_of(ticket.name)
		self.assertEqual(set(clocks), {HYPERCARE, "_HCS OLA"})
		self.assertEqual(clocks["_HCS OLA"].hypercare_liaison, self.liaison.name)

	def test_the_ticket_save_reads_no_liaison(self):
		"""The windows come from the cached config: saving a ticket runs no query on the liaisons."""
		ticket = self.new_ticket(at(3, "09:00"), smo_service=SERVICE)
		get_config()  # warm
		queries = []
		real_sql = frappe.db.sql

		def spy(query, *args, **kwargs):
			queries.append(str(query))
			return real_sql(query, *args, **kwargs)

		with patch.object(frappe.db, "sql", side_effect=spy):
			self.change(ticket.name, at(3, "09:30"), priority="High")
		self.assertFalse([q for q in queries if "tabSMO PMO Liaison" in q], queries)
		self.assertEqual(clocks_of(ticket.name)[HYPERCARE].priority, "High")

	def test_compliance_report_tells_hypercare_from_normal_operation(self):
		inside = self.new_ticket(at(3, "09:00"), smo_service=SERVICE)
		self.change(inside.name, at(3, "15:00"), status="Resolved")  # 6 h > 2 h: breached
		outside = self.new_ticket(at(9, "09:00"), smo_service=SERVICE)
		self.change(outside.name, at(9, "10:00"), status="Resolved")  # met
		base = {
			"from_date": "2026-03-01",
			"to_date": "2026-03-31",
			"service": SERVICE,
			"group_by": "Agreement",
		}

		def rows(operation=None):
			_c, data, *_ = sla_compliance.execute({**base, "operation": operation})
			return {r["group_value"]: (r["met"], r["breached"]) for r in data}

		self.assertEqual(rows(), {GENERAL: (1, 0), HYPERCARE: (0, 1)})
		self.assertEqual(rows("Hypercare"), {HYPERCARE: (0, 1)})
		self.assertEqual(rows("Normal Operation"), {GENERAL: (1, 0)})
		with self.assertRaises(frappe.ValidationError):
			sla_compliance.execute({**base, "operation": "Sometimes"})


class TestHypercareErrors(HypercareTestCase):
	def test_overlapping_windows_of_one_service(self):
		with self.assertRaises(SMOHypercareOverlapError) as raised:
			make_hypercare(SERVICE, "2026-03-06", "2026-03-20", agreement=HYPERCARE)
		self.assertIn(self.liaison.name, str(raised.exception))
		make_hypercare(SERVICE, "2026-03-07", "2026-03-20", agreement=HYPERCARE)  # the day after is fine
		# another service may have the same days
		make_service("_HCO")
		make_hypercare("_HCO", "2026-03-02", "2026-03-06")

	def test_an_agreement_of_another_service(self):
		make_service("_HCO")
		make_agreement("_HCO Hypercare SLA", "_HCO", is_hypercare=1)
		with self.assertRaises(SMOHypercareAgreementError) as raised:
			make_hypercare(SERVICE, "2026-04-01", "2026-04-10", agreement="_HCO Hypercare SLA")
		self.assertIn("_HCO", str(raised.exception))
		# nor an agreement that is not marked for hypercare, nor an OLA
		with self.assertRaises(SMOHypercareAgreementError):
			make_hypercare(SERVICE, "2026-04-01", "2026-04-10", agreement=GENERAL)

	def test_a_window_ending_before_it_starts(self):
		with self.assertRaises(SMOHypercareWindowError) as raised:
			make_hypercare(SERVICE, "2026-04-10", "2026-04-01", agreement=HYPERCARE)
		self.assertIn("before", str(raised.exception))
		self.assertIsInstance(raised.exception, SMOLiaisonError)

	def test_entering_hypercare_names_the_agreement_and_the_end(self):
		with self.assertRaises(SMOHypercareAgreementError):
			make_liaison(
				SERVICE, transition_stage="Hypercare", go_live_date="2026-04-01", hypercare_until="2026-04-10"
			)
		with self.assertRaises(SMOHypercareWindowError):
			make_liaison(
				SERVICE,
				transition_stage="Hypercare",
				go_live_date="2026-04-01",
				hypercare_agreement=HYPERCARE,
			)

	def test_hypercare_agreements_are_general_slas_and_stay_hypercare_while_named(self):
		make_customer("_HC Gold Customer")
		with self.assertRaises(SMOAgreementError):
			make_agreement("_HCS Gold Hypercare", SERVICE, is_hypercare=1, customer="_HC Gold Customer")
		ola = make_agreement("_HCS OLA HC", SERVICE, agreement_type="OLA", team="_SMO Team A", is_hypercare=1)
		self.assertEqual(ola.is_hypercare, 0)
		agreement = frappe.get_doc("SMO Service Level Agreement", HYPERCARE)
		agreement.is_hypercare = 0
		with self.assertRaises(SMOAgreementError) as raised:
			agreement.save(ignore_permissions=True)
		self.assertIn(self.liaison.name, str(raised.exception))

	def test_the_errors_are_translated_messages(self):
		with self.assertRaises(SMOHypercareOverlapError):
			make_hypercare(SERVICE, "2026-03-01", "2026-03-02", agreement=HYPERCARE)
		messages = [frappe.parse_json(m).get("message", "") for m in frappe.local.message_log]
		self.assertTrue(any("overlaps" in m for m in messages), messages)


class TestHypercareMoves(HypercareTestCase):
	def test_moving_the_go_live_recomputes_the_running_tickets_of_the_changed_days(self):
		monday = self.new_ticket(at(2, "09:00"), smo_service=SERVICE)  # will fall outside
		stopped = self.new_ticket(at(2, "09:30"), smo_service=SERVICE)
		self.change(stopped.name, at(2, "10:00"), status="Resolved")
		wednesday = self.new_ticket(at(4, "09:00"), smo_service=SERVICE)  # stays inside
		self.assertEqual(list(clocks_of(monday.name)), [HYPERCARE])
		snapshot = ProjectSnapshot("x", "Go-live moved", "Open", 90.0, None, go_live=getdate("2026-03-04"))
		with patch("frappe.enqueue") as enqueue:
			status = sync.record_success(
				self.liaison.name, snapshot, frappe.utils.get_datetime(at(3, "08:00"))
			)
		self.assertEqual(status, "OK")
		self.assertEqual(
			str(frappe.db.get_value("SMO PMO Liaison", self.liaison.name, "go_live_date")), "2026-03-04"
		)
		recomputed = self.run_enqueued(enqueue, at(3, "09:00"))
		# Monday and Tuesday left the window: their running tickets, nothing else
		self.assertEqual(recomputed, [str(monday.name)])
		self.assertEqual(list(clocks_of(monday.name)), [GENERAL])
		self.assertIsNone(clocks_of(monday.name)[GENERAL].hypercare_liaison)
		# the stopped clock keeps the agreement that judged it (repair is the audited way)
		self.assertEqual(list(clocks_of(stopped.name)), [HYPERCARE])
		self.assertEqual(list(clocks_of(wednesday.name)), [HYPERCARE])
		comments = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "SMO PMO Liaison", "reference_name": self.liaison.name},
			pluck="content",
		)
		self.assertTrue(any("PMO sync" in c and "Repair Clocks" in c for c in comments), comments)
		# and the audited repair moves the stopped one
		with self.freeze_time(at(3, "09:00")):
			frappe.get_doc("SMO Service Level Agreement", HYPERCARE).repair_clocks()
		self.assertEqual(list(clocks_of(stopped.name)), [GENERAL])

	def test_extending_hypercare_moves_the_new_days_in(self):
		later = self.new_ticket(at(10, "09:00"), smo_service=SERVICE)
		self.assertEqual(list(clocks_of(later.name)), [GENERAL])
		with patch("frappe.enqueue") as enqueue:
			doc = frappe.get_doc("SMO PMO Liaison", self.liaison.name)
			doc.hypercare_until = "2026-03-13"
			doc.save(ignore_permissions=True)
		self.assertEqual(self.run_enqueued(enqueue, at(10, "09:30")), [str(later.name)])
		self.assertEqual(clocks_of(later.name)[HYPERCARE].hypercare_liaison, self.liaison.name)

	def test_a_liaison_moved_to_another_service_gives_the_old_one_back_its_normal_sla(self):
		old = self.new_ticket(at(3, "09:00"), smo_service=SERVICE)
		make_service("_HCO")
		make_agreement("_HCO SLA", "_HCO", calendar="_Test Weekdays")
		make_agreement("_HCO Hypercare SLA", "_HCO", is_hypercare=1, calendar="_Test Weekdays")
		new = self.new_ticket(at(3, "10:00"), smo_service="_HCO")
		self.assertEqual(list(clocks_of(new.name)), ["_HCO SLA"])
		with patch("frappe.enqueue") as enqueue:
			doc = frappe.get_doc("SMO PMO Liaison", self.liaison.name)
			doc.service, doc.hypercare_agreement = "_HCO", "_HCO Hypercare SLA"
			doc.save(ignore_permissions=True)
		self.assertEqual(
			sorted(self.run_enqueued(enqueue, at(3, "11:00"))), sorted([str(old.name), str(new.name)])
		)
		self.assertEqual(list(clocks_of(old.name)), [GENERAL])
		self.assertEqual(list(clocks_of(new.name)), ["_HCO Hypercare SLA"])

	def test_dates_from_the_pmo_that_the_checks_refuse_are_reported_not_taken(self):
		snapshot = ProjectSnapshot("x", "t", "Open", 50.0, None, hypercare_until=getdate("2026-02-20"))
		with patch("frappe.enqueue") as enqueue:
			status = sync.record_success(
				self.liaison.name, snapshot, frappe.utils.get_datetime(at(3, "08:00"))
			)
		self.assertEqual(status, sync.BAD_RESPONSE)
		row = frappe.db.get_value(
			"SMO PMO Liaison",
			self.liaison.name,
			["hypercare_until", "sync_status", "sync_error", "project_title"],
			as_dict=True,
		)
		self.assertEqual(str(row.hypercare_until), "2026-03-06")
		self.assertIn("not taken", row.sync_error)
		self.assertEqual(row.project_title, "t")  # the other values are the PMO's
		self.assertFalse(enqueue.call_args_list)

	def test_the_sync_reads_the_configured_project_fields(self):
		set_settings(pmo_go_live_field="custom_go_live", pmo_hypercare_end_field="custom_hypercare_end")
		self.assertEqual(sync.project_fields()[-2:], ("custom_go_live", "custom_hypercare_end"))
		with self.assertRaises(frappe.ValidationError):
			set_settings(pmo_go_live_field="go live; drop")
		set_settings(pmo_go_live_field="", pmo_hypercare_end_field="")
		self.assertEqual(sync.date_fields(), (None, None))

	def test_leaving_hypercare_at_the_end_of_the_window(self):
		inside = self.new_ticket(at(5, "09:00"), smo_service=SERVICE)
		self.assertEqual(
			hypercare.end_hypercare(getdate("2026-03-06")), []
		)  # the last day is still hypercare
		with patch("frappe.enqueue") as enqueue:
			self.assertEqual(hypercare.end_hypercare(getdate("2026-03-07")), [self.liaison.name])
		self.assertFalse(enqueue.call_args_list)  # the window did not change
		doc = frappe.get_doc("SMO PMO Liaison", self.liaison.name)
		self.assertEqual((doc.transition_stage, str(doc.hypercare_ended_on)), ("Closed", "2026-03-07"))
		comments = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "SMO PMO Liaison", "reference_name": doc.name},
			pluck="content",
		)
		self.assertTrue(any("Hypercare ended" in c for c in comments), comments)
		# a ticket opened in the window is still judged by the hypercare agreement when recomputed later
		with self.freeze_time(at(9, "09:00")):
			jobs.recompute_tickets([str(inside.name)])
		self.assertEqual(list(clocks_of(inside.name)), [HYPERCARE])
		self.assertEqual(hypercare.end_hypercare(getdate("2026-03-08")), [])  # once


class TestHypercareOverHTTP(SMOTestCase):
	"""The liaison's hypercare errors and the report's Operation filter, as the people who use them."""

	SERVICE = "_HCH"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		ensure_test_users()
		make_service(cls.SERVICE)
		make_agreement(f"{cls.SERVICE} SLA", cls.SERVICE)
		cls.liaison = make_hypercare(cls.SERVICE, "2026-03-02", "2026-03-06").name
		make_service("_HCH2")
		make_agreement("_HCH2 Hypercare SLA", "_HCH2", is_hypercare=1)
		frappe.db.commit()  # nosemgrep: the requests run on their own connection

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		for name in frappe.get_all(
			"SMO PMO Liaison", filters={"service": ("in", [cls.SERVICE, "_HCH2"])}, pluck="name"
		):
			frappe.delete_doc("SMO PMO Liaison", name, force=True, ignore_permissions=True)
		for name in (f"{cls.SERVICE} SLA", f"{cls.SERVICE} Hypercare SLA", "_HCH2 Hypercare SLA"):
			frappe.delete_doc("SMO Service Level Agreement", name, force=True, ignore_permissions=True)
		for name in (cls.SERVICE, "_HCH2"):
			frappe.delete_doc("SMO Service", name, force=True, ignore_permissions=True)
		frappe.cache.delete_value("smo_extension:sla_config")
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def liaison_values(self, **values) -> dict:
		return {
			"service": self.SERVICE,
			"project": f"PROJ-H-{frappe.generate_hash(length=6)}",
			"relationship": "Hypercare",
			"transition_stage": "Hypercare",
			"project_source": "PMO Site",
			"hypercare_agreement": f"{self.SERVICE} Hypercare SLA",
			**values,
		}

	def test_each_hypercare_mistake_is_a_clear_error_over_http(self):
		manager = session(MANAGER)
		cases = {
			"SMOHypercareOverlapError": {"go_live_date": "2026-03-05", "hypercare_until": "2026-03-20"},
			"SMOHypercareAgreementError": {
				"go_live_date": "2026-04-01",
				"hypercare_until": "2026-04-10",
				"hypercare_agreement": "_HCH2 Hypercare SLA",
			},
			"SMOHypercareWindowError": {"go_live_date": "2026-04-10", "hypercare_until": "2026-04-01"},
		}
		before = frappe.db.count("SMO PMO Liaison", {"service": self.SERVICE})
		for exc_type, values in cases.items():
			answer = manager.create("SMO PMO Liaison", self.liaison_values(**values))
			self.assertEqual((answer.status, answer.exc_type), (417, exc_type), answer)
			self.assertTrue(answer.message, exc_type)
		self.assertEqual(frappe.db.count("SMO PMO Liaison", {"service": self.SERVICE}), before)
		answer = manager.create(
			"SMO PMO Liaison", self.liaison_values(go_live_date="2026-04-01", hypercare_until="2026-04-10")
		)
		self.assertEqual(answer.status, 200, answer)
		frappe.delete_doc("SMO PMO Liaison", answer.data["name"], force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep

	def test_only_smo_managers_write_the_window(self):
		for user in (ANALYST, OWNER, AGENT, HELPDESK_ADMIN, PORTAL):
			answer = session(user).update("SMO PMO Liaison", self.liaison, {"hypercare_until": "2026-03-31"})
			self.assertIn(answer.status, (403, 404), (user, answer))
		self.assertEqual(
			str(frappe.db.get_value("SMO PMO Liaison", self.liaison, "hypercare_until")), "2026-03-06"
		)

	def test_the_operation_filter_opens_for_every_report_role(self):
		filters = {"from_date": "2026-03-01", "to_date": "2026-03-31", "operation": "Hypercare"}
		for user in (MANAGER, ANALYST, OWNER):
			for operation in ("Hypercare", "Normal Operation", ""):
				answer = session(user).run_report("SLA Compliance", {**filters, "operation": operation})
				self.assertEqual(answer.status, 200, (user, operation, answer))
			answer = session(user).run_report("SLA Compliance", {**filters, "operation": "Sometimes"})
			self.assertEqual((answer.status, answer.exc_type), (417, "SMOReportFilterError"), (user, answer))
			self.assertIn("Operation", answer.message)
		for user in (AGENT, PORTAL):
			self.assertEqual(session(user).run_report("SLA Compliance", filters).status, 403, user)
