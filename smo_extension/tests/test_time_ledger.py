"""The time ledger per team and agent on real tickets: Helpdesk assignments (ToDo) recorded as events, segments
that add up to the clock's elapsed time, handoffs, and the SLA Time by Team report."""

import frappe
from frappe.desk.form import assign_to
from frappe.utils import get_datetime

from smo_extension import helpdesk_compat
from smo_extension.api.sla import get_time_ledger
from smo_extension.engine.ledger import time_ledger
from smo_extension.sla.assignment import agent_value
from smo_extension.sla.assignment import history_from_todos
from smo_extension.sla.config import get_config
from smo_extension.sla.ledger import ticket_ledger
from smo_extension.sla.ticket import aware
from smo_extension.sla.ticket import load_events
from smo_extension.smo.report.sla_time_by_team import sla_time_by_team
from smo_extension.tests.factories import AGENT
from smo_extension.tests.factories import HELPDESK_ADMIN
from smo_extension.tests.factories import PORTAL
from smo_extension.tests.factories import clocks_of
from smo_extension.tests.factories import ensure_test_users
from smo_extension.tests.factories import events_of
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_service
from smo_extension.tests.factories import set_settings
from smo_extension.tests.test_ticket_sla import SLATestCase
from smo_extension.tests.test_ticket_sla import at

TEAM_A, TEAM_B = "_SMO Team A", "_SMO Team B"


def assign(ticket: str, user: str, when: str, case) -> None:
	with case.freeze_time(when):
		assign_to.add({"assign_to": [user], "doctype": "HD Ticket", "name": ticket}, ignore_permissions=True)


def unassign(ticket: str, user: str, when: str, case) -> None:
	with case.freeze_time(when):
		assign_to.remove("HD Ticket", ticket, user, ignore_permissions=True)


