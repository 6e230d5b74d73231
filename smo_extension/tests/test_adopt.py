"""From Helpdesk's own SLAs to the SMO, as the SMO Manager does it over HTTP: preview, import (idempotent,
never writing to Helpdesk), bad input, the comparison with Helpdesk's own due dates, the switch-over and the way
back."""

from __future__ import annotations

import json
from datetime import date
from datetime import timedelta
from unittest.mock import patch

import frappe
from frappe.utils import get_datetime

from smo_extension.sla import adopt
from smo_extension.tests import SMOTestCase
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import frozen
from smo_extension.tests.factories import make_customer
from smo_extension.tests.factories import make_team
from smo_extension.tests.factories import make_ticket
from smo_extension.tests.factories import remove_imported
from smo_extension.tests.factories import set_settings
from smo_extension.tests.http import session

SLA = "HD Service Level Agreement"
HOLIDAYS = "_AD Holidays"
TYPE, TEAM, CUSTOMER = "_AD Type", "_AD Team", "_AD Customer"
RESPONSE_ONLY, GOLD, WEEKDAYS, FANCY = "_AD Response Only", "_AD Gold", "_AD Weekdays", "_AD Fancy"
MINE = (RESPONSE_ONLY, GOLD, WEEKDAYS, FANCY)
PRIORITIES = {"Urgent": (1800, 7200), "High": (3600, 14400), "Medium": (28800, 86400), "Low": (86400, 259200)}
SMO_DOCTYPES = (
	"SMO Service",
	"SMO Business Calendar",
	"SMO Service Level Agreement",
	"SMO Service Mapping Rule",
)


# every Sunday from 6 September 2026 to 27 December 2026: 17 weekly offs
SUNDAYS = [date(2026, 9, 6) + timedelta(weeks=n) for n in range(17)]


def make_holiday_list() -> None:
	"""December 2026 with every Sunday a weekly off and Christmas a holiday."""
	if frappe.db.exists("HD Service Holiday List", HOLIDAYS):
		frappe.delete_doc("HD Service Holiday List", HOLIDAYS, force=True, ignore_permissions=True)
	doc = frappe.get_doc(
		{
			"doctype": "HD Service Holiday List",
			"holiday_list_name": HOLIDAYS,
			"from_date": "2026-09-01",
			"to_date": "2027-01-31",
			"weekly_off": "Sunday",
			"holidays": [
				{"holiday_date": "2026-12-25", "description": "Natale", "weekly_off": 0},
				{"holiday_date": "2026-11-04", "description": "Festa", "weekly_off": 0},
				*(
					{"holiday_date": str(sunday), "description": "Sunday", "weekly_off": 1}
					for sunday in SUNDAYS
				),
			],
		}
	)
	doc.insert(ignore_permissions=True)


def make_sla(
	name: str, resolution: bool = True, condition_json=None, condition=None, days=None, holiday_list=HOLIDAYS
) -> None:
	"""An SLA as Helpdesk's SLA page saves it: the conditions as JSON and the Python condition made of them."""
	if frappe.db.exists(SLA, name):
		frappe.delete_doc(SLA, name, force=True, ignore_permissions=True)
	days = days or {
		d: ("08:00:00", "20:00:00") for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
	}
	doc = frappe.get_doc(
		{
			"doctype": SLA,
			"service_level": name,
			"description": name,
			"holiday_list": holiday_list,
			"default_sla": 0,
			"enabled": 1,
			"apply_sla_for_resolution": 1 if resolution else 0,
			"condition_json": json.dumps(condition_json) if condition_json else None,
			"condition": condition,
			"priorities": [
				{
					"priority": p,
					"response_time": r,
					"resolution_time": s if resolution else 0,  # Helpdesk cannot add hold time to None
					"default_priority": 1 if p == "Medium" else 0,
				}
				for p, (r, s) in PRIORITIES.items()
			],
			"support_and_resolution": [
				{"workday": d, "start_time": start, "end_time": end} for d, (start, end) in days.items()
			],
		}
	)
	doc.insert(ignore_permissions=True)


