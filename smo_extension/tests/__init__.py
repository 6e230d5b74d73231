"""Site-tier (tier 2) tests. Import the base class from here so the suite runs on Frappe 15 and 16 alike."""

try:
	from frappe.tests import IntegrationTestCase as SMOTestCase
except ImportError:
	from frappe.tests.utils import FrappeTestCase as SMOTestCase

__all__ = ["SMOTestCase", "before_tests"]


def before_tests():
	from smo_extension.tests.factories import ensure_test_users

	ensure_test_users()
