"""What-if replay, time ledger and error budgets through the real HTTP layer, as each persona: who gets an
answer, who gets a permission error, what bad inputs get back, and that none of it writes anything or logs an
error. The records are committed in setUpClass (requests run on their own connections) and removed again."""

import json

import frappe
from frappe.desk.form import assign_to

from smo_extension import helpdesk_compat
from smo_extension.contract import METHODS
from smo_extension.contract import REPORTS
from smo_extension.tests import SMOTestCase
from smo_extension.tests.factories import AGENT
from smo_extension.tests.factories import ANALYST
from smo_extension.tests.factories import HELPDESK_ADMIN
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import OTHER_OWNER
from smo_extension.tests.factories import OWNER
from smo_extension.tests.factories import PORTAL
from smo_extension.tests.factories import PORTAL_CUSTOMER
from smo_extension.tests.factories import ensure_test_users
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_budget_alert
from smo_extension.tests.factories import make_calendar
from smo_extension.tests.factories import make_service
from smo_extension.tests.factories import make_team
from smo_extension.tests.factories import make_ticket
from smo_extension.tests.factories import set_settings
from smo_extension.tests.http import Session
from smo_extension.tests.http import error_log_count
from smo_extension.tests.http import session

SERVICE = "_HWI"
LIVE = "_HWI SLA"
TIGHT = "_HWI SLA tight"
COPY = "_HWI SLA copy"
CALENDAR = "_HWI Weekdays"
TEAM_A, TEAM_B = "_HWI Team A", "_HWI Team B"
MARCH = {"from_date": "2026-03-01", "to_date": "2026-03-31"}
WHAT_IF = "smo_extension.api.sla.what_if"
LEDGER = "smo_extension.api.sla.get_time_ledger"
USERS = {
	"SMO Manager": MANAGER,
	"SMO Analyst": ANALYST,
	"Service Owner": OWNER,
	"Helpdesk agent": AGENT,
	"Helpdesk admin": HELPDESK_ADMIN,
	"Portal customer": PORTAL,
	"Guest": "Guest",
}


def at(day: int, hhmm: str) -> str:
	return f"2026-03-{day:02d} {hhmm}:00"


