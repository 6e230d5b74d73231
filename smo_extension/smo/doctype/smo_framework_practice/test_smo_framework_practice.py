# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

import frappe

from smo_extension.smo.doctype.smo_framework_practice.smo_framework_practice import load_framework_practices
from smo_extension.smo.doctype.smo_framework_practice.smo_framework_practice import shipped_practices
from smo_extension.tests import SMOTestCase


class TestSMOFrameworkPractice(SMOTestCase):
	def test_shipped_list_is_complete(self):
		rows = shipped_practices()
		itil = [r for r in rows if r["framework"] == "ITIL 4"]
		iso = [r for r in rows if r["framework"] == "ISO/IEC 20000-1:2018"]
		self.assertEqual(len(itil), 34)
		self.assertEqual(len({r["practice_name"] for r in itil}), 34)
		self.assertEqual({r["category"].split()[0] for r in iso}, {str(c) for c in range(4, 11)})
		self.assertIn("8.6.1 Incident management", {r["practice_name"] for r in iso})
		self.assertEqual(len({r["practice_code"] for r in rows}), len(rows))

	def test_loaded_on_install_and_idempotent(self):
		count = frappe.db.count("SMO Framework Practice", {"is_standard": 1})
		self.assertEqual(count, len(shipped_practices()))
		self.assertEqual(load_framework_practices(), 0)

	def test_reload_repairs_shipped_records_and_keeps_site_records(self):
		frappe.db.set_value("SMO Framework Practice", "ITIL4-SM-05", "practice_name", "changed by hand")
		frappe.get_doc(
			{
				"doctype": "SMO Framework Practice",
				"practice_code": "_COBIT-APO09",
				"practice_name": "Managed service agreements",
				"framework": "Other",
			}
		).insert(ignore_permissions=True)
		self.assertEqual(load_framework_practices(), 1)
		self.assertEqual(
			frappe.db.get_value("SMO Framework Practice", "ITIL4-SM-05", "practice_name"),
			"Incident management",
		)
		self.assertTrue(frappe.db.exists("SMO Framework Practice", "_COBIT-APO09"))
