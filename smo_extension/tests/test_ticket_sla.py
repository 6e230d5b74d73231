"""Live SLA compliance on HD Ticket saves: events, clocks, summary fields, and the bad inputs of issue 4."""

import frappe
from frappe.utils import get_datetime

from smo_extension import helpdesk_compat
from smo_extension.sla.ticket import SMOTicketError
from smo_extension.smo.doctype.smo_service_level_agreement.smo_service_level_agreement import (
	SMOAgreementError,
)
from smo_extension.tests import SMOTestCase
from smo_extension.tests.factories import clocks_of
from smo_extension.tests.factories import events_of
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_calendar
from smo_extension.tests.factories import make_customer
from smo_extension.tests.factories import make_service
from smo_extension.tests.factories import make_team
from smo_extension.tests.factories import make_ticket
from smo_extension.tests.factories import set_settings

# 2026-03-02 is a Monday. The test calendar works Mon-Fri 09:00-17:00 in the site's time zone.
MON_0900 = "2026-03-02 09:00:00"


def at(day: int, hhmm: str) -> str:
	"""Site-time instant: March `day` 2026 at HH:MM."""
	return f"2026-03-{day:02d} {hhmm}:00"


class SLATestCase(SMOTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		set_settings(enabled=1)
		make_calendar("_Test Weekdays")
		make_team("_SMO Team A")
		make_team("_SMO Team B")
		make_customer("_SMO Customer Gold")
		make_service("_TST", support_team="_SMO Team A")
		make_agreement("_TST SLA", "_TST", calendar="_Test Weekdays")

	def setUp(self):
		frappe.set_user("Administrator")

	def new_ticket(self, when: str = MON_0900, **fields):
		fields.setdefault("smo_service", "_TST")
		fields.setdefault("priority", "Medium")
		with self.freeze_time(when):
			return make_ticket(**fields)

	def change(self, ticket: str, when: str, **values):
		with self.freeze_time(when):
			doc = frappe.get_doc("HD Ticket", ticket)
			doc.update(values)
			doc.save(ignore_permissions=True)
			return doc


class TestTicketClocks(SLATestCase):
	def test_new_ticket_gets_running_clock_and_summary(self):
		ticket = self.new_ticket()
		doc = frappe.get_doc("HD Ticket", ticket.name)
		self.assertEqual(doc.smo_service, "_TST")
		self.assertEqual(doc.smo_sla_state, "Running")
		# Medium: response 60, resolution 480 business minutes from Monday 09:00 → 10:00 and 17:00 the same day.
		self.assertEqual(get_datetime(doc.smo_response_due), get_datetime(at(2, "10:00")))
		self.assertEqual(get_datetime(doc.smo_resolution_due), get_datetime(at(2, "17:00")))
		row = clocks_of(ticket.name)["_TST SLA"]
		self.assertEqual(row.resolution_state, "Running")
		self.assertEqual(row.agreement_version, 1)
		self.assertEqual(row.resolution_target_minutes, 480)
		# at risk at 75 % of 480 minutes = 360 minutes → 15:00
		self.assertEqual(get_datetime(row.next_check_at), get_datetime(at(2, "09:45")))

	def test_saving_without_change_appends_nothing_and_changes_nothing(self):
		ticket = self.new_ticket()
		events = events_of(ticket.name)
		row = clocks_of(ticket.name)["_TST SLA"]
		self.change(ticket.name, at(2, "09:30"), description="only the description changes")
		self.assertEqual(events_of(ticket.name), events)
		self.assertEqual(clocks_of(ticket.name)["_TST SLA"].modified, row.modified)

	def test_two_quick_saves_leave_one_row_per_agreement(self):
		ticket = self.new_ticket()
		self.change(ticket.name, at(2, "09:10"), priority="High")
		self.change(ticket.name, at(2, "09:10"), priority="Urgent")
		rows = frappe.get_all("SMO Ticket SLA", filters={"ticket": ticket.name}, pluck="agreement")
		self.assertEqual(rows, ["_TST SLA"])
		# The unique index refuses a second row for the same ticket and agreement.
		with self.assertRaises(Exception) as raised:
			frappe.db.bulk_insert(
				"SMO Ticket SLA", ["name", "ticket", "agreement"], [("dup-test", ticket.name, "_TST SLA")]
			)
		self.assertTrue(frappe.db.is_duplicate_entry(raised.exception))

	def test_priority_change_applies_new_target_to_whole_clock(self):
		ticket = self.new_ticket(priority="Low")
		self.assertEqual(clocks_of(ticket.name)["_TST SLA"].resolution_state, "Running")
		# At 10:30 it becomes Urgent (resolution 60 min): 90 business minutes are gone, so the clock is breached,
		# and it crossed its target at 10:00 - retroactively from creation.
		doc = self.change(ticket.name, at(2, "10:30"), priority="Urgent")
		row = clocks_of(ticket.name)["_TST SLA"]
		self.assertEqual(row.resolution_state, "Breached")
		self.assertEqual(get_datetime(row.resolution_breached_at), get_datetime(at(2, "10:00")))
		self.assertEqual(row.resolution_target_minutes, 60)
		self.assertEqual(row.response_state, "Breached")  # 15 minutes, crossed at 09:15
		self.assertEqual(get_datetime(row.response_breached_at), get_datetime(at(2, "09:15")))
		self.assertEqual(doc.smo_sla_state, "Breached")

	def test_pause_over_night_and_resolve(self):
		ticket = self.new_ticket()
		# 10:00 replied (Paused): 60 minutes counted; Tuesday 09:00 the customer answers (Open);
		# Tuesday 10:00 resolved: 60 + 60 = 120 business minutes of 480 → Met.
		self.change(ticket.name, at(2, "10:00"), status="Replied")
		paused = frappe.get_doc("HD Ticket", ticket.name)
		self.assertEqual(paused.smo_sla_state, "Paused")
		self.change(ticket.name, at(3, "09:00"), status="Open")
		doc = self.change(ticket.name, at(3, "10:00"), status="Resolved")
		row = clocks_of(ticket.name)["_TST SLA"]
		self.assertEqual(row.resolution_state, "Met")
		self.assertAlmostEqual(row.resolution_elapsed_minutes, 120.0, places=1)
		self.assertEqual(get_datetime(row.resolution_stopped_at), get_datetime(at(3, "10:00")))
		self.assertFalse(row.is_running)
		self.assertEqual(doc.smo_sla_state, "Met")
		fields = [e[1] for e in events_of(ticket.name)]
		self.assertEqual(fields.count("status_category"), 4)

	def test_reopen_after_resolve_keeps_accumulating(self):
		ticket = self.new_ticket()
		self.change(ticket.name, at(2, "11:00"), status="Resolved")
		self.assertEqual(clocks_of(ticket.name)["_TST SLA"].resolution_state, "Met")
		# Reopened Tuesday 09:00 and still open at 16:00: 120 + 420 = 540 > 480 → breached at 15:00.
		self.change(ticket.name, at(3, "09:00"), status="Open")
		self.change(ticket.name, at(3, "16:00"), subject="still working", priority="Medium", status="Open")
		with self.freeze_time(at(3, "16:00")):
			from smo_extension.sla.jobs import recompute_tickets

			recompute_tickets([ticket.name])
		row = clocks_of(ticket.name)["_TST SLA"]
		self.assertEqual(row.resolution_state, "Breached")
		self.assertEqual(get_datetime(row.resolution_breached_at), get_datetime(at(3, "15:00")))

	def test_ticket_without_service_says_so(self):
		ticket = self.new_ticket(smo_service=None)
		doc = frappe.get_doc("HD Ticket", ticket.name)
		self.assertEqual(doc.smo_sla_state, "No SMO clock")
		self.assertIn("No SMO service", doc.smo_sla_note)
		self.assertEqual(clocks_of(ticket.name), {})

	def test_service_cleared_removes_its_clocks(self):
		ticket = self.new_ticket()
		self.assertIn("_TST SLA", clocks_of(ticket.name))
		doc = self.change(ticket.name, at(2, "09:30"), smo_service=None)
		self.assertEqual(doc.smo_sla_state, "No SMO clock")
		self.assertEqual(clocks_of(ticket.name), {})
		self.assertIn(("service", None), [(e[1], e[2]) for e in events_of(ticket.name)])

	def test_deleted_ticket_takes_its_clocks_and_events(self):
		ticket = self.new_ticket()
		self.assertTrue(clocks_of(ticket.name))
		frappe.delete_doc("HD Ticket", ticket.name, force=True, ignore_permissions=True)
		self.assertEqual(clocks_of(ticket.name), {})
		self.assertEqual(events_of(ticket.name), [])

	def test_unknown_priority_without_target_does_not_crash_the_save(self):
		if not frappe.db.exists("HD Ticket Priority", "_SMO Odd"):
			frappe.get_doc(
				{"doctype": "HD Ticket Priority", "name": "_SMO Odd", **helpdesk_compat.priority_values(99)}
			).insert(ignore_permissions=True, set_name="_SMO Odd")
		# Helpdesk's own SLA knows the new priority; the SMO agreement was activated before it existed.
		helpdesk_sla = frappe.get_doc("HD Service Level Agreement", "Default")
		if "_SMO Odd" not in [p.priority for p in helpdesk_sla.priorities]:
			helpdesk_sla.append(
				"priorities", {"priority": "_SMO Odd", "response_time": 3600, "resolution_time": 7200}
			)
			helpdesk_sla.save(ignore_permissions=True)
		ticket = self.new_ticket(priority="_SMO Odd")
		doc = frappe.get_doc("HD Ticket", ticket.name)
		self.assertEqual(doc.smo_sla_state, "No SMO clock")
		self.assertIn("_SMO Odd", doc.smo_sla_note)


class TestAgreementsAndServices(SLATestCase):
	def test_customer_specific_sla_wins(self):
		make_agreement(
			"_TST SLA Gold",
			"_TST",
			customer="_SMO Customer Gold",
			calendar="_Test Weekdays",
			targets={p: (5, 30) for p in ("Urgent", "High", "Medium", "Low")},
		)
		gold = self.new_ticket(customer="_SMO Customer Gold")
		plain = self.new_ticket()
		self.assertEqual(set(clocks_of(gold.name)), {"_TST SLA Gold"})
		self.assertEqual(set(clocks_of(plain.name)), {"_TST SLA"})

	def test_team_move_switches_ola_and_sla_continues(self):
		make_agreement("_TST OLA A", "_TST", "OLA", team="_SMO Team A", calendar="_Test Weekdays")
		make_agreement("_TST OLA B", "_TST", "OLA", team="_SMO Team B", calendar="_Test Weekdays")
		ticket = self.new_ticket(agent_group="_SMO Team A")
		self.assertEqual(set(clocks_of(ticket.name)), {"_TST SLA", "_TST OLA A"})
		self.change(ticket.name, at(2, "10:00"), agent_group="_SMO Team B")
		with self.freeze_time(at(2, "11:00")):
			from smo_extension.sla.jobs import recompute_tickets

			recompute_tickets([ticket.name])
		rows = clocks_of(ticket.name)
		self.assertEqual(set(rows), {"_TST SLA", "_TST OLA A", "_TST OLA B"})
		# Team A held it 09:00-10:00, then its clock stopped; Team B's runs from 10:00.
		self.assertAlmostEqual(rows["_TST OLA A"].resolution_elapsed_minutes, 60.0, places=1)
		self.assertEqual(get_datetime(rows["_TST OLA A"].resolution_stopped_at), get_datetime(at(2, "10:00")))
		self.assertEqual(get_datetime(rows["_TST OLA B"].opened_at), get_datetime(at(2, "10:00")))
		self.assertAlmostEqual(rows["_TST OLA B"].resolution_elapsed_minutes, 60.0, places=1)
		self.assertEqual(rows["_TST SLA"].resolution_state, "Running")
		self.assertAlmostEqual(rows["_TST SLA"].resolution_elapsed_minutes, 120.0, places=1)
		self.assertEqual(rows["_TST SLA"].team, "_SMO Team B")

	def test_activation_needs_a_target_for_every_priority(self):
		with self.assertRaises(SMOAgreementError) as raised:
			make_agreement("_TST Partial", "_TST", targets={"Urgent": (15, 60)})
		self.assertIn("Medium", str(raised.exception))
		draft = make_agreement("_TST Partial", "_TST", targets={"Urgent": (15, 60)}, status="Draft")
		self.assertEqual(draft.status, "Draft")

	def test_agreement_whose_range_ended(self):
		with self.assertRaises(SMOAgreementError):
			make_agreement("_TST Old", "_TST", valid_from="2020-01-01", valid_to="2021-01-01")
		# An Active agreement that ends before a ticket opens does not judge it.
		make_service("_TSO")
		agreement = make_agreement("_TSO SLA", "_TSO", valid_from="2020-01-01", valid_to="2030-01-01")
		frappe.db.set_value("SMO Service Level Agreement", agreement.name, "valid_to", "2026-02-01")
		from smo_extension.sla.config import clear_config_cache

		clear_config_cache()
		ticket = self.new_ticket(smo_service="_TSO")
		doc = frappe.get_doc("HD Ticket", ticket.name)
		self.assertEqual(doc.smo_sla_state, "No SMO clock")
		self.assertIn("No active agreement", doc.smo_sla_note)

	def test_retired_service_keeps_open_clocks_and_refuses_new_tickets(self):
		make_service("_TSR")
		make_agreement("_TSR SLA", "_TSR", calendar="_Test Weekdays")
		ticket = self.new_ticket(smo_service="_TSR")
		make_service("_TSR", lifecycle_stage="Retired", status="Retired")
		doc = self.change(ticket.name, at(2, "10:00"), priority="High")
		self.assertEqual(clocks_of(ticket.name)["_TSR SLA"].priority, "High")
		self.assertEqual(doc.smo_service, "_TSR")
		with self.assertRaises(SMOTicketError):
			self.new_ticket(smo_service="_TSR")

	def test_mapping_rule_chooses_service_and_explicit_wins(self):
		make_service("_TSM")
		make_agreement("_TSM SLA", "_TSM", calendar="_Test Weekdays")
		frappe.get_doc(
			{"doctype": "SMO Service Mapping Rule", "sequence": 1, "service": "_TSM", "team": "_SMO Team B"}
		).insert(ignore_permissions=True)
		mapped = self.new_ticket(smo_service=None, agent_group="_SMO Team B")
		self.assertEqual(frappe.db.get_value("HD Ticket", mapped.name, "smo_service"), "_TSM")
		explicit = self.new_ticket(smo_service="_TST", agent_group="_SMO Team B")
		self.assertEqual(frappe.db.get_value("HD Ticket", explicit.name, "smo_service"), "_TST")
		# Moving the rule-mapped ticket to a team no rule knows takes the service away again.
		doc = self.change(mapped.name, at(2, "10:00"), agent_group="_SMO Team A")
		self.assertFalse(doc.smo_service)

	def test_agreement_change_bumps_version_recomputes_running_and_repair_fixes_stopped(self):
		make_service("_TSV")
		agreement = make_agreement("_TSV SLA", "_TSV", calendar="_Test Weekdays")
		stopped = self.new_ticket(smo_service="_TSV")
		self.change(stopped.name, at(2, "10:00"), status="Resolved")
		running = self.new_ticket(smo_service="_TSV")
		agreement.reload()
		medium = next(t for t in agreement.targets if t.priority == "Medium")
		medium.response_minutes, medium.resolution_minutes = 30, 45
		agreement.save(ignore_permissions=True)
		self.assertEqual(agreement.version, 2)

		from smo_extension.sla.jobs import recompute_agreement

		with self.freeze_time(at(2, "10:00")):
			recompute_agreement(agreement.name)
		self.assertEqual(clocks_of(running.name)[agreement.name].agreement_version, 2)
		self.assertEqual(clocks_of(running.name)[agreement.name].resolution_state, "Breached")
		self.assertEqual(clocks_of(stopped.name)[agreement.name].agreement_version, 1)
		self.assertEqual(clocks_of(stopped.name)[agreement.name].resolution_state, "Met")

		from smo_extension.tests.factories import ANALYST
		from smo_extension.tests.factories import ensure_test_users

		ensure_test_users()
		frappe.set_user(ANALYST)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("SMO Service Level Agreement", agreement.name).repair_clocks()
		frappe.set_user("Administrator")
		with self.freeze_time(at(2, "10:00")):
			count = agreement.repair_clocks()
		self.assertEqual(count, 2)
		self.assertEqual(clocks_of(stopped.name)[agreement.name].agreement_version, 2)
		self.assertEqual(clocks_of(stopped.name)[agreement.name].resolution_state, "Breached")
		agreement.reload()
		self.assertEqual(agreement.last_repaired_by, "Administrator")
		self.assertTrue(agreement.last_repaired_on)


class TestScanAndBackfill(SLATestCase):
	def test_scan_moves_state_and_notifies_once(self):
		from smo_extension.sla.jobs import scan_due_clocks
		from smo_extension.tests.factories import MANAGER
		from smo_extension.tests.factories import ensure_test_users

		ensure_test_users()
		make_service("_TSN", service_owner=MANAGER)
		make_agreement("_TSN SLA", "_TSN", calendar="_Test Weekdays")
		ticket = self.new_ticket(smo_service="_TSN")
		# Medium resolution 480 min: at risk from 15:00 (360 min), breached after 17:00.
		with self.freeze_time(at(2, "15:30")):
			self.assertGreaterEqual(scan_due_clocks(), 1)
		row = clocks_of(ticket.name)["_TSN SLA"]
		self.assertEqual(row.resolution_state, "At Risk")
		self.assertEqual(frappe.db.get_value("HD Ticket", ticket.name, "smo_sla_state"), "Breached")
		notes = frappe.get_all(
			"Notification Log", filters={"document_name": ticket.name, "for_user": MANAGER}, pluck="subject"
		)
		self.assertTrue(any("At Risk" in n and "Resolution" in n for n in notes), notes)
		count = len(notes)
		with self.freeze_time(at(2, "15:35")):
			scan_due_clocks()
		self.assertEqual(
			len(
				frappe.get_all(
					"Notification Log", filters={"document_name": ticket.name, "for_user": MANAGER}
				)
			),
			count,
		)
		with self.freeze_time(at(3, "09:30")):
			scan_due_clocks()
		self.assertEqual(clocks_of(ticket.name)["_TSN SLA"].resolution_state, "Breached")
		notes = frappe.get_all(
			"Notification Log", filters={"document_name": ticket.name, "for_user": MANAGER}, pluck="subject"
		)
		self.assertTrue(any("Breached" in n and "Resolution" in n for n in notes), notes)

	def test_backfill_from_helpdesk_history(self):
		set_settings(enabled=0)
		try:
			ticket = self.new_ticket(smo_service="_TST")
			self.change(ticket.name, at(2, "11:00"), status="Resolved")
		finally:
			set_settings(enabled=1)
		self.assertEqual(events_of(ticket.name), [])
		from smo_extension.sla.jobs import backfill

		with self.freeze_time(at(4, "12:00")):
			self.assertGreaterEqual(backfill(), 1)
		row = clocks_of(ticket.name)["_TST SLA"]
		self.assertEqual(row.resolution_state, "Met")
		self.assertEqual(get_datetime(row.resolution_stopped_at), get_datetime(at(2, "11:00")))
		self.assertAlmostEqual(row.resolution_elapsed_minutes, 120.0, places=1)


class TestBackgroundRecompute(SLATestCase):
	def test_agreement_and_calendar_changes_enqueue_running_clocks_on_the_long_queue(self):
		from unittest.mock import patch

		from smo_extension.sla import jobs

		make_service("_TSQ")
		make_calendar("_Test Queue Cal")
		agreement = make_agreement("_TSQ SLA", "_TSQ", calendar="_Test Queue Cal")
		running = self.new_ticket(smo_service="_TSQ")
		stopped = self.new_ticket(smo_service="_TSQ")
		self.change(stopped.name, at(2, "10:00"), status="Resolved")
		with patch.object(jobs, "CHUNK", 1), patch("frappe.enqueue") as enqueue:
			agreement.reload()
			agreement.targets[0].resolution_minutes += 1
			agreement.save(ignore_permissions=True)
			calendar = frappe.get_doc("SMO Business Calendar", "_Test Queue Cal")
			calendar.append("holidays", {"holiday_date": "2026-12-24", "description": "closed"})
			calendar.save(ignore_permissions=True)
		# one job per chunk of running tickets, for the agreement and again for the calendar; the stopped
		# ticket is not recomputed
		self.assertEqual(enqueue.call_count, 2)
		for call in enqueue.call_args_list:
			self.assertEqual(call.args[0], "smo_extension.sla.jobs.recompute_chunk")
			self.assertEqual(call.kwargs["queue"], "long")
			self.assertEqual(call.kwargs["tickets"], [str(running.name)])

	def test_activation_judges_the_service_tickets_opened_since_valid_from(self):
		from unittest.mock import patch

		make_service("_TSA")
		old = self.new_ticket(smo_service="_TSA")  # 2 March 2026, before the agreement is valid
		newer = self.new_ticket(at(4, "09:00"), smo_service="_TSA")
		self.change(newer.name, at(4, "10:00"), status="Resolved")
		self.assertEqual(clocks_of(newer.name), {})
		with patch("frappe.enqueue") as enqueue:
			make_agreement("_TSA SLA", "_TSA", calendar="_Test Weekdays", valid_from="2026-03-03")
		(call,) = enqueue.call_args_list
		self.assertEqual(call.kwargs["tickets"], [str(newer.name)])
		self.assertTrue(call.kwargs["include_stopped"])
		self.assertNotIn(str(old.name), call.kwargs["tickets"])
		from smo_extension.sla.jobs import recompute_chunk

		with self.freeze_time(at(4, "12:00")):
			recompute_chunk(**{k: v for k, v in call.kwargs.items() if k in ("tickets", "include_stopped")})
		self.assertEqual(clocks_of(newer.name)["_TSA SLA"].resolution_state, "Met")

	def test_a_failing_chunk_does_not_stop_the_scan(self):
		from unittest.mock import patch

		from smo_extension.sla import jobs

		make_service("_TSF")
		make_agreement("_TSF SLA", "_TSF", calendar="_Test Weekdays")
		first = self.new_ticket(smo_service="_TSF")
		second = self.new_ticket(smo_service="_TSF")
		real = jobs.recompute_tickets

		def flaky(tickets, now=None, include_stopped=False, doctype="HD Ticket"):
			if str(first.name) in tickets:
				raise RuntimeError("poison ticket")
			return real(tickets, now=now, include_stopped=include_stopped, doctype=doctype)

		with patch.object(jobs, "CHUNK", 1), patch.object(jobs, "recompute_tickets", side_effect=flaky):
			with self.freeze_time(at(2, "15:30")):
				jobs.scan_due_clocks()
		self.assertEqual(clocks_of(second.name)["_TSF SLA"].resolution_state, "At Risk")
		self.assertEqual(clocks_of(first.name)["_TSF SLA"].resolution_state, "Running")
		self.assertTrue(frappe.get_all("Error Log", filters={"error": ("like", "%poison ticket%")}, limit=1))
		frappe.db.delete("Error Log", {"error": ("like", "%poison ticket%")})