class LedgerCase(SLATestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_test_users()

	def setUp(self):
		super().setUp()
		self.service = f"_L{frappe.generate_hash(length=5).upper()}"
		make_service(self.service, support_team=TEAM_A)
		self.sla = make_agreement(f"{self.service} SLA", self.service, calendar="_Test Weekdays").name

	def moved_ticket(self) -> str:
		"""Monday 2 March, Medium (480 business minutes, Mon-Fri 09:00-17:00):
		09:00 opened for team A; 09:30 assigned to the agent; 11:00 handed to team B, the agent unassigned;
		13:00 the admin picks it up; 14:00 waits on the customer until Tuesday 09:00; Tuesday 10:00 back to
		team A; 12:00 resolved. 30 + 90 + 120 + (60 + 60) + 120 = 480 business minutes: met exactly."""
		name = str(self.new_ticket(at(2, "09:00"), smo_service=self.service, agent_group=TEAM_A).name)
		assign(name, AGENT, at(2, "09:30"), self)
		self.change(name, at(2, "11:00"), agent_group=TEAM_B)
		unassign(name, AGENT, at(2, "11:00"), self)
		assign(name, HELPDESK_ADMIN, at(2, "13:00"), self)
		self.change(name, at(2, "14:00"), status="Replied")
		self.change(name, at(3, "09:00"), status="Open")
		self.change(name, at(3, "10:00"), agent_group=TEAM_A)
		self.change(name, at(3, "12:00"), status="Resolved")
		return name


class TestAssignmentsAreRecorded(LedgerCase):
	def test_each_change_of_assignees_appends_one_agent_event_and_touches_no_clock(self):
		name = str(self.new_ticket(at(2, "09:00"), smo_service=self.service).name)
		clock = clocks_of(name)[self.sla]
		assign(name, AGENT, at(2, "09:30"), self)
		assign(name, HELPDESK_ADMIN, at(2, "10:00"), self)
		unassign(name, AGENT, at(2, "10:30"), self)
		unassign(name, HELPDESK_ADMIN, at(2, "11:00"), self)
		agent_events = [(get_datetime(w), v) for w, f, v in events_of(name) if f == "agent"]
		both = ", ".join(sorted([AGENT, HELPDESK_ADMIN]))
		self.assertEqual(
			agent_events,
			[
				(get_datetime(at(2, "09:30")), AGENT),
				(get_datetime(at(2, "10:00")), both),
				(get_datetime(at(2, "10:30")), HELPDESK_ADMIN),
				(get_datetime(at(2, "11:00")), None),
			],
		)
		self.assertEqual(clocks_of(name)[self.sla].modified, clock.modified)
		# the same history read back from the ToDos (for tickets assigned before the app recorded it)
		history = history_from_todos([name])[name]
		self.assertEqual([(get_datetime(w), v) for w, v in history], agent_events)

	def test_assigning_twice_or_while_smo_is_off_records_nothing_new(self):
		name = str(self.new_ticket(at(2, "09:00"), smo_service=self.service).name)
		assign(name, AGENT, at(2, "09:30"), self)
		with self.freeze_time(at(2, "09:40")):
			todo = frappe.get_doc("ToDo", {"reference_name": name, "allocated_to": AGENT, "status": "Open"})
			todo.description = "reworded"
			todo.save(ignore_permissions=True)
		set_settings(enabled=0)
		try:
			assign(name, HELPDESK_ADMIN, at(2, "10:00"), self)
		finally:
			set_settings(enabled=1)
		self.assertEqual([v for _w, f, v in events_of(name) if f == "agent"], [AGENT])

	def test_backfill_takes_assignments_from_todos_once(self):
		from smo_extension.sla.jobs import backfill

		set_settings(enabled=0)
		try:
			old = str(self.new_ticket(at(2, "09:00"), smo_service=self.service).name)
			assign(old, AGENT, at(2, "09:30"), self)
			self.change(old, at(2, "11:00"), status="Resolved")
			recorded = str(self.new_ticket(at(2, "09:00"), smo_service=self.service).name)
		finally:
			set_settings(enabled=1)
		assign(recorded, HELPDESK_ADMIN, at(2, "10:00"), self)  # SMO on again: recorded as it happens
		self.assertEqual(events_of(old), [])
		self.assertEqual([f for _w, f, _v in events_of(recorded)], ["agent"])
		with self.freeze_time(at(4, "12:00")):
			backfill()
		self.assertIn(
			(get_datetime(at(2, "09:30")), "agent", AGENT),
			[(get_datetime(w), f, v) for w, f, v in events_of(old)],
		)
		self.assertEqual([v for _w, f, v in events_of(recorded) if f == "agent"], [HELPDESK_ADMIN])
		self.assertIn("status_category", [f for _w, f, _v in events_of(recorded)])
		self.assertEqual(clocks_of(old)[self.sla].resolution_state, "Met")
		self.assertEqual([s["agent"] for s in ticket_ledger(old)], [None, AGENT])

	def test_long_lists_of_assignees_fit_the_event_value(self):
		users = [f"someone.with.a.long.name.{i}@example.com" for i in range(8)]
		value = agent_value(users)
		self.assertLessEqual(len(value), 140)
		self.assertTrue(value.endswith(f" +{8 - value.count('@')}"))
		self.assertIsNone(agent_value([]))


class TestTimeLedger(LedgerCase):
	def test_segments_by_team_and_agent_add_up_to_the_clock(self):
		name = self.moved_ticket()
		clock = clocks_of(name)[self.sla]
		self.assertEqual(clock.resolution_state, "Met")
		ledger = get_time_ledger(helpdesk_compat.ticket_as_sent(name))  # as Helpdesk sends it
		self.assertEqual(ledger, ticket_ledger(name))
		self.assertEqual(
			[
				(
					s["team"],
					s["agent"],
					get_datetime(s["from"]),
					get_datetime(s["to"]),
					s["business_seconds"] / 60,
				)
				for s in ledger
			],
			[
				(TEAM_A, None, get_datetime(at(2, "09:00")), get_datetime(at(2, "09:30")), 30),
				(TEAM_A, AGENT, get_datetime(at(2, "09:30")), get_datetime(at(2, "11:00")), 90),
				(TEAM_B, None, get_datetime(at(2, "11:00")), get_datetime(at(2, "13:00")), 120),
				(TEAM_B, HELPDESK_ADMIN, get_datetime(at(2, "13:00")), get_datetime(at(3, "10:00")), 120),
				(TEAM_A, HELPDESK_ADMIN, get_datetime(at(3, "10:00")), get_datetime(at(3, "12:00")), 120),
			],
		)
		self.assertEqual([s["paused_seconds"] / 60 for s in ledger], [0, 0, 0, 180, 0])
		self.assertEqual(
			set(ledger[0]), {"team", "agent", "from", "to", "business_seconds", "paused_seconds"}
		)
		# to the second against the stored clock, exactly against the engine's replay
		total = sum(s["business_seconds"] for s in ledger)
		self.assertLess(abs(total - clock.resolution_elapsed_minutes * 60), 1)
		self.assertEqual(total, 480 * 60)

	def test_a_running_clock_is_split_as_far_as_its_elapsed_time_goes(self):
		name = str(self.new_ticket(at(2, "09:00"), smo_service=self.service, agent_group=TEAM_A).name)
		self.change(name, at(2, "10:15"), priority="High")
		assign(name, AGENT, at(2, "10:45"), self)
		with self.freeze_time(at(2, "16:00")):
			self.assertEqual(ticket_ledger(name)[-1]["to"], clocks_of(name)[self.sla].evaluated_at)
			self.assertEqual([s["agent"] for s in ticket_ledger(name)], [None])  # as of 10:15
			from smo_extension.sla.jobs import recompute_tickets

			recompute_tickets([name])  # what the scan does at the clock's next check
			ledger = ticket_ledger(name)
		clock = clocks_of(name)[self.sla]
		self.assertEqual([(s["team"], s["agent"]) for s in ledger], [(TEAM_A, None), (TEAM_A, AGENT)])
		self.assertEqual(get_datetime(ledger[-1]["to"]), get_datetime(at(2, "16:00")))
		self.assertEqual(clock.resolution_elapsed_minutes, 420)
		self.assertEqual(sum(s["business_seconds"] for s in ledger), 420 * 60)

	def test_every_clock_of_the_service_adds_up(self):
		"""Property on real clocks: whatever the timeline, the ledger sums to the stored elapsed time."""
		made = [self.moved_ticket()]
		for day in (2, 3, 4):
			name = str(self.new_ticket(at(day, "09:00"), smo_service=self.service, agent_group=TEAM_A).name)
			self.change(name, at(day, "12:00"), agent_group=TEAM_B, status="Replied")
			self.change(name, at(day + 1, "09:30"), status="Open")
			self.change(name, at(day + 1, "16:45"), status="Resolved")
			made.append(name)
		for name in made:
			clock = clocks_of(name)[self.sla]
			ledger = ticket_ledger(name)
			self.assertAlmostEqual(
				sum(s["business_seconds"] for s in ledger), clock.resolution_elapsed_minutes * 60, delta=1
			)
			engine = time_ledger(
				opened_at=aware(frappe.db.get_value("HD Ticket", name, "creation")),
				events=load_events([name])[name],
				calendar=get_config().calendars["_Test Weekdays"],
				now=aware(clock.evaluated_at),
			)
			self.assertEqual([s.business_us / 1e6 for s in engine], [s["business_seconds"] for s in ledger])

	def test_a_ticket_without_an_sla_clock_has_an_empty_ledger(self):
		name = str(self.new_ticket(at(2, "09:00"), smo_service=None).name)
		self.assertEqual(get_time_ledger(name), [])

	def test_who_may_read_it(self):
		name = self.moved_ticket()
		with self.set_user(AGENT):
			self.assertEqual(len(get_time_ledger(name)), 5)
		with self.set_user(PORTAL), self.assertRaises(frappe.PermissionError):
			get_time_ledger(name)
		with self.assertRaises(frappe.DoesNotExistError):
			get_time_ledger("99999999")


class TestTimeByTeamReport(LedgerCase):
	def test_teams_share_of_the_budget_handoffs_and_waits(self):
		moved = self.moved_ticket()
		late = str(self.new_ticket(at(2, "09:00"), smo_service=self.service, agent_group=TEAM_A).name)
		self.change(late, at(3, "10:00"), status="Resolved")  # 540 minutes, all team A: breached
		filters = {"from_date": "2026-03-01", "to_date": "2026-03-31", "service": self.service}
		columns, data, _m, chart, summary = sla_time_by_team.execute(filters)
		rows = {(r["outcome"], r["team"]): r for r in data}
		self.assertEqual(set(rows), {("Breached", TEAM_A), ("Met", TEAM_A), ("Met", TEAM_B)})
		breached = rows[("Breached", TEAM_A)]
		self.assertEqual(
			(breached["hours"], breached["budget_share"], breached["time_share"]), (9.0, 112.5, 100.0)
		)
		met_a, met_b = rows[("Met", TEAM_A)], rows[("Met", TEAM_B)]
		self.assertEqual((met_a["hours"], met_a["budget_share"]), (4.0, 50.0))
		self.assertEqual((met_b["hours"], met_b["budget_share"], met_b["paused_hours"]), (4.0, 50.0, 3.0))
		self.assertEqual((met_b["handoffs_in"], met_b["median_wait_hours"]), (1, 2.0))  # picked up at 13:00
		self.assertEqual((met_a["handoffs_in"], met_a["median_wait_hours"]), (1, 2.0))  # resolved at 12:00
		self.assertEqual(data[0]["outcome"], "Breached")  # breached first
		self.assertIn("median_wait_hours", [c["fieldname"] for c in columns])
		self.assertEqual(set(chart["data"]["labels"]), {TEAM_A, TEAM_B})
		values = {s["label"]: s["value"] for s in summary}
		self.assertEqual((values["Breached Tickets"], values["Met Tickets"], values["Handoffs"]), (1, 1, 2))

		_c, pairs, *_ = sla_time_by_team.execute({**filters, "view": "Handoffs"})
		self.assertEqual(
			[
				(r["outcome"], r["from_team"], r["to_team"], r["handoffs"], r["median_wait_hours"])
				for r in pairs
			],
			[("Met", TEAM_A, TEAM_B, 1, 2.0), ("Met", TEAM_B, TEAM_A, 1, 2.0)],
		)
		self.assertEqual({r["picked_up"] for r in pairs}, {100.0})

		_c, tickets, *_ = sla_time_by_team.execute({**filters, "view": "Tickets", "outcome": "Met"})
		self.assertEqual({r["ticket"] for r in tickets}, {moved})
		self.assertEqual([r["team"] for r in tickets], [TEAM_A, TEAM_B])  # every team it passed through
		self.assertEqual(tickets[0]["path"], f"{TEAM_A} → {TEAM_B} → {TEAM_A}")
		self.assertEqual(sum(r["hours"] for r in tickets), 8.0)

	def test_an_empty_period(self):
		_c, data, _m, chart, summary = sla_time_by_team.execute(
			{"from_date": "2025-01-01", "to_date": "2025-01-31", "service": self.service}
		)
		self.assertEqual(data, [])
		self.assertIsNone(chart)
		self.assertEqual({s["label"]: s["value"] for s in summary}["Median Wait After Handoff (h)"], "n/a")
