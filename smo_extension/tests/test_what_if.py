"""What-if replay on real clocks: exact agreement with the live clocks for an unchanged copy, flips with both due
dates for other terms, which tickets each kind of agreement would judge, and that nothing is ever written."""

import frappe
from frappe.utils import get_datetime

from smo_extension.api.sla import what_if as api_what_if
from smo_extension.sla import whatif
from smo_extension.sla.period import SMOPeriodError
from smo_extension.smo.report.sla_compliance import sla_compliance
from smo_extension.smo.report.sla_what_if import sla_what_if
from smo_extension.tests.factories import ANALYST
from smo_extension.tests.factories import OTHER_OWNER
from smo_extension.tests.factories import OWNER
from smo_extension.tests.factories import ensure_test_users
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_calendar
from smo_extension.tests.factories import make_customer
from smo_extension.tests.factories import make_service
from smo_extension.tests.test_ticket_sla import SLATestCase
from smo_extension.tests.test_ticket_sla import at

AGREEMENT = "SMO Service Level Agreement"
MARCH = ("2026-03-01", "2026-03-31")
NOW = at(10, "12:00")  # Tuesday 10 March
SILVER = "_SMO Customer Silver"
GOLD = "_SMO Customer Gold"


def draft_copy(source: str, name: str, targets: dict | None = None, **values):
	"""A Draft copy of an agreement, as Duplicate makes it, with other terms if given."""
	doc = frappe.copy_doc(frappe.get_doc(AGREEMENT, source))
	doc.agreement_name = name
	doc.status = "Draft"
	doc.update(values)
	for row in doc.targets:
		if targets and row.priority in targets:
			row.response_minutes, row.resolution_minutes = targets[row.priority]
	return doc.insert(ignore_permissions=True)


def snapshot(service: str) -> dict:
	"""Everything a what-if must leave as it was: row counts and last changes of the clock and event tables, the
	service's tickets and agreements, versions, logs."""
	out = {}
	for doctype in (
		"SMO Ticket SLA",
		"SMO Ticket Event",
		"Version",
		"Error Log",
		"Comment",
		"Notification Log",
	):
		out[doctype] = (
			frappe.db.count(doctype),
			frappe.db.get_value(doctype, {}, "max(modified)"),
		)
	out["clocks"] = frappe.get_all(
		"SMO Ticket SLA", filters={"service": service}, fields=["*"], order_by="name asc"
	)
	out["tickets"] = frappe.get_all(
		"HD Ticket",
		filters={"smo_service": service},
		fields="name modified smo_sla_state smo_resolution_due smo_response_due smo_sla_note".split(),
		order_by="name asc",
	)
	out["agreements"] = frappe.get_all(
		AGREEMENT,
		filters={"service": service},
		fields=["name", "modified", "version", "status"],
		order_by="name",
	)
	return out


