"""SMO Settings' "Write Clocks After the Save" (issue 19, a cheaper save): the agent's save sets the ticket's SLA
state at once and writes no SMO table; the minute's job writes the events and clocks the save would have, and
every reader of the log counts the events meanwhile. Over HTTP as the agent (and the manager for the switch)."""

from __future__ import annotations

from unittest.mock import patch

import frappe

from smo_extension.sla import jobs
from smo_extension.sla import ticket as ticket_sla
from smo_extension.tests.factories import AGENT
from smo_extension.tests.factories import ANALYST
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import PORTAL
from smo_extension.tests.factories import PORTAL_CUSTOMER
from smo_extension.tests.factories import make_ticket
from smo_extension.tests.http import Session
from smo_extension.tests.http import resource
from smo_extension.tests.test_concurrency import expected_clocks
from smo_extension.tests.test_concurrency import stored_clocks
from smo_extension.tests.test_permission_matrix import ACTIVE_SVC
from smo_extension.tests.test_permission_matrix import TEAM_IN
from smo_extension.tests.test_permission_matrix import MatrixTestCase

SETTINGS = resource("SMO Settings", "SMO Settings")


def set_deferred(on: bool) -> None:
	frappe.db.set_single_value("SMO Settings", "defer_clock_writes", int(on))
	frappe.clear_document_cache("SMO Settings", "SMO Settings")
	frappe.db.commit()  # nosemgrep


def events_of(ticket: str) -> list[tuple]:
	return [
		(r.field, r.value, r.event_time, r.creation)
		for r in frappe.get_all(
			"SMO Ticket Event",
			filters={"ticket": ticket, "ticket_doctype": "HD Ticket"},
			fields=["field", "value", "event_time", "creation"],
			order_by="event_time asc, creation asc",
		)
	]


def left_on(ticket: str) -> tuple[int, list[list]]:
	flag, value = frappe.db.get_value(
		"HD Ticket", ticket, [ticket_sla.PENDING_FLAG, ticket_sla.PENDING_FIELD]
	)
	return flag, ticket_sla.pending_rows(value)


