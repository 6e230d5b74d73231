# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

from datetime import date

import frappe
from frappe.utils import getdate

from smo_extension.smo.doctype.smo_charter.smo_charter import SMOCharterError
from smo_extension.smo.doctype.smo_policy.test_smo_policy import GovernanceTestCase
from smo_extension.tests.factories import AGENT
from smo_extension.tests.factories import ANALYST
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import PORTAL


def save_charter(**values):
	charter = frappe.get_single("SMO Charter")
	charter.update(values)
	charter.save(ignore_permissions=True)
	return charter


class TestSMOCharter(GovernanceTestCase):
	def test_charter_with_objectives_milestones_and_providers(self):
		with self.freeze_time("2026-03-01 10:00:00", tick=True):
			charter = save_charter(
				smo_type="Broader Practice",
				vision="Every service governed the same way.",
				sponsor=MANAGER,
				funding_model="Central Budget",
				annual_budget=250000,
				objectives=[{"objective": "SLA compliance", "measure": "monthly %", "target": "95%"}],
				milestones=[
					{"milestone": "Catalog complete", "due_date": "2026-02-01", "status": "Done"},
					{"milestone": "OLAs signed", "due_date": "2026-02-15", "status": "In Progress"},
					{"milestone": "First audit", "due_date": "2026-09-01", "status": "Planned"},
				],
				providers=[
					{"provider_name": "Service Desk", "provider_type": "IT"},
					{"provider_name": "Facilities", "provider_type": "Non-IT", "relationship": "External"},
				],
			)
			self.assertEqual([row.milestone for row in charter.overdue_milestones()], ["OLAs signed"])
		self.assertEqual(getdate(charter.milestones[0].completed_on), date(2026, 3, 1))
		self.assertIsNone(charter.milestones[1].completed_on)
		self.assertEqual(frappe.db.get_single_value("SMO Charter", "smo_type"), "Broader Practice")

	def test_milestone_cannot_be_completed_in_the_future(self):
		with self.freeze_time("2026-03-01 10:00:00", tick=True), self.assertRaises(SMOCharterError):
			save_charter(
				milestones=[
					{
						"milestone": "M",
						"due_date": "2026-02-01",
						"status": "Done",
						"completed_on": "2026-03-05",
					}
				]
			)

	def test_duplicates_are_refused(self):
		with self.assertRaises(SMOCharterError):
			save_charter(providers=[{"provider_name": "Acme"}, {"provider_name": "acme "}])
		with self.assertRaises(SMOCharterError):
			save_charter(objectives=[{"objective": "A"}, {"objective": "A"}])

	def test_permissions(self):
		self.assertTrue(frappe.has_permission("SMO Charter", "write", user=MANAGER))
		self.assertTrue(frappe.has_permission("SMO Charter", "read", user=ANALYST))
		self.assertFalse(frappe.has_permission("SMO Charter", "write", user=ANALYST))
		for user in (AGENT, PORTAL):
			self.assertFalse(frappe.has_permission("SMO Charter", "read", user=user), user)