class WhatIfCase(SLATestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer(SILVER)
		make_calendar(
			"_Test Always",
			windows={
				day: [("00:00", "00:00")]
				for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
			},
		)

	def setUp(self):
		super().setUp()
		self.service = f"_W{frappe.generate_hash(length=5).upper()}"
		make_service(self.service, support_team="_SMO Team A")
		self.general = make_agreement(
			f"{self.service} SLA", self.service, calendar="_Test Weekdays", compliance_target=90
		).name
		self.gold = make_agreement(
			f"{self.service} Gold",
			self.service,
			customer=GOLD,
			calendar="_Test Weekdays",
			targets={p: (30, 240) for p in ("Urgent", "High", "Medium", "Low")},
		).name
		self.ola = make_agreement(
			f"{self.service} OLA A", self.service, "OLA", team="_SMO Team A", calendar="_Test Weekdays"
		).name
		self.t = self.make_outcomes()

	def ticket(self, when: str, **fields):
		return str(self.new_ticket(when, smo_service=self.service, **fields).name)

	def make_outcomes(self) -> dict[str, str]:
		"""Medium tickets (general SLA: 480 business minutes, Mon-Fri 09:00-17:00)."""
		t = {}
		t["fast"] = self.ticket(at(2, "09:00"))
		self.change(t["fast"], at(2, "11:00"), status="Resolved")  # 120 min: met
		t["slow"] = self.ticket(at(2, "09:00"))
		self.change(t["slow"], at(2, "16:20"), status="Resolved")  # 440 min: met
		t["late"] = self.ticket(at(2, "09:00"))
		self.change(t["late"], at(3, "10:00"), status="Resolved")  # 540 min: breached Mon 17:00
		t["paused"] = self.ticket(at(2, "09:00"))
		self.change(t["paused"], at(2, "10:00"), status="Replied")
		self.change(t["paused"], at(3, "09:00"), status="Open")
		self.change(t["paused"], at(3, "10:00"), status="Resolved")  # 120 min: met
		t["weekend"] = self.ticket(at(6, "16:00"))  # Friday
		self.change(t["weekend"], at(9, "11:00"), status="Resolved")  # 60 + 120 = 180 min: met
		t["running"] = self.ticket(at(10, "09:00"))  # still open at NOW
		t["gold"] = self.ticket(at(2, "09:00"), customer=GOLD)
		self.change(t["gold"], at(2, "14:00"), status="Resolved")  # 300 > 240: Gold breached at 13:00
		t["silver"] = self.ticket(at(4, "09:00"), customer=SILVER)
		self.change(t["silver"], at(4, "11:00"), status="Resolved")  # 120 min: met (general SLA)
		t["handed"] = self.ticket(at(5, "09:00"), agent_group="_SMO Team A")
		self.change(t["handed"], at(5, "10:00"), agent_group="_SMO Team B")
		self.change(t["handed"], at(5, "12:00"), status="Resolved")  # OLA A: 60 min, stopped at 10:00
		return t

	def run_what_if(self, agreement: str, period=MARCH, metric="Resolution", now=NOW) -> dict:
		with self.freeze_time(now):
			return whatif.what_if(agreement, *period, metric=metric)


class TestWhatIfAgreesWithLiveClocks(WhatIfCase):
	def test_an_unchanged_copy_of_the_general_sla_gives_exactly_the_live_compliance(self):
		copy = draft_copy(self.general, f"{self.service} SLA copy").name
		result = self.run_what_if(copy)
		self.assertEqual(result["overall"]["live"], result["overall"]["what_if"])
		self.assertEqual(result["overall"]["live"], {"met": 6, "breached": 1, "compliance": 600 / 7})
		self.assertEqual(result["flipped"], [])
		self.assertEqual(result["flipped_total"], 0)
		for group in ("by_service", "by_customer", "by_priority"):
			for row in result[group]:
				self.assertEqual(row["live"], row["what_if"], (group, row))
		# The SLA Compliance report counts the same live clocks.
		_c, data, *_ = sla_compliance.execute(
			{"from_date": MARCH[0], "to_date": MARCH[1], "agreement": self.general, "agreement_type": "SLA"}
		)
		(row,) = data
		self.assertEqual((row["met"], row["breached"]), (6, 1))
		# Gold tickets stay with their customer-specific SLA: the general one would not judge them.
		self.assertNotIn(GOLD, [r["customer"] for r in result["by_customer"]])
		self.assertIn(SILVER, [r["customer"] for r in result["by_customer"]])
		self.assertEqual(result["tickets"], 8)  # every non-Gold ticket, the running one included

	def test_the_response_metric_and_the_other_slots_agree_too(self):
		general = self.run_what_if(draft_copy(self.general, f"{self.service} R copy").name, metric="Response")
		self.assertEqual(general["overall"]["live"], general["overall"]["what_if"])
		self.assertGreater(general["overall"]["live"]["met"] + general["overall"]["live"]["breached"], 0)
		gold = self.run_what_if(draft_copy(self.gold, f"{self.service} Gold copy").name)
		self.assertEqual(gold["overall"]["live"], {"met": 0, "breached": 1, "compliance": 0.0})
		self.assertEqual(gold["overall"]["what_if"], gold["overall"]["live"])
		self.assertEqual([r["customer"] for r in gold["by_customer"]], [GOLD])
		ola = self.run_what_if(draft_copy(self.ola, f"{self.service} OLA copy").name)
		self.assertEqual(ola["overall"]["live"], {"met": 1, "breached": 0, "compliance": 100.0})
		self.assertEqual(ola["overall"]["what_if"], ola["overall"]["live"])
		self.assertEqual(ola["tickets"], 1)  # only the ticket team A held

	def test_the_active_agreement_itself_is_its_own_live_clock(self):
		result = self.run_what_if(self.general)
		self.assertEqual(result["overall"]["live"], result["overall"]["what_if"])
		self.assertEqual(result["status"], "Active")

	def test_a_live_clock_the_scan_has_not_reached_is_judged_as_of_its_last_evaluation(self):
		# The running ticket's clock is at risk from 15:00 and breached after 17:00; nobody scanned it.
		later = at(10, "18:00")
		copy = draft_copy(self.general, f"{self.service} stale copy").name
		result = self.run_what_if(copy, now=later)
		self.assertEqual(result["overall"]["live"], result["overall"]["what_if"])
		self.assertTrue(any("scheduler" in n for n in result["notes"]), result["notes"])
		self.assertEqual(result["flipped"], [])


class TestWhatIfOtherTerms(WhatIfCase):
	def test_tighter_targets_flip_a_met_ticket_with_both_due_dates(self):
		draft = draft_copy(self.general, f"{self.service} tight", targets={"Medium": (60, 400)}).name
		result = self.run_what_if(draft)
		self.assertEqual(result["overall"]["live"], {"met": 6, "breached": 1, "compliance": 600 / 7})
		self.assertEqual(result["overall"]["what_if"], {"met": 5, "breached": 2, "compliance": 500 / 7})
		(flip,) = result["flipped"]
		self.assertEqual(flip["ticket"], self.t["slow"])
		self.assertEqual((flip["live_state"], flip["what_if_state"]), ("Met", "Breached"))
		self.assertEqual(flip["live_agreement"], self.general)
		# live: met at 16:20, due 17:00; what-if: 400 minutes from 09:00 = 15:40
		self.assertEqual(get_datetime(flip["live_due"]), get_datetime(at(2, "17:00")))
		self.assertEqual(get_datetime(flip["what_if_due"]), get_datetime(at(2, "15:40")))
		(medium,) = result["by_priority"]
		self.assertEqual(medium["priority"], "Medium")
		self.assertEqual(medium["what_if"]["breached"], 2)

	def test_another_calendar_flips_the_weekend_ticket(self):
		draft = draft_copy(self.general, f"{self.service} 24x7", calendar="_Test Always").name
		result = self.run_what_if(draft)
		flips = {f["ticket"]: f for f in result["flipped"]}
		self.assertEqual(set(flips), {self.t["weekend"]})
		flip = flips[self.t["weekend"]]
		# 24x7: opened Friday 16:00, 480 minutes later is Saturday 00:00; live it beat Monday 16:00
		self.assertEqual(get_datetime(flip["what_if_due"]), get_datetime(at(7, "00:00")))
		self.assertEqual(get_datetime(flip["live_due"]), get_datetime(at(9, "16:00")))
		self.assertEqual(result["overall"]["what_if"]["breached"], 2)

	def test_a_customer_specific_draft_takes_that_customers_tickets_from_the_general_sla(self):
		draft = make_agreement(
			f"{self.service} Silver",
			self.service,
			customer=SILVER,
			calendar="_Test Weekdays",
			status="Draft",
			targets={p: (30, 60) for p in ("Urgent", "High", "Medium", "Low")},
		).name
		result = self.run_what_if(draft)
		self.assertEqual(result["tickets"], 1)
		(flip,) = result["flipped"]
		self.assertEqual((flip["ticket"], flip["live_agreement"]), (self.t["silver"], self.general))
		self.assertEqual((flip["live_state"], flip["what_if_state"]), ("Met", "Breached"))
		self.assertEqual(get_datetime(flip["what_if_due"]), get_datetime(at(4, "10:00")))

	def test_a_changed_active_agreement_shows_what_its_new_version_does_to_stopped_clocks(self):
		doc = frappe.get_doc(AGREEMENT, self.general)
		next(t for t in doc.targets if t.priority == "Medium").resolution_minutes = 400
		doc.save(ignore_permissions=True)
		self.assertEqual(doc.version, 2)
		result = self.run_what_if(self.general)
		# stopped clocks keep the version that judged them; the what-if shows what version 2 makes of them
		self.assertEqual([f["ticket"] for f in result["flipped"]], [self.t["slow"]])
		self.assertEqual(frappe.db.get_value(AGREEMENT, self.general, "version"), 2)
		self.assertEqual(
			frappe.db.get_value(
				"SMO Ticket SLA", {"ticket": self.t["slow"], "agreement": self.general}, "agreement_version"
			),
			1,
		)

	def test_a_draft_valid_only_later_judges_nothing_and_says_why(self):
		draft = draft_copy(self.general, f"{self.service} next year", valid_from="2026-06-01").name
		result = self.run_what_if(draft)
		self.assertEqual(result["tickets"], 0)
		self.assertEqual(result["overall"]["what_if"], {"met": 0, "breached": 0, "compliance": None})
		self.assertTrue(any("Valid From" in n for n in result["notes"]))

	def test_a_draft_without_a_target_for_a_priority_says_so(self):
		doc = draft_copy(self.general, f"{self.service} partial")
		doc.targets = [t for t in doc.targets if t.priority != "Medium"]
		doc.save(ignore_permissions=True)
		result = self.run_what_if(doc.name)
		self.assertEqual(result["overall"]["what_if"], {"met": 0, "breached": 0, "compliance": None})
		self.assertTrue(any("no target" in n for n in result["notes"]))
		# every counted ticket loses its breach or its met: the breached one no longer breached is a flip
		self.assertEqual([f["ticket"] for f in result["flipped"]], [self.t["late"]])
		self.assertIsNone(result["flipped"][0]["what_if_state"])

	def test_the_period_bounds_what_counts(self):
		copy = draft_copy(self.general, f"{self.service} week").name
		# Monday 9 to Sunday 15: only the weekend ticket stopped in it
		result = self.run_what_if(copy, period=("2026-03-09", "2026-03-15"))
		self.assertEqual(result["overall"]["live"], {"met": 1, "breached": 0, "compliance": 100.0})
		self.assertEqual(result["overall"]["what_if"], result["overall"]["live"])


class TestWhatIfWritesNothing(WhatIfCase):
	def test_no_row_event_ticket_field_or_version_changes(self):
		draft = draft_copy(self.general, f"{self.service} tight", targets={"Medium": (60, 400)}).name
		before = snapshot(self.service)
		for agreement in (draft, self.general, self.gold, self.ola):
			for metric in ("Resolution", "Response"):
				self.run_what_if(agreement, metric=metric)
		with self.freeze_time(NOW):
			sla_what_if.execute({"agreement": draft, "from_date": MARCH[0], "to_date": MARCH[1]})
			sla_what_if.execute(
				{"agreement": draft, "from_date": MARCH[0], "to_date": MARCH[1], "view": "Flipped Tickets"}
			)
		self.assertEqual(snapshot(self.service), before)


class TestWhatIfInputsAndPermissions(WhatIfCase):
	def test_bad_inputs_get_clear_errors(self):
		copy = draft_copy(self.general, f"{self.service} copy").name
		for period in (("2026-03-31", "2026-03-01"), ("2016-01-01", "2026-01-01"), ("someday", "2026-03-01")):
			with self.assertRaises(SMOPeriodError, msg=period):
				whatif.what_if(copy, *period)
		with self.assertRaises(whatif.SMOWhatIfError):
			whatif.what_if(copy, *MARCH, metric="Speed")
		uc = make_agreement(
			f"{self.service} UC", self.service, "UC", supplier="Acme Hosting", status="Draft"
		).name
		with self.assertRaises(whatif.SMOWhatIfError):
			whatif.what_if(uc, *MARCH)
		with self.assertRaises(frappe.DoesNotExistError):
			api_what_if("_no such agreement", *MARCH)

	def test_owners_analyse_only_their_own_services(self):
		ensure_test_users()
		make_service(self.service, service_owner=OWNER)
		with self.set_user(OWNER), self.freeze_time(NOW):
			self.assertIn("overall", api_what_if(self.general, *MARCH))
		with self.set_user(OTHER_OWNER), self.assertRaises(frappe.PermissionError):
			api_what_if(self.general, *MARCH)
		with self.set_user(ANALYST), self.freeze_time(NOW):
			self.assertIn("overall", api_what_if(self.general, *MARCH))
