"""The SMO's guided setup (Frappe's Module Onboarding "SMO"), as the SMO Manager sees it on the workspace: a
step completes when its record exists; the whole onboarding shows while a step is missing and no more once
every record is there. Other personas never see it."""

from __future__ import annotations

import json

import frappe

from smo_extension.setup import onboarding
from smo_extension.tests import SMOTestCase
from smo_extension.tests.factories import ANALYST
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_calendar
from smo_extension.tests.factories import make_kpi
from smo_extension.tests.factories import make_service
from smo_extension.tests.http import session

PAGE = json.dumps({"name": "SMO", "title": "SMO", "public": 1})


def workspace_onboarding(user: str) -> dict | None:
	answer = session(user).call("frappe.desk.desktop.get_desktop_page", page=PAGE)
	assert answer.status == 200, answer
	items = answer.data["onboardings"]["items"]
	return next((i for i in items if i["label"] == "SMO"), None)


class TestOnboarding(SMOTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		make_calendar("_OB Calendar")
		make_service("_OB")
		make_agreement("_OB SLA", "_OB", status="Draft")
		cls.kpi = make_kpi(service="_OB").name
		cls.rule = (
			frappe.get_doc(
				{
					"doctype": "SMO Service Mapping Rule",
					"service": "_OB",
					"catch_all": 1,
					"enabled": 0,
					"sequence": 9999,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
		cls.calendar = frappe.db.get_single_value("SMO Settings", "default_calendar")
		frappe.db.set_single_value("System Settings", "enable_onboarding", 1)
		frappe.db.commit()  # nosemgrep

	@classmethod
	def tearDownClass(cls):
		frappe.db.set_single_value("SMO Settings", "default_calendar", cls.calendar)
		frappe.delete_doc("SMO Service Mapping Rule", cls.rule, force=True, ignore_permissions=True)
		frappe.delete_doc("SMO KPI Definition", cls.kpi, force=True, ignore_permissions=True)
		frappe.delete_doc("SMO Service Level Agreement", "_OB SLA", force=True, ignore_permissions=True)
		frappe.delete_doc("SMO Service", "_OB", force=True, ignore_permissions=True)
		onboarding.refresh()
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def set_default_calendar(self, value):
		settings = frappe.get_single("SMO Settings")
		settings.default_calendar = value
		settings.save(ignore_permissions=True)  # saving the settings refreshes the steps
		frappe.db.commit()  # nosemgrep

	def test_steps_follow_their_records(self):
		self.set_default_calendar(None)
		step = "SMO Default Calendar"
		self.assertEqual(frappe.db.get_value("Onboarding Step", step, "is_complete"), 0)
		self.assertEqual(frappe.db.get_value("Module Onboarding", "SMO", "is_complete"), 0)
		self.assertEqual(
			frappe.db.get_value("Onboarding Step", "SMO Import or First Service", "is_complete"), 1
		)
		shown = workspace_onboarding(MANAGER)
		self.assertIsNotNone(shown, "the SMO Manager sees the onboarding while a step is missing")
		steps = {s["name"]: s for s in shown["items"]}
		self.assertEqual(set(steps), set(onboarding.STEPS))
		self.assertFalse(steps[step]["is_complete"])
		self.assertTrue(steps["SMO First Agreement"]["is_complete"])
		self.assertIsNone(workspace_onboarding(ANALYST), "the onboarding is for SMO Managers")
		# the record comes: the step completes, and with every step done the workspace shows it no more
		self.set_default_calendar("_OB Calendar")
		self.assertEqual(frappe.db.get_value("Onboarding Step", step, "is_complete"), 1)
		self.assertEqual(onboarding.states(), dict.fromkeys(onboarding.STEPS, True))
		self.assertEqual(frappe.db.get_value("Module Onboarding", "SMO", "is_complete"), 1)
		self.assertIsNone(workspace_onboarding(MANAGER))