class TestInsightOverHTTP(SMOTestCase):
	tickets: dict[str, str]

	@classmethod
	def frozen(cls, when: str):
		return SMOTestCase.freeze_time(cls, when)

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_test_users()
		set_settings(enabled=1)
		cls.remove_fixtures()
		make_calendar(CALENDAR)
		make_team(TEAM_A)
		make_team(TEAM_B)
		make_service(SERVICE, service_owner=OWNER, support_team=TEAM_A)
		make_agreement(LIVE, SERVICE, calendar=CALENDAR, compliance_target=90)
		for name, minutes in ((TIGHT, 400), (COPY, 480)):
			doc = frappe.copy_doc(frappe.get_doc("SMO Service Level Agreement", LIVE))
			doc.agreement_name, doc.status = name, "Draft"
			next(t for t in doc.targets if t.priority == "Medium").resolution_minutes = minutes
			doc.insert(ignore_permissions=True)
		cls.tickets = {}
		for key, opened, resolved, extra in (
			("fast", at(2, "09:00"), at(2, "11:00"), {}),
			("slow", at(2, "09:00"), at(2, "16:20"), {}),  # 440 of 480: flips under 400
			("late", at(2, "09:00"), at(3, "10:00"), {}),  # breached
			("portal", at(4, "09:00"), at(4, "10:00"), {"customer": PORTAL_CUSTOMER, "raised_by": PORTAL}),
		):
			cls.tickets[key] = cls.ticket(opened, resolved, **extra)
		# moved between teams, assigned through Helpdesk's ToDo
		with cls.frozen(at(5, "09:00")):
			moved = str(make_ticket(smo_service=SERVICE, priority="Medium", agent_group=TEAM_A).name)
		with cls.frozen(at(5, "09:30")):
			assign_to.add(
				{"assign_to": [AGENT], "doctype": "HD Ticket", "name": moved}, ignore_permissions=True
			)
		cls.save(moved, at(5, "11:00"), agent_group=TEAM_B)
		cls.save(moved, at(5, "13:00"), status="Resolved")
		cls.tickets["moved"] = moved
		alert = make_budget_alert(SERVICE, LIVE, "2026-03-01", period_end="2026-03-31")
		cls.alert = alert.name
		frappe.db.commit()  # nosemgrep: HTTP requests read committed data only

	@classmethod
	def ticket(cls, opened: str, resolved: str, **fields) -> str:
		with cls.frozen(opened):
			name = str(make_ticket(smo_service=SERVICE, priority="Medium", **fields).name)
		cls.save(name, resolved, status="Resolved")
		return name

	@classmethod
	def save(cls, name: str, when: str, **values) -> None:
		with cls.frozen(when):
			doc = frappe.get_doc("HD Ticket", name)
			doc.update(values)
			doc.save(ignore_permissions=True)

	@classmethod
	def tearDownClass(cls):
		cls.remove_fixtures()
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	@classmethod
	def remove_fixtures(cls):
		for name in frappe.get_all("HD Ticket", filters={"smo_service": SERVICE}, pluck="name"):
			frappe.db.delete("ToDo", {"reference_type": "HD Ticket", "reference_name": str(name)})
			frappe.db.delete("Notification Log", {"document_type": "HD Ticket", "document_name": str(name)})
			frappe.delete_doc("HD Ticket", name, force=True, ignore_permissions=True)
		frappe.db.delete("SMO Budget Alert", {"service": SERVICE})
		frappe.db.delete("SMO Ticket SLA", {"service": SERVICE})
		for name in frappe.get_all("SMO Service Level Agreement", filters={"service": SERVICE}, pluck="name"):
			frappe.delete_doc("SMO Service Level Agreement", name, force=True, ignore_permissions=True)
		for doctype, name in (("SMO Service", SERVICE), ("SMO Business Calendar", CALENDAR)):
			if frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)

	# -- helpers
	def snapshot(self) -> dict:
		frappe.db.rollback()  # a fresh view of what the requests committed
		out = {}
		for doctype in ("SMO Ticket SLA", "SMO Ticket Event", "Version", "Comment", "SMO Budget Alert"):
			out[doctype] = (frappe.db.count(doctype), frappe.db.get_value(doctype, {}, "max(modified)"))
		out["tickets"] = frappe.get_all(
			"HD Ticket",
			filters={"smo_service": SERVICE},
			fields=["name", "modified", "smo_sla_state", "smo_resolution_due"],
			order_by="name",
		)
		out["agreements"] = frappe.get_all(
			"SMO Service Level Agreement",
			filters={"service": SERVICE},
			fields=["name", "modified", "version"],
			order_by="name",
		)
		out["errors"] = error_log_count()
		return out

	def as_user(self, user: str) -> Session:
		return Session("Guest") if user == "Guest" else session(user)

	# -- what-if
	def test_what_if_as_each_persona(self):
		allowed = METHODS[WHAT_IF]
		for persona, user in USERS.items():
			answer = self.as_user(user).call(WHAT_IF, agreement=TIGHT, **MARCH)
			if persona in allowed:
				self.assertEqual(answer.status, 200, (persona, answer))
				result = answer.data
				self.assertEqual(
					set(result) >= {"overall", "by_service", "by_customer", "by_priority", "flipped"}, True
				)
				self.assertEqual(result["overall"]["live"], {"met": 4, "breached": 1, "compliance": 80.0})
				self.assertEqual(result["overall"]["what_if"], {"met": 3, "breached": 2, "compliance": 60.0})
				(flip,) = result["flipped"]
				self.assertEqual(
					(flip["ticket"], flip["live_state"], flip["what_if_state"]),
					(self.tickets["slow"], "Met", "Breached"),
				)
				self.assertEqual((flip["live_due"], flip["what_if_due"]), (at(2, "17:00"), at(2, "15:40")))
			else:
				self.assertIn(answer.status, (401, 403), (persona, answer))
				self.assertEqual(answer.exc_type, "PermissionError", (persona, answer))
		# an owner of another service is refused too
		answer = session(OTHER_OWNER).call(WHAT_IF, agreement=TIGHT, **MARCH)
		self.assertEqual((answer.status, answer.exc_type), (403, "PermissionError"))

	def test_an_unchanged_copy_gives_exactly_the_live_figures_and_the_compliance_report_agrees(self):
		result = session(ANALYST).call(WHAT_IF, agreement=COPY, **MARCH).data
		self.assertEqual(result["overall"]["live"], result["overall"]["what_if"])
		self.assertEqual(result["flipped"], [])
		report = session(ANALYST).run_report(
			"SLA Compliance", {**MARCH, "agreement": LIVE, "agreement_type": "SLA"}
		)
		self.assertEqual(report.status, 200, report)
		(row,) = report.data["result"][:1]
		self.assertEqual(
			(row["met"], row["breached"]),
			(result["overall"]["live"]["met"], result["overall"]["live"]["breached"]),
		)

	def test_what_if_writes_nothing(self):
		before = self.snapshot()
		manager = session(MANAGER)
		for agreement in (TIGHT, COPY, LIVE):
			for metric in ("Resolution", "Response"):
				self.assertEqual(
					manager.call(WHAT_IF, agreement=agreement, metric=metric, **MARCH).status, 200
				)
			for view in ("By Priority", "By Customer", "By Service", "Flipped Tickets"):
				self.assertEqual(
					manager.run_report("SLA What-If", {"agreement": agreement, "view": view, **MARCH}).status,
					200,
				)
		self.assertEqual(self.snapshot(), before)

	def test_bad_inputs_get_translated_errors_write_nothing_and_log_nothing(self):
		before = self.snapshot()
		manager = session(MANAGER)
		cases = [
			(WHAT_IF, {"agreement": "_no such agreement", **MARCH}, 404, "DoesNotExistError"),
			(
				WHAT_IF,
				{"agreement": TIGHT, "from_date": "2026-03-31", "to_date": "2026-03-01"},
				417,
				"SMOPeriodError",
			),
			(
				WHAT_IF,
				{"agreement": TIGHT, "from_date": "2016-01-01", "to_date": "2026-01-01"},
				417,
				"SMOPeriodError",
			),
			(
				WHAT_IF,
				{"agreement": TIGHT, "from_date": "next Tuesday", "to_date": "2026-03-31"},
				417,
				"SMOPeriodError",
			),
			(
				WHAT_IF,
				{"agreement": TIGHT, "from_date": "2026-02-30", "to_date": "2026-03-31"},
				417,
				"SMOPeriodError",
			),
			(WHAT_IF, {"agreement": [TIGHT], **MARCH}, 417, "SMOArgumentError"),
			(
				WHAT_IF,
				{"agreement": TIGHT, "from_date": ["2026-03-01"], "to_date": "2026-03-31"},
				417,
				"SMOArgumentError",
			),
			(WHAT_IF, {"agreement": TIGHT, "metric": "Speed", **MARCH}, 417, "SMOWhatIfError"),
			(WHAT_IF, {"agreement": TIGHT, "metric": ["Response"], **MARCH}, 417, "SMOArgumentError"),
			(LEDGER, {"ticket": "99999999"}, 404, "DoesNotExistError"),
			(LEDGER, {"ticket": [self.tickets["moved"]]}, 417, "SMOArgumentError"),
			(LEDGER, {"ticket": {"name": self.tickets["moved"]}}, 417, "SMOArgumentError"),
		]
		for method, args, status, exc_type in cases:
			answer = manager.call(method, **args)
			self.assertEqual((answer.status, answer.exc_type), (status, exc_type), (method, args, answer))
			self.assertTrue(answer.message, (method, args, answer))
		ten_years = manager.call(WHAT_IF, agreement=TIGHT, from_date="2016-01-01", to_date="2026-01-01")
		self.assertIn("366", ten_years.message)
		report_cases = [
			(
				"SLA What-If",
				{"agreement": TIGHT, "from_date": "2026-03-31", "to_date": "2026-03-01"},
				"SMOPeriodError",
			),
			(
				"SLA What-If",
				{"agreement": TIGHT, "from_date": "2016-01-01", "to_date": "2026-01-01"},
				"SMOPeriodError",
			),
			("SLA What-If", {"agreement": [TIGHT], **MARCH}, "SMOReportFilterError"),
			("SLA What-If", {"agreement": "_no such agreement", **MARCH}, "DoesNotExistError"),
			("SLA What-If", MARCH, "SMOReportFilterError"),
			(
				"SLA What-If",
				{"agreement": TIGHT, "from_date": "soon", "to_date": "2026-03-31"},
				"SMOReportFilterError",
			),
			("SLA What-If", {"agreement": TIGHT, "view": "Sideways", **MARCH}, "SMOReportFilterError"),
			("SLA Time by Team", {"from_date": "2026-03-31", "to_date": "2026-03-01"}, "SMOPeriodError"),
			("SLA Time by Team", {"from_date": "2016-01-01", "to_date": "2026-01-01"}, "SMOPeriodError"),
			("SLA Time by Team", {**MARCH, "service": ["_HWI"]}, "SMOReportFilterError"),
			("SLA Time by Team", {**MARCH, "outcome": "Late"}, "SMOReportFilterError"),
			("Error Budget", {"date": "yesterday-ish"}, "SMOReportFilterError"),
			("Error Budget", {"period": "Fortnight"}, "SMOReportFilterError"),
			("Error Budget", {"agreement": "_no such agreement"}, "DoesNotExistError"),
		]
		for report, filters, exc_type in report_cases:
			answer = manager.run_report(report, filters)
			self.assertEqual(answer.exc_type, exc_type, (report, filters, answer))
			self.assertIn(answer.status, (404, 417), (report, filters, answer))
		self.assertEqual(self.snapshot(), before)

	# -- time ledger
	def test_time_ledger_as_each_persona(self):
		allowed = METHODS[LEDGER]
		moved = self.tickets["moved"]
		elapsed = frappe.db.get_value(
			"SMO Ticket SLA", {"ticket": moved, "agreement": LIVE}, "resolution_elapsed_minutes"
		)
		for persona, user in USERS.items():
			answer = self.as_user(user).call(LEDGER, ticket=helpdesk_compat.ticket_as_sent(moved))
			if persona in allowed:
				self.assertEqual(answer.status, 200, (persona, answer))
				ledger = answer.data
				self.assertEqual(
					[(s["team"], s["agent"]) for s in ledger],
					[(TEAM_A, None), (TEAM_A, AGENT), (TEAM_B, AGENT)],
				)
				self.assertAlmostEqual(sum(s["business_seconds"] for s in ledger), elapsed * 60, delta=1)
			else:
				self.assertIn(answer.status, (401, 403), (persona, answer))
				self.assertEqual(answer.exc_type, "PermissionError", (persona, answer))
		# not even for a ticket of their own customer, raised by them: it shows internal teams
		answer = session(PORTAL).call(LEDGER, ticket=self.tickets["portal"])
		self.assertEqual((answer.status, answer.exc_type), (403, "PermissionError"))

	# -- reports
	def test_every_report_opens_with_every_filter_for_its_roles_only(self):
		variants = {
			"SLA What-If": [
				{"agreement": agreement, "view": view, "metric": metric, **MARCH}
				for agreement in (TIGHT, LIVE)
				for view in ("By Priority", "By Customer", "By Service", "Flipped Tickets")
				for metric in ("Resolution", "Response")
			],
			"SLA Time by Team": [
				{**MARCH, "view": view, "outcome": outcome, **extra}
				for view in ("Teams", "Handoffs", "Tickets")
				for outcome in ("", "Breached", "Met")
				for extra in ({}, {"service": SERVICE})
			],
			"Error Budget": [
				{"period": period, "date": "2026-03-16", "metric": metric, **extra}
				for period in ("Month", "Quarter", "Week")
				for metric in ("Resolution", "Response")
				for extra in ({}, {"service": SERVICE}, {"agreement": LIVE}, {"agreement_type": "OLA"})
			],
		}
		for report, filter_sets in variants.items():
			roles = REPORTS[report]
			for persona, user in USERS.items():
				requester = self.as_user(user)
				for filters in filter_sets if persona in roles else filter_sets[:1]:
					answer = requester.run_report(report, filters)
					if persona in roles:
						self.assertEqual(answer.status, 200, (report, persona, filters, answer))
						self.assertIn("result", answer.data)
					else:
						self.assertIn(answer.status, (401, 403), (report, persona, answer))
		flipped = session(OWNER).run_report(
			"SLA What-If", {"agreement": TIGHT, "view": "Flipped Tickets", **MARCH}
		)
		self.assertEqual([r["ticket"] for r in flipped.data["result"]], [self.tickets["slow"]])
		teams = session(ANALYST).run_report(
			"SLA Time by Team", {**MARCH, "service": SERVICE, "view": "Tickets"}
		)
		moved = [r for r in teams.data["result"] if r["ticket"] == self.tickets["moved"]]
		self.assertEqual([r["team"] for r in moved], [TEAM_A, TEAM_B])
		budget = session(MANAGER).run_report("Error Budget", {"date": "2026-03-16", "agreement": LIVE})
		(row,) = budget.data["result"]
		self.assertEqual((row["met"], row["breached"]), (4, 1))
		self.assertEqual(budget.data["chart"]["type"], "line")
		# a service owner's what-if report stops at another owner's service
		answer = session(OTHER_OWNER).run_report("SLA What-If", {"agreement": TIGHT, **MARCH})
		self.assertEqual((answer.status, answer.exc_type), (403, "PermissionError"))

	def test_budget_alerts_are_read_by_smo_staff_and_written_by_nobody(self):
		for persona, user in USERS.items():
			requester = self.as_user(user)
			answer = requester.read("SMO Budget Alert", self.alert)
			if persona in ("SMO Manager", "SMO Analyst", "Service Owner"):
				self.assertEqual(answer.status, 200, (persona, answer))
			else:
				self.assertIn(answer.status, (401, 403), (persona, answer))
		before = self.snapshot()
		manager = session(MANAGER)
		self.assertEqual(
			manager.update("SMO Budget Alert", self.alert, {"projected_compliance": 99}).status, 403
		)
		self.assertEqual(manager.remove("SMO Budget Alert", self.alert).status, 403)
		answer = manager.create(
			"SMO Budget Alert", {"service": SERVICE, "agreement": LIVE, "period_start": "2026-04-01"}
		)
		self.assertEqual(answer.status, 403, answer)
		self.assertEqual(self.snapshot(), before)
		self.assertEqual(json.dumps(before, default=str), json.dumps(self.snapshot(), default=str))
