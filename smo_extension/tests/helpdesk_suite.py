"""Helpdesk's own tests of HD Ticket and HD Service Level Agreement, run with the app installed and enabled.

Not a `test_*` module, so `run-tests --app smo_extension` leaves it out: `./run-tests` runs it on each bench as
`bench --site <test site> run-tests --module smo_extension.tests.helpdesk_suite` and reports it on its own line.
The modules come from the installed Helpdesk (`helpdesk_compat.helpdesk_test_modules`), whatever its release;
one case of ours first checks that the app is at work during the run (enabled, its hooks in place).
"""

import unittest

import frappe

from smo_extension import helpdesk_compat

# Helpdesk's own test records its tests read (made as `run-tests --doctype` would make them).
test_dependencies = ["HD Ticket", "HD Service Level Agreement"]


class TestTheAppIsAtWork(unittest.TestCase):
	def test_the_smo_is_enabled_and_hooked_into_helpdesk(self):
		from smo_extension.overrides.hd_service_level_agreement import SMOHDServiceLevelAgreement
		from smo_extension.smo.doctype.smo_settings.smo_settings import is_enabled

		self.assertTrue(is_enabled())
		self.assertIs(
			frappe.get_doc({"doctype": "HD Service Level Agreement"}).__class__, SMOHDServiceLevelAgreement
		)
		hooks = frappe.get_hooks("doc_events").get("HD Ticket", {})
		self.assertIn("smo_extension.handlers.hd_ticket.before_save", hooks.get("before_save", []))


def load_tests(loader: unittest.TestLoader, standard_tests, pattern) -> unittest.TestSuite:
	suite = unittest.TestSuite([loader.loadTestsFromTestCase(TestTheAppIsAtWork)])
	for module in helpdesk_compat.helpdesk_test_modules():
		suite.addTests(loader.loadTestsFromModule(module))
	return suite
