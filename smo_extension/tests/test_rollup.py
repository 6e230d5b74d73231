"""The daily rollup (issue 19): SLA Compliance from SMO SLA Day gives exactly what it gives from the clock rows,
for every grouping, metric and scope, after the clocks were first written and after the changes that move a
clock between days (a priority change, a resolution, a reopening, a service change, a deleted ticket); and the
rollup the refresh kept is the rollup recomputed from scratch."""

from __future__ import annotations

import itertools

import frappe
from frappe.utils import getdate

from smo_extension.sla import rollup
from smo_extension.sla.jobs import recompute_tickets
from smo_extension.smo.report.sla_compliance import sla_compliance
from smo_extension.tests import SMOTestCase
from smo_extension.tests.factories import frozen
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_calendar
from smo_extension.tests.factories import make_customer
from smo_extension.tests.factories import make_service
from smo_extension.tests.factories import make_team
from smo_extension.tests.factories import make_ticket
from smo_extension.tests.factories import set_settings

SERVICE, OTHER = "_RU SVC", "_RU OTHER"
TEAM = "_RU Team"
CUSTOMERS = ("_RU Customer A", "_RU Customer B")
GROUPS = ("Service", "Customer", "Team", "Priority", "Agreement")


class TestDailyRollup(SMOTestCase):
	def setUp(self):
		super().setUp()
		set_settings(enabled=1)
		# an earlier test's clocks go (make_agreement deletes them): the rollup recomputes their days
		rollup.mark_deleted(
			frappe.get_all("SMO Ticket SLA", filters={"agreement": ("like", "_RU%")}, fields=["rollup_days"])
		)
		make_calendar("_RU Calendar")
		make_team(TEAM)
		for customer in CUSTOMERS:
			make_customer(customer)
		make_service(SERVICE)
		make_service(OTHER)
		make_agreement("_RU SLA", SERVICE, calendar="_RU Calendar")
		make_agreement("_RU OLA", SERVICE, "OLA", team=TEAM, calendar="_RU Calendar")
		make_agreement("_RU OTHER SLA", OTHER, calendar="_RU Calendar")
		self.tickets = []
		# tickets opened on several days of March, in several scopes
		for i, (day, priority) in enumerate(
			itertools.product(("2026-03-02", "2026-03-04", "2026-03-11"), ("Urgent", "High", "Low"))
		):
			with frozen(f"{day} 10:{i:02d}:00"):
				ticket = make_ticket(
					f"_RU {i}",
					smo_service=SERVICE,
					priority=priority,
					agent_group=TEAM if i % 2 else None,
					customer=CUSTOMERS[i % 2],
				)
			self.tickets.append(ticket.name)
		# some answered and resolved a few days later, in target or not
		for i, name in enumerate(self.tickets[:6]):
			# the first three on their first day, within target; the next three days later
			with frozen("2026-03-02 10:40:00" if i < 3 else f"2026-03-{5 + i:02d} 11:00:00"):
				doc = frappe.get_doc("HD Ticket", name)
				doc.status = "Resolved"
				doc.save(ignore_permissions=True)
		recompute_tickets([str(t) for t in self.tickets])  # the others breach by now, as the scan judges them

	def assert_rollup_gives_the_clock_rows(self):
		rollup.refresh()
		for group_by, metric, operation, scope in itertools.product(
			GROUPS, ("Resolution", "Response"), (None, "Hypercare", "Normal Operation"), (None, SERVICE)
		):
			filters = frappe._dict(
				from_date="2026-03-01",
				to_date=str(getdate()),
				group_by=group_by,
				metric=metric,
				operation=operation,
				service=scope,
			)
			with self.subTest(**{k: v for k, v in filters.items() if v}):
				from_clocks = sla_compliance.get_data(frappe._dict(filters), from_rollup=False)
				self.assertEqual(
					sla_compliance.get_data(frappe._dict(filters), from_rollup=True), from_clocks
				)
		mine = [
			r
			for r in sla_compliance.get_data(
				frappe._dict(service=SERVICE, from_date="2026-03-01", to_date=str(getdate())),
				from_rollup=False,
			)
		]
		self.assertTrue(mine and mine[0]["met"] and mine[0]["breached"], mine)
		# the rows the refresh kept are the rows recomputed from the clock rows alone
		days = sorted(
			{
				getdate(d)
				for d in frappe.get_all(
					"SMO SLA Day", filters={"service": ("in", (SERVICE, OTHER))}, pluck="day"
				)
			}
		)
		self.assertTrue(days)
		kept = self.rollup_rows(days)
		for day in days:
			rollup.refresh_day(day)
		self.assertEqual(self.rollup_rows(days), kept)

	def rollup_rows(self, days) -> list[tuple]:
		fields = ["day", "metric", *rollup.SCOPE, "hypercare", *rollup.COUNTS]
		return sorted(
			tuple(row)
			for row in frappe.get_all(
				"SMO SLA Day", filters={"day": ("in", days)}, fields=fields, as_list=True
			)
		)

	def test_the_rollup_gives_what_the_clock_rows_give(self):
		self.assert_rollup_gives_the_clock_rows()

	def test_changes_that_move_clocks_between_days_are_followed(self):
		rollup.refresh()
		with frozen("2026-03-20 09:30:00"):
			# a higher priority: an earlier due, another breach day
			doc = frappe.get_doc("HD Ticket", self.tickets[8])
			doc.priority = "Urgent"
			doc.save(ignore_permissions=True)
			# reopened: no longer met on its resolution day
			doc = frappe.get_doc("HD Ticket", self.tickets[0])
			doc.status = "Open"
			doc.save(ignore_permissions=True)
			# another service: its clocks of this service's agreements go
			doc = frappe.get_doc("HD Ticket", self.tickets[4])
			doc.smo_service = OTHER
			doc.save(ignore_permissions=True)
		# deleted: its clocks go with it
		frappe.delete_doc("HD Ticket", self.tickets[5], force=True, ignore_permissions=True)
		recompute_tickets([str(t) for t in self.tickets if t != self.tickets[5]])
		self.assert_rollup_gives_the_clock_rows()

	def test_a_large_site_reads_the_rollup_once_rebuilt(self):
		self.addCleanup(rollup.deactivate)
		rollup.deactivate()
		self.assertFalse(rollup.active())
		self.assertGreater(rollup.rebuild(), 0)
		self.assertTrue(rollup.active())
		stamped = frappe.db.get_value("SMO Ticket SLA", {"ticket": str(self.tickets[0])}, "rollup_days")
		self.assertIn("2026-03-02", stamped)
		filters = frappe._dict(from_date="2026-03-01", to_date=str(getdate()), service=SERVICE)
		self.assertEqual(
			sla_compliance.get_data(frappe._dict(filters)),
			sla_compliance.get_data(frappe._dict(filters), from_rollup=False),
		)
