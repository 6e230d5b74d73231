# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""PMO liaison records: dates, stages, readiness, duplicates, local projects, and values owned by the sync."""

from datetime import datetime
from unittest.mock import patch

import frappe

from smo_extension.pmo import sync
from smo_extension.pmo.client import ProjectSnapshot
from smo_extension.smo.doctype.smo_pmo_liaison.smo_pmo_liaison import SMOLiaisonError
from smo_extension.smo.doctype.smo_policy.test_smo_policy import GovernanceTestCase
from smo_extension.tests.factories import AGENT
from smo_extension.tests.factories import ANALYST
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import OWNER
from smo_extension.tests.factories import PORTAL
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_liaison
from smo_extension.tests.factories import make_service

CHECKLIST = [
	{"item": "Runbook handed over", "mandatory": 1, "done": 1},
	{"item": "Support team trained", "mandatory": 1, "done": 0},
	{"item": "Launch newsletter", "mandatory": 0, "done": 0},
]


class TestSMOPMOLiaison(GovernanceTestCase):
	def setUp(self):
		super().setUp()
		make_service("_LIASVC")

	def test_readiness_counts_mandatory_items(self):
		liaison = make_liaison("_LIASVC", readiness_checklist=CHECKLIST)
		self.assertEqual(liaison.readiness_percent, 50)
		self.assertEqual(liaison.transition_stage, "Planning")

	def test_hypercare_needs_the_mandatory_items_done(self):
		make_agreement("_LIASVC Hypercare", "_LIASVC", is_hypercare=1)
		liaison = make_liaison(
			"_LIASVC",
			readiness_checklist=CHECKLIST,
			go_live_date="2026-05-01",
			hypercare_until="2026-05-31",
			hypercare_agreement="_LIASVC Hypercare",
		)
		liaison.transition_stage = "Hypercare"
		with self.assertRaises(SMOLiaisonError):
			liaison.save()
		liaison = frappe.get_doc("SMO PMO Liaison", liaison.name)
		liaison.transition_stage = "Hypercare"
		liaison.readiness_checklist[1].done = 1
		liaison.save()
		self.assertEqual((liaison.transition_stage, liaison.readiness_percent), ("Hypercare", 100))
		# leaving hypercare for Closed does not ask for the checklist again
		liaison.append("readiness_checklist", {"item": "Post-go-live review", "mandatory": 1, "done": 0})
		liaison.transition_stage = "Closed"
		liaison.save()
		self.assertEqual(liaison.transition_stage, "Closed")

	def test_hypercare_and_closed_need_a_go_live_date(self):
		for stage in ("Hypercare", "Closed"):
			with self.assertRaises(SMOLiaisonError, msg=stage):
				make_liaison("_LIASVC", project=f"P-{stage}", transition_stage=stage)

	def test_hypercare_cannot_end_before_go_live(self):
		with self.assertRaises(SMOLiaisonError):
			make_liaison("_LIASVC", go_live_date="2026-05-01", hypercare_until="2026-04-30")
		with self.assertRaises(SMOLiaisonError):
			make_liaison("_LIASVC", hypercare_until="2026-04-30")
		make_liaison("_LIASVC", go_live_date="2026-05-01", hypercare_until="2026-05-31")

	def test_one_liaison_per_service_project_and_relationship(self):
		make_liaison("_LIASVC", project="PROJ-7")
		with self.assertRaises(SMOLiaisonError):
			make_liaison("_LIASVC", project="PROJ-7")
		make_liaison("_LIASVC", project="PROJ-7", relationship="Hypercare")

	def test_a_local_project_needs_erpnext_here(self):
		if sync.local_projects_available():
			self.skipTest("ERPNext is installed on this site")
		with self.assertRaises(SMOLiaisonError):
			make_liaison("_LIASVC", project_source="This Site")

	def test_form_saves_never_overwrite_synced_values(self):
		liaison = make_liaison("_LIASVC", project="PROJ-9")
		stale_form = frappe.get_doc("SMO PMO Liaison", liaison.name)
		snapshot = ProjectSnapshot("PROJ-9", "Mail move", "Open", 40.0, None)
		sync.record_success(liaison.name, snapshot, datetime(2026, 3, 1, 10, 0))
		# the browser still holds the values from before the sync, and tries to send others
		stale_form.project_status = "Cancelled"
		stale_form.pmo_contact = "pm@example.com"
		stale_form.save()
		saved = frappe.get_doc("SMO PMO Liaison", liaison.name)
		self.assertEqual((saved.project_status, saved.percent_complete), ("Open", 40))
		self.assertEqual(saved.pmo_contact, "pm@example.com")
		self.assertEqual(saved.sync_status, "OK")
		# a new project reference starts clean
		saved.project = "PROJ-10"
		saved.save()
		self.assertEqual((saved.project_status, saved.sync_status, saved.last_synced_at), (None, None, None))

	def test_values_typed_into_a_new_liaison_are_not_kept(self):
		liaison = make_liaison("_LIASVC", project_status="Completed", sync_status="OK", percent_complete=100)
		self.assertEqual(
			(liaison.project_status, liaison.sync_status, liaison.percent_complete), (None, None, None)
		)

	def test_sync_button_is_for_managers(self):
		liaison = make_liaison("_LIASVC", project="PROJ-11")
		with self.set_user(ANALYST), self.assertRaises(frappe.PermissionError):
			frappe.get_doc("SMO PMO Liaison", liaison.name).sync_now()
		with self.set_user(MANAGER), patch.object(sync, "sync_liaison", return_value="OK") as synced:
			result = frappe.get_doc("SMO PMO Liaison", liaison.name).sync_now()
		synced.assert_called_once_with(liaison.name)
		self.assertEqual(result["status"], "OK")

	def test_permissions(self):
		self.assertTrue(frappe.has_permission("SMO PMO Liaison", "read", user=ANALYST))
		self.assertTrue(frappe.has_permission("SMO PMO Liaison", "read", user=OWNER))
		self.assertFalse(frappe.has_permission("SMO PMO Liaison", "write", user=ANALYST))
		self.assertTrue(frappe.has_permission("SMO PMO Liaison", "write", user=MANAGER))
		for user in (AGENT, PORTAL):
			self.assertFalse(frappe.has_permission("SMO PMO Liaison", "read", user=user), user)
