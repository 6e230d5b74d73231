# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

import frappe

from smo_extension.smo.doctype.smo_settings.smo_settings import SMOSettingsError
from smo_extension.smo.doctype.smo_settings.smo_settings import is_enabled
from smo_extension.tests import SMOTestCase
from smo_extension.tests.factories import AGENT
from smo_extension.tests.factories import ANALYST
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import PORTAL
from smo_extension.tests.factories import ensure_test_users
from smo_extension.tests.factories import set_settings


class TestSMOSettings(SMOTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_test_users()

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_defaults_after_install(self):
		settings = frappe.get_single("SMO Settings")
		self.assertEqual(settings.at_risk_percent, 75)
		self.assertTrue(settings.enabled)
		self.assertEqual(settings.default_calendar, "Standard Business Hours")
		self.assertTrue(frappe.db.exists("SMO Business Calendar", "Standard Business Hours"))

	def test_manager_can_write(self):
		frappe.set_user(MANAGER)
		settings = frappe.get_doc("SMO Settings")
		self.assertTrue(settings.has_permission("write"))
		settings.at_risk_percent = 80
		settings.save()
		self.assertEqual(frappe.db.get_single_value("SMO Settings", "at_risk_percent", cache=False), 80)

	def test_analyst_reads_but_cannot_write(self):
		frappe.set_user(ANALYST)
		self.assertTrue(frappe.has_permission("SMO Settings", "read"))
		settings = frappe.get_doc("SMO Settings")
		settings.at_risk_percent = 60
		self.assertRaises(frappe.PermissionError, settings.save)

	def test_agent_cannot_write_or_read(self):
		frappe.set_user(AGENT)
		self.assertFalse(frappe.has_permission("SMO Settings", "write"))
		self.assertFalse(frappe.has_permission("SMO Settings", "read"))
		self.assertRaises(frappe.PermissionError, frappe.get_doc("SMO Settings").save)

	def test_portal_user_cannot_write_or_read(self):
		frappe.set_user(PORTAL)
		self.assertFalse(frappe.has_permission("SMO Settings", "read"))
		self.assertFalse(frappe.has_permission("SMO Settings", "write"))

	def test_at_risk_share_out_of_range(self):
		for bad in (0, 100, 150):
			with self.assertRaises(SMOSettingsError, msg=bad):
				set_settings(at_risk_percent=bad)

	def test_enabled_switch_is_read_from_cache_after_save(self):
		set_settings(enabled=0)
		self.assertFalse(is_enabled())
		set_settings(enabled=1)
		self.assertTrue(is_enabled())
