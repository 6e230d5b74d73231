"""What agents see of the SMO in Helpdesk (issue 9): the SLA button's script with the one colour map, the ticket
sidebar fields, the SMO column of the agent ticket list (through Helpdesk's own list API, as an agent), the
clock rows the dialog reads, and the desk scripts sharing one state helper."""

import json
import re

import frappe

from smo_extension import helpdesk_compat
from smo_extension.setup.helpdesk_ui import FORM_SCRIPT
from smo_extension.setup.helpdesk_ui import RETIRED_TEMPLATE_FIELDS
from smo_extension.setup.helpdesk_ui import TEMPLATE
from smo_extension.setup.helpdesk_ui import TEMPLATE_FIELDS
from smo_extension.setup.helpdesk_ui import add_to_agent_ui
from smo_extension.sla.states import STATE_COLOURS
from smo_extension.tests import SMOTestCase
from smo_extension.tests.factories import AGENT
from smo_extension.tests.factories import PORTAL
from smo_extension.tests.factories import PORTAL_CUSTOMER
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_calendar
from smo_extension.tests.factories import make_service
from smo_extension.tests.factories import make_ticket
from smo_extension.tests.factories import set_settings
from smo_extension.tests.http import session

LIST_API = "helpdesk.api.doc.get_list_data"
SERVICE = "_UI"
AGREEMENT = "_UI SLA"


class TestFormScript(SMOTestCase):
	def test_the_sla_button_script_carries_the_one_colour_map(self):
		script = frappe.db.get_value("HD Form Script", FORM_SCRIPT, "script")
		self.assertNotIn("__SMO_STATE_COLOURS__", script)
		literal = re.search(r"const COLOURS = (\{.*?\});\n", script).group(1)
		self.assertEqual(json.loads(literal), STATE_COLOURS)
		self.assertIn("smo_extension.api.sla.get_ticket_clocks", script)
		self.assertEqual(frappe.db.get_value("HD Form Script", FORM_SCRIPT, "enabled"), 1)

	def test_sidebar_shows_the_service_to_agents_and_the_sla_state_to_the_customer_too(self):
		template = frappe.get_doc("HD Ticket Template", TEMPLATE)
		rows = {row.fieldname: row for row in template.fields}
		for fieldname, hidden in TEMPLATE_FIELDS.items():
			self.assertEqual(rows[fieldname].hide_from_customer, hidden, fieldname)
		for fieldname in RETIRED_TEMPLATE_FIELDS:
			self.assertNotIn(fieldname, rows)

	def test_helpdesk_forms_neither_ask_for_the_sla_state_nor_let_it_be_edited(self):
		"""Helpdesk's new-ticket forms evaluate `depends_on` on the new ticket (no state yet: not shown), and its
		agent sidebar takes read-only-ness from `read_only_depends_on` only (not `read_only`)."""
		field = frappe.get_meta("HD Ticket").get_field("smo_sla_state")
		self.assertEqual((field.read_only, field.depends_on), (1, "eval:doc.smo_sla_state"))
		self.assertEqual(field.read_only_depends_on, "eval:1")

	def test_migrate_brings_an_older_sidebar_up_to_date(self):
		template = frappe.get_doc("HD Ticket Template", TEMPLATE)
		template.append("fields", {"fieldname": "smo_response_due", "hide_from_customer": 1})
		for row in template.fields:
			if row.fieldname == "smo_sla_state":
				row.hide_from_customer = 1
		template.save(ignore_permissions=True)
		add_to_agent_ui()
		rows = {row.fieldname: row for row in frappe.get_doc("HD Ticket Template", TEMPLATE).fields}
		self.assertNotIn("smo_response_due", rows)
		self.assertEqual(rows["smo_sla_state"].hide_from_customer, 0)

	def test_desk_form_and_list_scripts_share_the_state_helper(self):
		from frappe.desk.form.meta import get_meta

		meta = get_meta("HD Ticket", cached=False)
		for script in (meta.get("__js"), meta.get("__list_js")):
			self.assertIn("smo_extension.sla_pill", script)
			self.assertIn("frappe.boot.smo_state_colours", script)

	def test_the_boot_carries_the_colour_map(self):
		from smo_extension.boot import boot_session

		bootinfo = frappe._dict()
		boot_session(bootinfo)
		self.assertEqual(bootinfo.smo_state_colours, STATE_COLOURS)