def make_weekdays() -> None:
	make_sla(
		WEEKDAYS,
		condition_json=[["agent_group", "equals", TEAM]],
		condition=f'(doc.agent_group and doc.agent_group in ["{TEAM}"])',
	)


def smo_counts() -> dict[str, int]:
	return {doctype: frappe.db.count(doctype) for doctype in (*SMO_DOCTYPES, "SMO Helpdesk Verdict")}


def helpdesk_snapshot() -> str:
	"""Everything of Helpdesk's SLAs the import reads: it must never change them."""
	return json.dumps(
		[
			frappe.get_doc(SLA, name).as_dict(no_default_fields=True)
			for name in frappe.get_all(SLA, pluck="name", order_by="name")
		],
		sort_keys=True,
		default=str,
	)


def enable_again(names: list[str]) -> None:
	for name in names:
		frappe.db.set_value(SLA, name, "enabled", 1)
	frappe.db.commit()  # nosemgrep


class AdoptTestCase(SMOTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		remove_imported()
		set_settings(enabled=1, drive_helpdesk_sla=1)
		# other SLAs a site may carry (Helpdesk's own tests leave some) stay out of these tests
		cls.others = frappe.get_all(
			SLA, filters={"enabled": 1, "name": ("not in", (*MINE, "Default"))}, pluck="name"
		)
		for name in cls.others:
			frappe.db.set_value(SLA, name, "enabled", 0)
		frappe.db.commit()  # nosemgrep
		cls.addClassCleanup(enable_again, cls.others)  # even when the rest of the set-up fails
		if not frappe.db.exists("HD Ticket Type", TYPE):
			frappe.get_doc({"doctype": "HD Ticket Type", "name": TYPE}).insert(ignore_permissions=True)
		make_team(TEAM)
		make_customer(CUSTOMER)
		make_holiday_list()
		make_sla(
			RESPONSE_ONLY,
			resolution=False,
			condition_json=[["ticket_type", "equals", TYPE]],
			condition=f'doc.ticket_type == "{TYPE}"',
		)
		make_sla(
			GOLD, condition_json=[["customer", "equals", CUSTOMER]], condition=f'doc.customer == "{CUSTOMER}"'
		)
		make_weekdays()
		make_sla(
			FANCY,
			condition_json=[["subject", "like", "VIP"]],
			condition='(doc.subject and "VIP" in doc.subject)',
		)
		frappe.db.commit()  # nosemgrep: the requests read these on their own connections

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		remove_imported()
		for name in frappe.get_all("HD Ticket", filters={"subject": ("like", "_AD %")}, pluck="name"):
			frappe.delete_doc("HD Ticket", name, force=True, ignore_permissions=True)
		for name in MINE:
			frappe.db.delete("HD Service Level Priority", {"parent": name})
			frappe.db.delete("HD Service Day", {"parent": name})
			frappe.db.delete(SLA, {"name": name})
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def setUp(self):
		frappe.set_user("Administrator")


class TestImport(AdoptTestCase):
	def tearDown(self):
		remove_imported()

	def test_preview_says_what_each_sla_becomes(self):
		answer = session(MANAGER).call("smo_extension.api.adopt.preview_helpdesk_import")
		self.assertEqual(answer.status, 200, answer)
		rows = {row["sla"]: row for row in answer.data["slas"]}
		self.assertEqual(rows["Default"]["kind"], "general")
		self.assertTrue(rows["Default"]["default"])
		self.assertEqual(rows[GOLD]["kind"], "customer")
		self.assertEqual(rows[GOLD]["customers"], [CUSTOMER])
		self.assertEqual(rows[WEEKDAYS]["kind"], "rules")
		self.assertEqual(rows[WEEKDAYS]["rules"], [{"team": TEAM}])
		self.assertEqual(rows[RESPONSE_ONLY]["rules"], [{"ticket_type": TYPE}])
		self.assertEqual({t["resolution_minutes"] for t in rows[RESPONSE_ONLY]["targets"]}, {None})
		self.assertEqual(
			{t["priority"]: t["response_minutes"] for t in rows[GOLD]["targets"]},
			{"Urgent": 30, "High": 60, "Medium": 480, "Low": 1440},
		)
		self.assertEqual(rows[GOLD]["holidays"], 19)  # 17 Sundays, 4 November and Christmas
		for name in ("Default", GOLD, WEEKDAYS, RESPONSE_ONLY):
			self.assertEqual(rows[name]["action"], "create", rows[name])
		# a condition on the subject: listed as not imported, and why
		self.assertEqual(rows[FANCY]["action"], "skip")
		(fancy,) = [row for row in answer.data["not_imported"] if row["sla"] == FANCY]
		self.assertIn("subject", " ".join(fancy["why"]))
		self.assertEqual(answer.data["errors"], [])

	def test_import_twice_creates_nothing_new_and_never_touches_helpdesk(self):
		before = helpdesk_snapshot()
		manager = session(MANAGER)
		answer = manager.call("smo_extension.api.adopt.import_helpdesk_slas")
		self.assertEqual(answer.status, 200, answer)
		self.assertEqual(answer.data["counts"], {"create": 4, "update": 0, "skip": 0})
		self.assertEqual(answer.data["not_imported"], [FANCY])
		made = smo_counts()
		# the records, as the import made them
		gold = frappe.get_doc(
			"SMO Service Level Agreement", {"imported_from": adopt.source_of(GOLD, f"customer={CUSTOMER}")}
		)
		self.assertEqual(
			(gold.status, gold.customer, gold.service), ("Draft", CUSTOMER, adopt.DEFAULT_SERVICE_CODE)
		)
		self.assertEqual(
			sorted((t.priority, t.response_minutes, t.resolution_minutes) for t in gold.targets),
			[("High", 60, 240), ("Low", 1440, 4320), ("Medium", 480, 1440), ("Urgent", 30, 120)],
		)
		calendar = frappe.get_doc("SMO Business Calendar", gold.calendar)
		self.assertEqual(calendar.timezone, frappe.utils.get_system_timezone())
		self.assertEqual(len(calendar.windows), 5)
		self.assertEqual(str(calendar.windows[0].start_time), "8:00:00")
		self.assertIn("2026-12-25", {str(h.holiday_date) for h in calendar.holidays})
		self.assertIn("2026-12-06", {str(h.holiday_date) for h in calendar.holidays})  # a weekly off
		response_only = frappe.get_doc(
			"SMO Service Level Agreement", {"imported_from": adopt.source_of(RESPONSE_ONLY)}
		)
		self.assertEqual({t.resolution_minutes for t in response_only.targets}, {0})
		self.assertNotEqual(response_only.service, adopt.DEFAULT_SERVICE_CODE)
		rule = frappe.get_doc(
			"SMO Service Mapping Rule", {"imported_from": adopt.source_of(RESPONSE_ONLY, "rule=0")}
		)
		self.assertEqual((rule.ticket_type, rule.service, rule.enabled), (TYPE, response_only.service, 0))
		catch_all = frappe.get_doc(
			"SMO Service Mapping Rule", {"imported_from": adopt.source_of("Default", "rule=0")}
		)
		self.assertEqual((catch_all.ticket_type, catch_all.team, catch_all.customer), (None, None, None))
		self.assertEqual(catch_all.service, adopt.DEFAULT_SERVICE_CODE)
		# twice: nothing new
		again = manager.call("smo_extension.api.adopt.import_helpdesk_slas")
		self.assertEqual(again.data["counts"], {"create": 0, "update": 0, "skip": 4})
		self.assertEqual(smo_counts(), made)
		self.assertEqual(helpdesk_snapshot(), before)
		# a change in Helpdesk: the preview says update, the import updates that agreement only
		row = frappe.get_doc(SLA, GOLD).priorities[0]
		frappe.db.set_value("HD Service Level Priority", row.name, "response_time", 600)
		frappe.db.commit()  # nosemgrep
		preview = manager.call("smo_extension.api.adopt.preview_helpdesk_import").data
		self.assertEqual({r["sla"]: r["action"] for r in preview["slas"]}[GOLD], "update")
		self.assertEqual(preview["counts"], {"create": 0, "update": 1, "skip": 3})
		updated = manager.call("smo_extension.api.adopt.import_helpdesk_slas").data
		self.assertEqual(updated["counts"], {"create": 0, "update": 1, "skip": 3})
		gold.reload()
		self.assertEqual({t.priority: t.response_minutes for t in gold.targets}[row.priority], 10)
		self.assertEqual(smo_counts(), made)
		frappe.db.set_value("HD Service Level Priority", row.name, "response_time", row.response_time)
		frappe.db.commit()  # nosemgrep

	def test_bad_input_is_a_clear_error_and_nothing_is_written(self):
		manager = session(MANAGER)
		before = smo_counts()
		sla = frappe.get_doc(SLA, WEEKDAYS)
		first = sla.priorities[0]
		holiday_list = frappe.get_doc("HD Service Holiday List", HOLIDAYS)

		def no_priorities():
			frappe.db.delete("HD Service Level Priority", {"parent": WEEKDAYS})

		def zero_duration():
			frappe.db.set_value("HD Service Level Priority", first.name, "response_time", 0)

		def holiday_outside():
			row = holiday_list.append("holidays", {"holiday_date": "2027-03-01", "description": "Outside"})
			row.db_insert()

		def overlapping_hours():
			row = sla.append(
				"support_and_resolution",
				{"workday": "Monday", "start_time": "12:00:00", "end_time": "22:00:00"},
			)
			row.db_insert()

		for case, words in (
			(no_priorities, "no priorities"),
			(zero_duration, "response time is 0"),
			(holiday_outside, "outside its range"),
			(overlapping_hours, "overlap"),
		):
			with self.subTest(case=case.__name__):
				case()
				frappe.db.commit()  # nosemgrep
				try:
					answer = manager.call("smo_extension.api.adopt.import_helpdesk_slas")
					self.assertEqual(answer.status, 417, answer)
					self.assertEqual(answer.exc_type, "SMOImportError")
					self.assertIn(words, answer.message)
					self.assertNotIn("Traceback", answer.message)
					self.assertEqual(smo_counts(), before)
					preview = manager.call("smo_extension.api.adopt.preview_helpdesk_import").data
					self.assertTrue(
						any(words in " ".join(e["problems"]) for e in preview["errors"]), preview["errors"]
					)
				finally:
					make_holiday_list()
					make_weekdays()
					frappe.db.commit()  # nosemgrep
					sla = frappe.get_doc(SLA, WEEKDAYS)
					first = sla.priorities[0]
					holiday_list = frappe.get_doc("HD Service Holiday List", HOLIDAYS)


# Ticket openings (in the past, within the last 90 days): a weekday morning, Friday evening (over the Sunday
# weekly off), the day before a holiday (4 November), a Sunday (a weekly off), late at night.
OPENINGS = (
	"2026-11-02 09:15:00",
	"2026-11-06 19:30:00",
	"2026-11-03 17:00:00",
	"2026-11-08 11:00:00",
	"2026-11-11 23:10:00",
)
COMPARED_AT = "2026-11-20 12:00:00"


class TestCompareAndSwitch(AdoptTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.tickets = []
		kinds = (
			{},  # Helpdesk's default SLA
			{"ticket_type": TYPE},  # response only
			{"customer": CUSTOMER},
			{"agent_group": TEAM},
		)
		n = 0
		for opening in OPENINGS:
			for kind in kinds:
				n += 1
				priority = ("Urgent", "High", "Medium", "Low")[n % 4]
				with frozen(opening):
					ticket = make_ticket(f"_AD {n}", priority=priority, **kind)
				if n % 3 == 0:  # answered an hour later, resolved three hours later
					with frozen(str(get_datetime(opening) + timedelta(hours=1))):
						ticket.reload()
						ticket.first_responded_on = frappe.utils.now_datetime()
						ticket.save(ignore_permissions=True)
					with frozen(str(get_datetime(opening) + timedelta(hours=3))):
						ticket.reload()
						ticket.status = "Resolved"
						ticket.save(ignore_permissions=True)
				cls.tickets.append(str(ticket.name))
		# Helpdesk's default SLA (10:00-18:00): opened before hours, Medium (8 hours) is due at 18:00 sharp;
		# answered at 21:00 Helpdesk says failed, the SMO met (no working time passed after the due time)
		with frozen("2026-11-02 09:00:00"):
			night = make_ticket("_AD night", priority="Medium")
		with frozen("2026-11-02 21:00:00"):
			night.reload()
			night.first_responded_on = frappe.utils.now_datetime()
			night.save(ignore_permissions=True)
		cls.night = str(night.name)
		cls.tickets.append(cls.night)
		frappe.db.commit()  # nosemgrep

	def test_compare_then_switch_over_then_back(self):
		rows = frappe.get_all(
			"HD Ticket",
			filters={"name": ("in", self.tickets)},
			fields=["name", "sla", "smo_sla_state", "response_by"],
		)
		self.assertEqual({r.smo_sla_state for r in rows}, {"No SMO clock"})  # Helpdesk's own SLA, untouched
		self.assertEqual(
			{r.sla for r in rows}, {"Default", RESPONSE_ONLY, GOLD, WEEKDAYS}, "Helpdesk chose its SLAs"
		)
		manager = session(MANAGER)
		# before anything is imported, the preview compares with what the import would make
		with frozen(COMPARED_AT):
			preview = adopt.compare()
		self.assertGreaterEqual(preview["tickets"], len(self.tickets))
		imported = manager.call("smo_extension.api.adopt.import_helpdesk_slas")
		self.assertEqual(imported.status, 200, imported)
		self.assertGreaterEqual(imported.data["verdicts"], len(self.tickets))
		frappe.local.cache = {}  # the import ran in a request of its own: drop this process's cached config
		with frozen(COMPARED_AT):
			result = adopt.compare()
		mine = len(self.tickets)
		self.assertGreaterEqual(result["tickets"], mine)
		# no pauses, reopenings or priority changes: Helpdesk's due dates are the SMO's, to the second
		self.assertEqual(result["due_dates_differ"], 0, result["differences"][:5])
		self.assertGreaterEqual(result["due_dates_equal"], mine)
		resolution, response = result["counts"]["resolution"], result["counts"]["response"]
		self.assertEqual(resolution["helpdesk"], resolution["smo"])
		self.assertEqual(response["helpdesk"]["failed"], response["smo"]["failed"] + 1)
		self.assertEqual(response["helpdesk"]["met"], response["smo"]["met"] - 1)
		self.assertEqual(preview["counts"], result["counts"], "the preview said what the import then says")
		self.assertEqual(preview["due_dates_equal"], result["due_dates_equal"])
		# the one ticket judged differently, and why
		(difference,) = result["differences"]
		self.assertEqual((difference["ticket"], difference["metric"]), (self.night, "response"))
		self.assertEqual((difference["helpdesk"], difference["smo"]), ("failed", "met"))
		self.assertEqual(str(difference["helpdesk_due"]), "2026-11-02 18:00:00")
		self.assertIn("outside working hours", " ".join(difference["reasons"]))
		# the response-only SLA is judged on response only
		response_only = [n for n, r in zip(self.tickets, rows, strict=False) if r.sla == RESPONSE_ONLY]
		self.assertTrue(response_only)

		# switch over: Active agreements, enabled rules, every ticket judged in chunks (run here, as a worker
		# would), a comment with the counts
		ran = []

		def run_now(method, **kwargs):
			ran.append(method)
			for key in ("queue", "enqueue_after_commit", "job_id", "timeout", "now"):
				kwargs.pop(key, None)
			return frappe.get_attr(method)(**kwargs)

		with patch("frappe.enqueue", side_effect=run_now):
			switched = manager.call("smo_extension.api.adopt.switch_to_smo")
		self.assertEqual(switched.status, 200, switched)
		self.assertEqual(len(switched.data["activated"]), 4)
		self.assertEqual(switched.data["left_draft"], [])
		self.assertIn("smo_extension.sla.adopt.backfill_chunk", ran)
		statuses = frappe.get_all(
			"SMO Service Level Agreement",
			filters={"imported_from": ("like", f"{adopt.SOURCE}%")},
			pluck="status",
		)
		self.assertEqual(set(statuses), {"Active"})
		self.assertEqual(
			set(
				frappe.get_all(
					"SMO Service Mapping Rule",
					filters={"imported_from": ("like", f"{adopt.SOURCE}%")},
					pluck="enabled",
				)
			),
			{1},
		)
		judged = frappe.get_all(
			"HD Ticket",
			filters={"name": ("in", self.tickets)},
			fields=[
				"name",
				"sla",
				"smo_sla_state",
				"response_by",
				"smo_response_due",
				"smo_service",
				"smo_sla_note",
			],
		)
		self.assertNotIn(
			"No SMO clock",
			{r.smo_sla_state for r in judged},
			[r for r in judged if r.smo_sla_state == "No SMO clock"][:3],
		)
		# Helpdesk's own due dates (recorded by the import) are what the SMO now writes there: no ticket here
		# was paused, reopened or changed priority
		before = {
			str(v.ticket): (v.response_by, v.resolution_by)
			for v in frappe.get_all("SMO Helpdesk Verdict", fields=["ticket", "response_by", "resolution_by"])
		}
		plain = [t for t in self.tickets if t != self.night]  # (a met clock's due is never before its stop)
		for row in frappe.get_all(
			"HD Ticket",
			filters={"name": ("in", plain)},
			fields=["name", "sla", "response_by", "resolution_by"],
		):
			self.assertEqual(row.response_by, before[str(row.name)][0], row.name)
			if row.sla != RESPONSE_ONLY:
				self.assertEqual(row.resolution_by, before[str(row.name)][1], row.name)
		comments = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "SMO Settings", "content": ("like", "%switched the SMO on%")},
			pluck="content",
		)
		self.assertTrue(comments)
		self.assertTrue(
			frappe.get_all(
				"Comment",
				filters={"reference_doctype": "SMO Settings", "content": ("like", "%Switch-over finished%")},
			)
		)
		# the comparison survives the switch-over: Helpdesk's side is what it said before
		with frozen(COMPARED_AT):
			after = adopt.compare()
		self.assertEqual(after["counts"], result["counts"])
		# and the way back: Helpdesk's own values return when the SMO no longer drives its fields
		verdicts = {
			str(v.ticket): v.response_by
			for v in frappe.get_all("SMO Helpdesk Verdict", fields=["ticket", "response_by"])
		}
		frappe.db.commit()  # nosemgrep: read what the requests committed (the clocks the way back restores)
		with patch("frappe.enqueue", side_effect=run_now):
			set_settings(drive_helpdesk_sla=0)
		try:
			frappe.db.commit()  # nosemgrep
			for row in frappe.get_all(
				"HD Ticket", filters={"name": ("in", self.tickets)}, fields=["name", "response_by"]
			):
				self.assertEqual(row.response_by, verdicts[str(row.name)], row.name)
		finally:
			set_settings(drive_helpdesk_sla=1)
			frappe.db.commit()  # nosemgrep