class TestDeferredClockWrites(MatrixTestCase):
	def setUp(self):
		super().setUp()
		self.agent = Session(AGENT)
		self.addCleanup(set_deferred, False)

	def new_ticket(self, subject: str) -> str:
		set_deferred(False)
		ticket = str(make_ticket(subject, smo_service=ACTIVE_SVC, priority="High", agent_group=TEAM_IN).name)
		frappe.db.commit()  # nosemgrep
		return ticket

	def put(self, ticket: str, **values) -> None:
		answer = self.agent.put(resource("HD Ticket", ticket), values)
		self.assertEqual(answer.status, 200, answer)
		frappe.db.rollback()  # see what the request committed

	def summary(self, ticket: str) -> dict:
		return frappe.db.get_value("HD Ticket", ticket, ["smo_sla_state", "smo_resolution_due"], as_dict=True)

	def replayed_due(self, ticket: str, agreement: str = "_PM ACTIVE SLA"):
		return expected_clocks(ticket)[agreement][2]

	def test_only_the_manager_switches_it(self):
		self.assertEqual(Session(AGENT).put(SETTINGS, {"defer_clock_writes": 1}).status, 403)
		self.assertEqual(frappe.db.get_single_value("SMO Settings", "defer_clock_writes", cache=False), 0)
		answer = Session(MANAGER).put(SETTINGS, {"defer_clock_writes": 1})
		self.assertEqual(answer.status, 200, answer)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_single_value("SMO Settings", "defer_clock_writes", cache=False), 1)

	def test_a_deferred_save_writes_no_smo_table_and_the_minutes_job_writes_what_it_would_have(self):
		ticket = self.new_ticket("_PM deferred save")
		events, clocks = events_of(ticket), stored_clocks(ticket)
		self.assertEqual({v[0] for v in clocks.values()}, {"High"})
		set_deferred(True)
		self.put(ticket, priority="Urgent")
		# the ticket tells the agent at once: its due time is Urgent's, as the replay of the whole log says
		self.assertEqual(self.summary(ticket).smo_resolution_due, self.replayed_due(ticket))
		self.assertEqual(expected_clocks(ticket)["_PM ACTIVE SLA"][0], "Urgent")
		# and no SMO table changed: the event waits on the ticket
		self.assertEqual(events_of(ticket), events)
		self.assertEqual(stored_clocks(ticket), clocks)
		flag, left = left_on(ticket)
		self.assertEqual(flag, 1)
		self.assertEqual([(f, v) for _w, f, v, _c in left], [("priority", "Urgent")])

		self.assertEqual(jobs.flush_deferred(inline=True), 1)
		frappe.db.commit()  # nosemgrep
		self.assertEqual(left_on(ticket), (0, []))
		moved = events_of(ticket)
		self.assertEqual(moved[: len(events)], events)
		self.assertEqual(
			[(f, v, w, c) for f, v, w, c in moved[len(events) :]], [("priority", "Urgent", *left[0][::3])]
		)
		# the clocks are the replay of the stored log, every agreement on Urgent's targets
		self.assertEqual(stored_clocks(ticket), expected_clocks(ticket))
		self.assertEqual({v[0] for v in stored_clocks(ticket).values()}, {"Urgent"})
		# a second run (another worker given the same tickets) finds nothing left
		self.assertEqual(jobs.flush_chunk([ticket]), 0)
		self.assertEqual(events_of(ticket), moved)

	def test_saves_before_the_job_keep_the_whole_log_even_without_a_kept_log(self):
		ticket = self.new_ticket("_PM deferred twice")
		set_deferred(True)
		events = len(events_of(ticket))
		self.put(ticket, priority="Urgent")
		# the kept log evicted: the next save reads the event table and the events on the ticket
		ticket_sla.drop_kept_logs("HD Ticket", [ticket])
		self.put(ticket, status="Replied")  # a pause (Helpdesk also records the first response)
		flag, left = left_on(ticket)
		self.assertEqual(flag, 1)
		self.assertEqual(
			[(f, v) for _w, f, v, _c in left if f != "first_response"],
			[("priority", "Urgent"), ("status_category", "Paused")],
		)
		# the save counted the first one: the clocks it shows are Urgent's, paused
		self.assertEqual(self.summary(ticket).smo_sla_state, "Paused")
		self.assertEqual(self.summary(ticket).smo_resolution_due, self.replayed_due(ticket))
		# the scan in between replays the same log (the events on the ticket included): the summary stays
		jobs.recompute_tickets([ticket], include_stopped=True)
		frappe.db.commit()  # nosemgrep
		self.assertEqual(self.summary(ticket).smo_sla_state, "Paused")
		self.assertEqual({v[0] for v in stored_clocks(ticket).values()}, {"Urgent"})
		jobs.flush_deferred(inline=True)
		frappe.db.commit()  # nosemgrep
		self.assertEqual(left_on(ticket), (0, []))
		self.assertEqual(
			[(f, v) for f, v, _w, _c in events_of(ticket) if f != "first_response"][-2:],
			[("priority", "Urgent"), ("status_category", "Paused")],
		)
		self.assertEqual(len(events_of(ticket)), events + len(left))
		self.assertEqual(stored_clocks(ticket), expected_clocks(ticket))
		states = frappe.get_all("SMO Ticket SLA", filters={"ticket": ticket}, pluck="resolution_state")
		self.assertEqual(set(states), {"Paused"})

	def test_switching_it_off_writes_what_was_left(self):
		ticket = self.new_ticket("_PM deferred then not")
		set_deferred(True)
		self.put(ticket, priority="Urgent")
		set_deferred(False)
		self.put(ticket, priority="Low")
		self.assertEqual(left_on(ticket), (0, []))
		self.assertEqual(
			[(f, v) for f, v, _w, _c in events_of(ticket) if f == "priority"],
			[("priority", "High"), ("priority", "Urgent"), ("priority", "Low")],
		)
		self.assertEqual(stored_clocks(ticket), expected_clocks(ticket))
		self.assertEqual({v[0] for v in stored_clocks(ticket).values()}, {"Low"})

	def test_what_the_agent_sends_for_the_left_events_is_ignored(self):
		ticket = self.new_ticket("_PM deferred forged")
		forged = '[["2020-01-01 00:00:00","priority","Low","2020-01-01 00:00:00"]]'
		values = {ticket_sla.PENDING_FIELD: forged, ticket_sla.PENDING_FLAG: 1}
		self.put(ticket, description="nothing the SMO tracks", **values)
		self.assertEqual(left_on(ticket), (0, []))
		set_deferred(True)
		self.put(ticket, priority="Urgent", **values)
		flag, left = left_on(ticket)
		self.assertEqual((flag, [(f, v) for _w, f, v, _c in left]), (1, [("priority", "Urgent")]))

	def test_a_save_that_fails_to_compute_keeps_the_left_events_as_stored(self):
		ticket = self.new_ticket("_PM deferred fault")
		set_deferred(True)
		self.put(ticket, priority="Urgent")
		stored = left_on(ticket)
		forged = '[["2020-01-01 00:00:00","priority","Low","2020-01-01 00:00:00"]]'
		with patch.object(ticket_sla, "evaluate_with_gaps", side_effect=RuntimeError("injected fault")):
			self.put(ticket, priority="Low", **{ticket_sla.PENDING_FIELD: forged, ticket_sla.PENDING_FLAG: 0})
		self.assertEqual(left_on(ticket), stored)
		self.assertEqual(frappe.db.get_value("HD Ticket", ticket, "priority"), "Low")

	def test_the_job_runs_on_every_scheduler_tick(self):
		job = frappe.db.get_value(
			"Scheduled Job Type",
			{"method": "smo_extension.sla.jobs.flush_deferred"},
			["frequency", "stopped"],
			as_dict=True,
		)
		self.assertEqual((job.frequency, job.stopped), ("All", 0))

	def test_the_agent_opening_the_clocks_sees_those_of_the_last_save(self):
		ticket = self.new_ticket("_PM deferred dialog")
		set_deferred(True)
		self.put(ticket, priority="Urgent")
		self.assertEqual({v[0] for v in stored_clocks(ticket).values()}, {"High"})
		path = "/api/method/smo_extension.api.sla.get_ticket_clocks"
		# a GET (nothing it writes is kept) and a POST, as the ticket's dialog calls it
		for answer in (self.agent.get(path, {"ticket": ticket}), self.agent.post(path, {"ticket": ticket})):
			self.assertEqual(answer.status, 200, answer)
			self.assertEqual({row["priority"] for row in answer.data}, {"Urgent"}, answer)
			self.assertEqual(
				{row["agreement"] for row in answer.data}, {"_PM ACTIVE SLA", "_PM ACTIVE OLA"}, answer
			)
		frappe.db.rollback()
		# the POST wrote them, as the minute's job would have
		self.assertEqual(left_on(ticket), (0, []))
		self.assertEqual(stored_clocks(ticket), expected_clocks(ticket))

	def test_the_customer_and_the_analyst_opening_the_clocks_see_those_of_the_last_save(self):
		set_deferred(False)
		ticket = str(
			make_ticket(
				"_PM deferred portal",
				smo_service=ACTIVE_SVC,
				agent_group=TEAM_IN,
				priority="High",
				raised_by=PORTAL,
				customer=PORTAL_CUSTOMER,
			).name
		)
		frappe.db.commit()  # nosemgrep
		set_deferred(True)
		self.put(ticket, priority="Urgent")
		due = self.summary(ticket).smo_resolution_due
		path = "/api/method/smo_extension.api.sla.get_ticket_clocks"
		# the customer: their SLA only, due as the last save says
		answer = Session(PORTAL).post(path, {"ticket": ticket})
		self.assertEqual(answer.status, 200, answer)
		self.assertEqual([row["agreement"] for row in answer.data], ["_PM ACTIVE SLA"], answer)
		self.assertEqual(str(answer.data[0]["resolution_due"])[:19], str(due)[:19], answer)
		self.assertNotIn("priority", answer.data[0])
		# the analyst: every clock, on Urgent's targets
		answer = Session(ANALYST).get(path, {"ticket": ticket})
		self.assertEqual(answer.status, 200, answer)
		self.assertEqual({row["priority"] for row in answer.data}, {"Urgent"}, answer)
		self.assertEqual(len(answer.data), 2, answer)
		frappe.db.rollback()
		self.assertEqual(left_on(ticket), (0, []))
		self.assertEqual(stored_clocks(ticket), expected_clocks(ticket))
