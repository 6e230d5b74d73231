"""Install → uninstall → reinstall on a site that has tickets, and the `enabled` safety valve."""

from unittest.mock import patch

import frappe
from frappe.installer import install_app
from frappe.installer import remove_app

from smo_extension.setup.custom_fields import custom_field_names
from smo_extension.sla import ticket as ticket_sla
from smo_extension.tests import SMOTestCase
from smo_extension.tests.factories import make_ticket
from smo_extension.tests.factories import set_settings

APP = "smo_extension"


def _as_new_request() -> None:
	"""What a new request sees: no cached hooks or meta from before the install state changed."""
	frappe.clear_cache()
	if hasattr(frappe.local, "doc_events_hooks"):
		del frappe.local.doc_events_hooks


def _custom_fields_on_site() -> set[str]:
	return set(
		frappe.get_all(
			"Custom Field",
			filters={"dt": "HD Ticket", "fieldname": ("in", custom_field_names()["HD Ticket"])},
			pluck="fieldname",
		)
	)


class TestInstallUninstall(SMOTestCase):
	def test_uninstall_and_reinstall_keep_tickets_and_helpdesk_working(self):
		expected = set(custom_field_names()["HD Ticket"])
		self.assertEqual(_custom_fields_on_site(), expected)
		self.assertTrue(frappe.get_meta("HD Ticket").has_field("smo_sla_state"))

		tickets = [make_ticket(f"install test {i}").name for i in range(3)]
		frappe.db.commit()  # nosemgrep: uninstall commits; the tickets must exist before it
		count_before = frappe.db.count("HD Ticket")

		try:
			remove_app(APP, yes=True, no_backup=True)
			_as_new_request()

			self.assertNotIn(APP, frappe.get_installed_apps())
			self.assertEqual(_custom_fields_on_site(), set())
			self.assertFalse(frappe.get_meta("HD Ticket").has_field("smo_sla_state"))
			self.assertFalse(frappe.db.exists("DocType", "SMO Settings"))
			self.assertEqual(frappe.db.count("HD Ticket"), count_before)

			# Helpdesk still works without us: a ticket saves and none of our hooks run.
			with patch.object(ticket_sla, "before_save") as spy:
				tickets.append(make_ticket("after uninstall").name)
				spy.assert_not_called()
			frappe.db.commit()  # nosemgrep
		finally:
			if APP not in frappe.get_installed_apps():
				install_app(APP)
				_as_new_request()

		self.assertIn(APP, frappe.get_installed_apps())
		self.assertEqual(_custom_fields_on_site(), expected)
		self.assertTrue(frappe.get_meta("HD Ticket").has_field("smo_sla_state"))
		self.assertEqual(frappe.db.count("HD Ticket"), count_before + 1)
		self.assertEqual(frappe.db.get_single_value("SMO Settings", "at_risk_percent"), 75)
		# the reinstall backfilled the events of the tickets that came while the app was away
		self.assertTrue(frappe.db.exists("SMO Ticket Event", {"ticket": str(tickets[-1])}))
		for name in tickets:
			self.assertTrue(frappe.db.exists("HD Ticket", name))
			frappe.delete_doc("HD Ticket", name, ignore_permissions=True, force=True)
		frappe.db.commit()  # nosemgrep


class TestEnabledSwitch(SMOTestCase):
	def tearDown(self):
		set_settings(enabled=1)

	def test_disabled_runs_no_smo_code_on_ticket_save(self):
		set_settings(enabled=0)
		with (
			patch.object(ticket_sla, "before_save") as before_save,
			patch.object(ticket_sla, "on_update") as on_update,
		):
			ticket = make_ticket("SMO off")
			ticket.reload()  # Helpdesk saved it again after inserting its first Communication
			ticket.subject = "SMO off, edited"
			ticket.save(ignore_permissions=True)
		before_save.assert_not_called()
		on_update.assert_not_called()

	def test_enabled_runs_smo_code_on_ticket_save(self):
		set_settings(enabled=1)
		with (
			patch.object(ticket_sla, "before_save") as before_save,
			patch.object(ticket_sla, "on_update") as on_update,
		):
			make_ticket("SMO on")
		self.assertGreaterEqual(before_save.call_count, 1)
		self.assertGreaterEqual(on_update.call_count, 1)


class TestFaultIsolation(SMOTestCase):
	def test_a_fault_in_the_smo_computation_does_not_block_the_ticket_save(self):
		set_settings(enabled=1)
		with patch.object(ticket_sla, "evaluate_with_gaps", side_effect=RuntimeError("engine exploded")):
			ticket = make_ticket("SMO fault")
		saved = frappe.get_doc("HD Ticket", ticket.name)
		self.assertIn("could not compute", saved.smo_sla_note)
		self.assertTrue(
			frappe.get_all("Error Log", filters={"error": ("like", "%engine exploded%")}, limit=1)
		)
		frappe.db.delete("Error Log", {"error": ("like", "%engine exploded%")})
