# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

import frappe

from smo_extension.smo.doctype.smo_service.smo_service import SMOServiceError
from smo_extension.tests import SMOTestCase
from smo_extension.tests.factories import AGENT
from smo_extension.tests.factories import ANALYST
from smo_extension.tests.factories import OWNER
from smo_extension.tests.factories import PORTAL
from smo_extension.tests.factories import ensure_test_users
from smo_extension.tests.factories import make_service


class TestSMOService(SMOTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_test_users()

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_dependency_cycle_is_refused(self):
		make_service("_CYA")
		make_service("_CYB", depends_on=[{"service": "_CYA"}])
		make_service("_CYC", depends_on=[{"service": "_CYB"}])
		with self.assertRaises(SMOServiceError) as raised:
			make_service("_CYA", depends_on=[{"service": "_CYC"}])
		self.assertIn("_CYA → _CYC → _CYB → _CYA", str(raised.exception))

	def test_self_dependency_is_refused(self):
		make_service("_CYS")
		with self.assertRaises(SMOServiceError):
			make_service("_CYS", depends_on=[{"service": "_CYS"}])

	def test_status_must_fit_lifecycle_stage(self):
		with self.assertRaises(SMOServiceError):
			make_service("_STG", lifecycle_stage="Pipeline", status="Live")
		self.assertEqual(make_service("_STG", lifecycle_stage="Pipeline", status="Design").status, "Design")

	def test_service_owner_edits_only_own_services(self):
		make_service("_OWN", service_owner=OWNER)
		make_service("_OTH", service_owner=ANALYST)
		frappe.set_user(OWNER)
		own = frappe.get_doc("SMO Service", "_OWN")
		self.assertTrue(own.has_permission("write"))
		own.category = "Collaboration"
		own.save()
		other = frappe.get_doc("SMO Service", "_OTH")
		self.assertFalse(other.has_permission("write"))
		other.category = "Hijacked"
		self.assertRaises(frappe.PermissionError, other.save)

	def test_agent_reads_portal_user_does_not(self):
		make_service("_RD")
		frappe.set_user(AGENT)
		self.assertTrue(frappe.has_permission("SMO Service", "read", "_RD"))
		self.assertFalse(frappe.has_permission("SMO Service", "write", "_RD"))
		frappe.set_user(PORTAL)
		self.assertFalse(frappe.has_permission("SMO Service", "read", "_RD"))
