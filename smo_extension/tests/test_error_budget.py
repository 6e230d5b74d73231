"""Error budgets from real clocks: the month's counts, pending and overdue clocks, the usual volume of the
previous months, the projection, the Error Budget report, and the once-per-month warning."""

import dataclasses

import frappe

from smo_extension.engine.budget import error_budget
from smo_extension.sla.budget import alert_name
from smo_extension.sla.budget import budget_rows
from smo_extension.sla.budget import notify_budget_risks
from smo_extension.sla.ticket import aware
from smo_extension.smo.report.error_budget import error_budget as error_budget_report
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import OWNER
from smo_extension.tests.factories import ensure_test_users
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_service
from smo_extension.tests.factories import set_settings
from smo_extension.tests.test_ticket_sla import SLATestCase

NOW = "2026-03-16 12:00:00"  # Monday, half-way through March (15.5 of 31 days)
TEAM_A = "_SMO Team A"


def on(month: int, day: int, hhmm: str) -> str:
	return f"2026-{month:02d}-{day:02d} {hhmm}:00"


class BudgetCase(SLATestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_test_users()

	def setUp(self):
		super().setUp()
		self.service = f"_B{frappe.generate_hash(length=5).upper()}"
		make_service(self.service, service_owner=OWNER, support_team=TEAM_A)
		self.sla = make_agreement(
			f"{self.service} SLA", self.service, calendar="_Test Weekdays", compliance_target=90
		).name
		self.make_history()

	def resolved(self, opened: str, resolved: str) -> str:
		name = str(self.new_ticket(opened, smo_service=self.service, agent_group=TEAM_A).name)
		self.change(name, resolved, status="Resolved")
		return name

	def make_history(self):
		"""Medium tickets (480 business minutes, Mon-Fri 09:00-17:00). February: 4 met, 1 breached; January: 3 met,
		1 breached (usual volume 4.5, met share 7/9). March so far: 2 met, 2 breached; one running clock due
		this afternoon (pending), one whose due passed on Friday without a scan (overdue)."""
		for day in (2, 3, 4, 5):
			self.resolved(on(2, day, "09:00"), on(2, day, "11:00"))
		self.resolved(on(2, 9, "09:00"), on(2, 10, "12:00"))
		for day in (5, 6, 7):
			self.resolved(on(1, day, "09:00"), on(1, day, "11:00"))
		self.resolved(on(1, 12, "09:00"), on(1, 13, "12:00"))
		self.resolved(on(3, 2, "09:00"), on(3, 2, "11:00"))
		self.resolved(on(3, 3, "09:00"), on(3, 3, "11:00"))
		self.resolved(on(3, 4, "09:00"), on(3, 5, "12:00"))  # breached 4 March 17:00
		self.resolved(on(3, 9, "09:00"), on(3, 10, "12:00"))  # breached 9 March 17:00
		self.new_ticket(on(3, 13, "09:00"), smo_service=self.service, agent_group=TEAM_A)  # due Friday 17:00
		self.new_ticket(on(3, 16, "09:00"), smo_service=self.service, agent_group=TEAM_A)  # due today 17:00

	def row(self, **kwargs) -> dict:
		with self.freeze_time(NOW):
			(row,) = budget_rows(service=self.service, now=aware(frappe.utils.now_datetime()), **kwargs)
		return row


class TestErrorBudget(BudgetCase):
	def test_the_month_so_far_and_its_projection(self):
		row = self.row()
		self.assertEqual((row["met"], row["breached"], row["overdue"], row["pending"]), (2, 2, 1, 1))
		self.assertEqual(row["usual_volume"], 4.5)
		self.assertAlmostEqual(row["met_ratio"], 7 / 9)
		self.assertEqual((str(row["period_start"]), str(row["period_end"])), ("2026-03-01", "2026-03-31"))
		# the engine's formula on the same inputs (see engine.budget): 2.25 clocks still to count at the usual
		# rate, 2 of them known, so 0.25 to arrive
		p = 7 / 9
		projected_met = 2 + p * 1.25
		projected_breached = 3 + (1 - p) * 1.25
		self.assertAlmostEqual(row["projected"], 100 * projected_met / (projected_met + projected_breached))
		self.assertAlmostEqual(row["expected"], 6.25)
		self.assertEqual((row["allowed"], row["used"], row["remaining"]), (0, 2, -2))
		self.assertAlmostEqual(row["burn_rate"], (2 / 4) / 0.1)
		self.assertEqual(row["status"], "Exhausted")

	def test_a_closed_month_projects_what_it_counted(self):
		row = self.row(day=frappe.utils.getdate("2026-02-15"))
		self.assertEqual((row["met"], row["breached"], row["pending"]), (4, 1, 0))
		self.assertAlmostEqual(row["projected"], 80.0)
		self.assertEqual(row["usual_volume"], 4.0)  # January only: December counted nothing
		self.assertEqual(row["allowed"], 0)

	def test_a_quarter_and_the_response_metric(self):
		quarter = self.row(kind="Quarter")
		self.assertEqual(
			(str(quarter["period_start"]), str(quarter["period_end"])), ("2026-01-01", "2026-03-31")
		)
		self.assertEqual((quarter["met"], quarter["breached"]), (9, 4))
		response = self.row(metric="Response")
		# no first response recorded: each response clock stops at resolution, as the resolution clock does
		self.assertEqual((response["met"], response["breached"]), (0, 4))

	def test_report_rows_chart_and_summary(self):
		with self.freeze_time(NOW):
			columns, data, _m, chart, summary = error_budget_report.execute({"service": self.service})
		(row,) = data
		self.assertEqual((row["agreement"], row["status"], row["remaining"]), (self.sla, "Exhausted", -2))
		self.assertEqual(len(chart["data"]["labels"]), 31)
		remaining, even = chart["data"]["datasets"]
		self.assertEqual(
			remaining["values"][:3], [0, 0, 0]
		)  # nothing allowed, nothing breached before the 4th
		self.assertEqual(remaining["values"][3], -1)
		self.assertEqual(remaining["values"][14], -2)
		self.assertEqual(even["values"][-1], 0)
		values = {s["label"]: s["value"] for s in summary}
		self.assertEqual((values["Projected Below Target"], values["Budgets Exhausted"]), (1, 1))
		self.assertIn("burn_rate", [c["fieldname"] for c in columns])

	def test_engine_and_site_agree(self):
		row = self.row()
		budget = row["budget"]
		again = error_budget(
			target_percent=90,
			met=2,
			breached=2,
			pending_dues=[
				aware(frappe.utils.get_datetime(on(3, 13, "17:00"))),
				aware(frappe.utils.get_datetime(on(3, 16, "17:00"))),
			],
			period_start=aware(frappe.utils.get_datetime("2026-03-01 00:00:00")),
			period_end=aware(frappe.utils.get_datetime("2026-04-01 00:00:00")),
			now=aware(frappe.utils.get_datetime(NOW)),
			usual_volume=4.5,
			history_ratio=7 / 9,
		)
		for field, value in dataclasses.asdict(again).items():
			self.assertAlmostEqual(getattr(budget, field), value, msg=field)


class TestBudgetWarning(BudgetCase):
	def notes(self) -> list:
		return frappe.get_all(
			"Notification Log",
			filters={"document_type": "SMO Service", "document_name": self.service},
			fields=["for_user", "subject", "email_content"],
			order_by="for_user asc",
		)

	def test_owner_and_managers_are_told_once_a_month(self):
		with self.freeze_time(NOW):
			notify_budget_risks(aware(frappe.utils.now_datetime()))
		notes = self.notes()
		self.assertEqual({n.for_user for n in notes} >= {OWNER, MANAGER}, True, notes)
		self.assertEqual(len({n.for_user for n in notes}), len(notes))  # one each
		subject = notes[0].subject
		self.assertIn(self.service, subject)
		self.assertIn(f"{self.row()['projected']:.1f}%", subject)
		self.assertIn("90%", subject)
		self.assertIn(f"Held by {TEAM_A} when they breached: 2 of 2", notes[0].email_content)
		self.assertIn("Priority Medium: 2 of 2", notes[0].email_content)
		alert = frappe.get_doc("SMO Budget Alert", alert_name(self.sla, frappe.utils.getdate("2026-03-01")))
		self.assertEqual((alert.service, alert.agreement, alert.breached), (self.service, self.sla, 2))
		self.assertIn(OWNER, alert.recipients)
		# the next day's run (and a second run the same day) sends nothing more
		for when in (NOW, "2026-03-17 09:00:00"):
			with self.freeze_time(when):
				notify_budget_risks(aware(frappe.utils.now_datetime()))
		self.assertEqual(len(self.notes()), len(notes))
		# nobody writes an alert by hand
		from smo_extension.smo.doctype.smo_budget_alert.smo_budget_alert import SMOBudgetAlertError

		with self.assertRaises(SMOBudgetAlertError):
			frappe.get_doc(
				{
					"doctype": "SMO Budget Alert",
					"service": self.service,
					"agreement": self.sla,
					"period_start": "2026-04-01",
				}
			).insert(ignore_permissions=True)

	def test_a_month_without_a_breach_yet_warns_nobody_whatever_the_history(self):
		# on 3 March only the two met clocks have counted; the history (7/9 met) projects below the 90 % target
		when = "2026-03-03 18:00:00"
		with self.freeze_time(when):
			(row,) = budget_rows(service=self.service, now=aware(frappe.utils.now_datetime()))
			self.assertLess(row["projected"], 90)
			self.assertEqual(row["used"], 0)
			notify_budget_risks(aware(frappe.utils.now_datetime()))
		self.assertEqual(self.notes(), [])

	def test_on_track_or_switched_off_sends_nothing(self):
		make_agreement(f"{self.service} SLA", self.service, calendar="_Test Weekdays", compliance_target=10)
		with self.freeze_time(NOW):
			notify_budget_risks(aware(frappe.utils.now_datetime()))
		self.assertEqual(self.notes(), [])
		make_agreement(f"{self.service} SLA", self.service, calendar="_Test Weekdays", compliance_target=99)
		set_settings(enabled=0)
		try:
			with self.freeze_time(NOW):
				self.assertEqual(notify_budget_risks(aware(frappe.utils.now_datetime())), 0)
		finally:
			set_settings(enabled=1)
		self.assertEqual(self.notes(), [])
