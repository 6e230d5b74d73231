# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""The continual-improvement register: commitments, closure, and the overdue flag reports filter on."""

from datetime import date

import frappe
from frappe.utils import getdate

from smo_extension.smo.doctype.smo_improvement.smo_improvement import SMOImprovementError
from smo_extension.smo.doctype.smo_improvement.smo_improvement import flag_overdue_improvements
from smo_extension.smo.doctype.smo_improvement.smo_improvement import is_overdue
from smo_extension.smo.doctype.smo_policy.test_smo_policy import GovernanceTestCase
from smo_extension.tests.factories import AGENT
from smo_extension.tests.factories import ANALYST
from smo_extension.tests.factories import OWNER
from smo_extension.tests.factories import PORTAL
from smo_extension.tests.factories import make_improvement
from smo_extension.tests.factories import make_service
from smo_extension.tests.factories import set_settings


class TestSMOImprovement(GovernanceTestCase):
	def test_is_overdue(self):
		on = date(2026, 6, 1)
		self.assertTrue(is_overdue("In Progress", "2026-05-31", on))
		self.assertFalse(is_overdue("In Progress", "2026-06-01", on))
		self.assertFalse(is_overdue("Done", "2026-01-01", on))
		self.assertFalse(is_overdue("Rejected", "2026-01-01", on))
		self.assertFalse(is_overdue("Proposed", None, on))

	def test_raised_from_a_kpi_miss_on_a_service(self):
		make_service("_IMPSVC")
		item = make_improvement(
			"Cut P1 resolution time",
			service="_IMPSVC",
			source="KPI Miss",
			raised_from_doctype="SMO Service",
			raised_from="_IMPSVC",
			expected_benefit="P1 compliance from 88% to 95%",
		)
		self.assertTrue(item.name.startswith("SMO-IMP-"))
		self.assertEqual((item.status, item.is_overdue), ("Proposed", 0))

	def test_a_commitment_needs_an_owner_and_a_target_date(self):
		for status in ("Approved", "In Progress", "Done"):
			with self.assertRaises(SMOImprovementError, msg=status):
				make_improvement(status=status, measured_benefit="x")
		with self.assertRaises(SMOImprovementError):
			make_improvement(status="Approved", improvement_owner=OWNER)
		make_improvement(status="Approved", improvement_owner=OWNER, target_date="2026-12-31")

	def test_done_needs_the_measured_benefit_and_records_completion(self):
		item = make_improvement(status="In Progress", improvement_owner=OWNER, target_date="2026-12-31")
		item.status = "Done"
		with self.assertRaises(SMOImprovementError):
			item.save()
		item = frappe.get_doc("SMO Improvement", item.name)
		item.status = "Done"
		item.measured_benefit = "P1 compliance 96% over three months"
		with self.freeze_time("2026-10-01 12:00:00", tick=True):
			item.save()
		self.assertEqual(getdate(item.completed_on), date(2026, 10, 1))
		item.status = "In Progress"
		item.save()
		self.assertIsNone(item.completed_on)

	def test_rejection_needs_a_reason(self):
		with self.assertRaises(SMOImprovementError):
			make_improvement(status="Rejected")
		make_improvement(status="Rejected", rejection_reason="Duplicate of another item")

	def test_overdue_flag_on_save_and_by_the_daily_job(self):
		with self.freeze_time("2026-03-01 09:00:00", tick=True):
			late = make_improvement(status="In Progress", improvement_owner=OWNER, target_date="2026-02-28")
			on_time = make_improvement(status="Approved", improvement_owner=OWNER, target_date="2026-03-10")
		self.assertEqual((late.is_overdue, on_time.is_overdue), (1, 0))

		self.assertEqual(flag_overdue_improvements(on=date(2026, 3, 11)), 1)
		self.assertEqual(frappe.db.get_value("SMO Improvement", on_time.name, "is_overdue"), 1)
		self.assertEqual(flag_overdue_improvements(on=date(2026, 3, 11)), 0)
		# closing one clears its flag on the next run
		frappe.db.set_value("SMO Improvement", late.name, "status", "Rejected")
		self.assertEqual(flag_overdue_improvements(on=date(2026, 3, 12)), 1)
		self.assertEqual(frappe.db.get_value("SMO Improvement", late.name, "is_overdue"), 0)
		overdue = frappe.get_all("SMO Improvement", filters={"is_overdue": 1}, pluck="name")
		self.assertIn(on_time.name, overdue)
		self.assertNotIn(late.name, overdue)

	def test_disabled_app_leaves_the_flags(self):
		with self.freeze_time("2026-03-01 09:00:00", tick=True):
			item = make_improvement(status="Approved", improvement_owner=OWNER, target_date="2026-03-10")
		set_settings(enabled=0)
		self.assertEqual(flag_overdue_improvements(on=date(2026, 4, 1)), 0)
		self.assertEqual(frappe.db.get_value("SMO Improvement", item.name, "is_overdue"), 0)

	def test_permissions(self):
		self.assertTrue(frappe.has_permission("SMO Improvement", "read", user=ANALYST))
		self.assertFalse(frappe.has_permission("SMO Improvement", "write", user=ANALYST))
		self.assertTrue(frappe.has_permission("SMO Improvement", "create", user=OWNER))
		for user in (AGENT, PORTAL):
			self.assertFalse(frappe.has_permission("SMO Improvement", "read", user=user), user)