class TestAgentTicketList(SMOTestCase):
	"""Through Helpdesk's own list API, over HTTP, as the people who use it."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		set_settings(enabled=1, drive_helpdesk_sla=1)
		make_calendar("_UI Weekdays")
		make_service(SERVICE)
		make_agreement(AGREEMENT, SERVICE, calendar="_UI Weekdays")
		cls.ticket = str(
			make_ticket(
				"_UI list ticket",
				smo_service=SERVICE,
				priority="Low",
				raised_by=PORTAL,
				customer=PORTAL_CUSTOMER,
			).name
		)
		frappe.db.delete("HD View", {"user": AGENT, "dt": "HD Ticket"})
		frappe.db.commit()  # nosemgrep: the HTTP requests run on their own connection

	@classmethod
	def tearDownClass(cls):
		frappe.delete_doc("HD Ticket", cls.ticket, force=True, ignore_permissions=True)
		frappe.db.delete("HD View", {"user": AGENT, "dt": "HD Ticket"})
		for doctype, name in (
			("SMO Service Level Agreement", AGREEMENT),
			("SMO Service", SERVICE),
			("SMO Business Calendar", "_UI Weekdays"),
		):
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def list_as(self, user: str, **args):
		answer = session(user).call(LIST_API, doctype="HD Ticket", page_length=100, **args)
		self.assertEqual(answer.status, 200, answer)
		return answer.data

	def test_agents_default_list_has_the_smo_column_after_resolution(self):
		data = self.list_as(AGENT, is_default=True, filters={"name": self.ticket})
		keys = [c["key"] for c in data["columns"]]
		self.assertEqual(keys[keys.index("resolution_by") + 1], "smo_sla_state")
		self.assertIn("smo_sla_state", data["rows"])
		(row,) = [r for r in data["data"] if str(r["name"]) == self.ticket]
		self.assertEqual(row["smo_sla_state"], frappe.db.get_value("HD Ticket", self.ticket, "smo_sla_state"))
		self.assertEqual(row["smo_sla_state"], "Running")

	def test_an_agents_own_columns_stay_theirs(self):
		frappe.get_doc(
			{
				"doctype": "HD View",
				"dt": "HD Ticket",
				"user": AGENT,
				"is_default": 1,
				"type": "list",
				"label": "_UI own view",
				"columns": json.dumps(
					[{"label": "Subject", "type": "Data", "key": "subject", "width": "20rem"}]
				),
				"rows": json.dumps(["name", "subject"]),
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
		try:
			data = self.list_as(AGENT, is_default=True)
			self.assertEqual([c["key"] for c in data["columns"]], ["subject"])
		finally:
			frappe.db.delete("HD View", {"user": AGENT, "dt": "HD Ticket"})
			frappe.db.commit()  # nosemgrep

	def test_the_customer_portal_list_is_left_as_helpdesk_makes_it(self):
		data = self.list_as(PORTAL, is_default=True, show_customer_portal_fields=True)
		self.assertNotIn("smo_sla_state", [c["key"] for c in data["columns"]])
		self.assertIn(self.ticket, [str(r["name"]) for r in data["data"]])

	def test_the_portal_is_offered_no_quick_filter_on_the_internal_service(self):
		"""Helpdesk offers every standard-filter field above its lists; the customer's list would search SMO
		Service, which they may not read (a "no permission" toast on opening their tickets)."""
		quick = "helpdesk.api.doc.get_quick_filters"
		answer = session(PORTAL).call(quick, doctype="HD Ticket", show_customer_portal_fields=True)
		self.assertEqual(answer.status, 200, answer)
		names = [f["name"] for f in answer.data]
		self.assertNotIn("smo_service", names)
		self.assertIn("smo_sla_state", names)  # their SLA's state stays theirs to filter by
		answer = session(AGENT).call(quick, doctype="HD Ticket")
		self.assertEqual(answer.status, 200, answer)
		self.assertIn("smo_service", [f["name"] for f in answer.data])

	def test_a_wrong_argument_type_gets_a_translated_error(self):
		answer = session(AGENT).call(LIST_API, doctype="HD Ticket", page_length="many")
		self.assertEqual(answer.status, 417, answer)
		self.assertEqual(answer.exc_type, "SMOArgumentError")

	def test_the_dialog_reads_time_paused_and_the_agreement_version(self):
		from smo_extension.sla.jobs import recompute_tickets

		# Monday 2 March 2026 09:00 (calendar Mon-Fri 09-17): answered and waiting on the customer from 10:00;
		# at 12:00 the clocks have counted 60 minutes and paused 120.
		with self.freeze_time("2026-03-02 09:00:00"):
			doc = make_ticket("_UI paused ticket", smo_service=SERVICE, priority="Low", raised_by=PORTAL)
		self.addCleanup(self.drop_ticket, str(doc.name))
		with self.freeze_time("2026-03-02 10:00:00"):
			doc.reload()
			doc.status = "Replied"
			doc.save(ignore_permissions=True)
		with self.freeze_time("2026-03-02 12:00:00"):
			recompute_tickets([str(doc.name)])
		frappe.db.commit()  # nosemgrep
		answer = session(AGENT).call(
			"smo_extension.api.sla.get_ticket_clocks", ticket=helpdesk_compat.ticket_as_sent(doc.name)
		)
		self.assertEqual(answer.status, 200, answer)
		(clock,) = answer.data
		self.assertEqual(clock["resolution_state"], "Paused")
		self.assertEqual(clock["agreement_version"], 1)
		self.assertAlmostEqual(clock["resolution_elapsed_minutes"], 60, places=1)
		self.assertAlmostEqual(clock["resolution_paused_minutes"], 120, places=1)
		# the customer gets their SLA's state and due only
		answer = session(PORTAL).call(
			"smo_extension.api.sla.get_ticket_clocks", ticket=helpdesk_compat.ticket_as_sent(doc.name)
		)
		self.assertEqual(answer.status, 200, answer)
		self.assertEqual(answer.data[0]["resolution_state"], "Paused")
		self.assertNotIn("resolution_paused_minutes", answer.data[0])

	@staticmethod
	def drop_ticket(name: str) -> None:
		frappe.delete_doc("HD Ticket", name, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
