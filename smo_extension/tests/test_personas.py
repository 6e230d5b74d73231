"""What each persona found broken when they tried the app over HTTP (issue 8), one test each, as that user."""

from __future__ import annotations

import frappe

from smo_extension import helpdesk_compat
from smo_extension.permissions import OWNERSHIP
from smo_extension.tests.factories import AGENT
from smo_extension.tests.factories import ANALYST
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import OTHER_OWNER
from smo_extension.tests.factories import OWNER
from smo_extension.tests.factories import PORTAL
from smo_extension.tests.factories import PORTAL_CUSTOMER
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_policy
from smo_extension.tests.factories import make_service
from smo_extension.tests.factories import make_ticket
from smo_extension.tests.http import session
from smo_extension.tests.test_permission_matrix import ACTIVE_SVC
from smo_extension.tests.test_permission_matrix import DENIED
from smo_extension.tests.test_permission_matrix import OTHER_SVC
from smo_extension.tests.test_permission_matrix import OWN_SVC
from smo_extension.tests.test_permission_matrix import TEAM_IN
from smo_extension.tests.test_permission_matrix import MatrixTestCase


class TestPersonas(MatrixTestCase):
	def test_a_portal_customer_sees_only_the_sla_state_and_due_of_their_ticket(self):
		answer = session(PORTAL).call(
			"smo_extension.api.sla.get_ticket_clocks",
			ticket=helpdesk_compat.ticket_as_sent(self.portal_ticket),
		)
		self.assertEqual(answer.status, 200, answer)
		self.assertEqual([c["agreement_type"] for c in answer.data], ["SLA"])
		self.assertEqual(
			set(answer.data[0]),
			{
				"agreement",
				"agreement_type",
				"response_state",
				"response_due",
				"resolution_state",
				"resolution_due",
			},
		)
		self.assertNotIn("_PM ACTIVE OLA", answer.text)
		# staff see the OLA of the same ticket
		staff = session(AGENT).call(
			"smo_extension.api.sla.get_ticket_clocks",
			ticket=helpdesk_compat.ticket_as_sent(self.portal_ticket),
		)
		self.assertEqual({c["agreement"] for c in staff.data}, {"_PM ACTIVE SLA", "_PM ACTIVE OLA"})

	def test_a_portal_customer_reads_no_clock_of_someone_elses_ticket(self):
		answer = session(PORTAL).call(
			"smo_extension.api.sla.get_ticket_clocks", ticket=helpdesk_compat.ticket_as_sent(self.ticket_out)
		)
		self.assertIn(answer.status, DENIED, answer)
		self.assertNotIn("_PM ACTIVE", answer.text)
		self.assertIn(session(PORTAL).list("SMO Ticket SLA").status, DENIED)

	def test_a_portal_customer_cannot_choose_the_service_of_their_ticket(self):
		portal = session(PORTAL)
		created = portal.create(
			"HD Ticket",
			{"subject": "_PM chosen by customer", "description": "mine", "smo_service": OTHER_SVC},
		)
		self.assertEqual(created.status, 200, created)
		self.assertNotEqual(frappe.db.get_value("HD Ticket", created.data["name"], "smo_service"), OTHER_SVC)
		# Helpdesk's own portal endpoint takes a whole document too
		via_portal = portal.call(
			"helpdesk.helpdesk.doctype.hd_ticket.api.new",
			doc={"subject": "_PM chosen in portal", "description": "mine", "smo_service": OTHER_SVC},
		)
		self.assertEqual(via_portal.status, 200, via_portal)
		self.assertNotEqual(
			frappe.db.get_value("HD Ticket", via_portal.data["name"], "smo_service"), OTHER_SVC
		)
		# ... nor change it later
		changed = portal.update("HD Ticket", self.portal_ticket, {"smo_service": OTHER_SVC})
		self.assertIn(changed.status, (200, *DENIED), changed)
		self.assertEqual(frappe.db.get_value("HD Ticket", self.portal_ticket, "smo_service"), ACTIVE_SVC)
		# an agent does choose it
		answer = session(AGENT).update("HD Ticket", created.data["name"], {"smo_service": ACTIVE_SVC})
		self.assertEqual(answer.status, 200, answer)
		self.assertEqual(frappe.db.get_value("HD Ticket", created.data["name"], "smo_service"), ACTIVE_SVC)

	def test_smo_staff_read_the_clocks_of_any_ticket_on_both_paths(self):
		for user in (MANAGER, ANALYST, OWNER):
			with self.subTest(user=user):
				method = session(user).call("smo_extension.api.sla.get_ticket_clocks", ticket=self.ticket_out)
				self.assertEqual(method.status, 200, method)
				resource = session(user).list(
					"SMO Ticket SLA", filters={"ticket": self.ticket_out}, fields=["agreement"]
				)
				self.assertEqual(resource.status, 200, resource)
				self.assertEqual(
					sorted(c["agreement"] for c in method.data), sorted(c["agreement"] for c in resource.data)
				)

	def test_the_agent_ui_sends_the_ticket_name_as_a_json_number(self):
		answer = session(AGENT).post(
			"/api/method/smo_extension.api.sla.get_ticket_clocks",
			{"ticket": helpdesk_compat.ticket_as_sent(self.ticket_in)},
		)
		self.assertEqual(answer.status, 200, answer)
		self.assertIn("_PM ACTIVE SLA", [c["agreement"] for c in answer.data])
		unknown = session(AGENT).call("smo_extension.api.sla.get_ticket_clocks", ticket=99999999)
		self.assertEqual((unknown.status, unknown.exc_type), (404, "DoesNotExistError"), unknown)

	def test_owners_edit_no_improvement_or_policy_of_another_owner(self):
		owner = session(OWNER)
		improvement = self.record("SMO Improvement", OTHER_OWNER)
		answer = owner.update("SMO Improvement", improvement, {"title": "_PM taken"})
		self.assertIn(answer.status, DENIED, answer)
		policy = self.record("SMO Policy", OTHER_OWNER)
		answer = owner.update("SMO Policy", policy, {"title": "_PM taken"})
		self.assertIn(answer.status, DENIED, answer)
		# the desk posts the whole document with a controller call: a doctored copy changes nothing
		doc = frappe.get_doc("SMO Policy", policy).as_dict()
		doc.update({"policy_owner": OWNER})
		forged = owner.call(
			"run_doc_method", docs=frappe.as_json(doc), method="make_new_version", args='{"version": "9.9"}'
		)
		self.assertIn(forged.status, DENIED, forged)
		self.assertFalse(frappe.db.exists("SMO Policy", {"supersedes": policy}))
		self.assertEqual(frappe.db.get_value("SMO Policy", policy, "policy_owner"), OTHER_OWNER)

	def test_service_owners_edit_the_agreements_of_their_services_only(self):
		owner = session(OWNER)
		mine = owner.update("SMO Service Level Agreement", "_PM OWN SLA", {"compliance_target": 97})
		self.assertEqual(mine.status, 200, mine)
		theirs = owner.update("SMO Service Level Agreement", "_PM OTHER SLA", {"compliance_target": 97})
		self.assertIn(theirs.status, DENIED, theirs)
		self.assertNotEqual(
			frappe.db.get_value("SMO Service Level Agreement", "_PM OTHER SLA", "compliance_target"), 97
		)

	def test_the_approver_of_another_owners_policy_approves_it_and_changes_nothing_else(self):
		policy = make_policy("_PM-APPROVE", status="In Review", policy_owner=OTHER_OWNER, approver=OWNER).name
		frappe.db.commit()  # nosemgrep
		owner = session(OWNER)
		edited = owner.update("SMO Policy", policy, {"title": "_PM rewritten by the approver"})
		self.assertIn(edited.status, DENIED, edited)
		approved = owner.update("SMO Policy", policy, {"status": "Approved"})
		self.assertEqual(approved.status, 200, approved)
		self.assertEqual(frappe.db.get_value("SMO Policy", policy, "status"), "Approved")
		# once approved it is no longer theirs to move
		back = owner.update("SMO Policy", policy, {"status": "Draft"})
		self.assertIn(back.status, DENIED, back)

	def test_a_new_priority_does_not_block_editing_an_active_agreement(self):
		priority = "_PM Critical"
		if not frappe.db.exists("HD Ticket Priority", priority):
			frappe.get_doc(
				{"doctype": "HD Ticket Priority", "name": priority, **helpdesk_compat.priority_values(99)}
			).insert(ignore_permissions=True)
		# Helpdesk's own SLA refuses a ticket priority it has no row for
		helpdesk_sla = frappe.get_doc("HD Service Level Agreement", {"default_sla": 1})
		helpdesk_sla.append(
			"priorities", {"priority": priority, "response_time": 3600, "resolution_time": 7200}
		)
		helpdesk_sla.save(ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
		try:
			manager = session(MANAGER)
			answer = manager.update(
				"SMO Service Level Agreement", "_PM ACTIVE SLA", {"compliance_target": 96}
			)
			self.assertEqual(answer.status, 200, answer)
			form = manager.get(
				"/api/method/frappe.desk.form.load.getdoc",
				{"doctype": "SMO Service Level Agreement", "name": "_PM ACTIVE SLA"},
			)
			self.assertEqual(form.status, 200, form)
			self.assertIn(priority, form.json["docs"][0]["__onload"]["coverage_gap"])
			# a ticket at that priority says it has no target
			name = str(
				make_ticket(
					"_PM new priority", smo_service=ACTIVE_SVC, priority="High", agent_group=TEAM_IN
				).name
			)
			frappe.db.commit()  # nosemgrep
			ticket = session(AGENT).update("HD Ticket", name, {"priority": priority})
			self.assertEqual(ticket.status, 200, ticket)
			note = frappe.db.get_value("HD Ticket", name, "smo_sla_note")
			self.assertIn(priority, note)
			self.assertIn("_PM ACTIVE SLA", note)
			self.assertNotIn("OLA", note)  # the customer reads the note too
			self.assertEqual(frappe.get_all("SMO Ticket SLA", {"ticket": name}, pluck="agreement"), [])
			# activating a new agreement still needs every target
			make_agreement("_PM NEW SLA", OWN_SVC, status="Draft")
			frappe.db.commit()  # nosemgrep
			activate = manager.update("SMO Service Level Agreement", "_PM NEW SLA", {"status": "Active"})
			self.assertEqual(activate.status, 417, activate)
			self.assertIn(priority, activate.message)
			self.assertEqual(
				frappe.db.get_value("SMO Service Level Agreement", "_PM NEW SLA", "status"), "Draft"
			)
		finally:
			helpdesk_sla.reload()
			helpdesk_sla.priorities = [row for row in helpdesk_sla.priorities if row.priority != priority]
			helpdesk_sla.save(ignore_permissions=True)
			frappe.delete_doc("HD Ticket Priority", priority, force=True, ignore_permissions=True)
			frappe.db.commit()  # nosemgrep

	def test_a_form_opens_read_only_for_who_may_not_edit_the_record(self):
		for doctype in ("SMO Service", "SMO Service Level Agreement", "SMO Policy", "SMO Improvement"):
			for owner, read_only in ((OWNER, False), (OTHER_OWNER, True)):
				with self.subTest(doctype=doctype, owner=owner):
					form = session(OWNER).get(
						"/api/method/frappe.desk.form.load.getdoc",
						{"doctype": doctype, "name": self.record(doctype, owner)},
					)
					self.assertEqual(form.status, 200, form)
					onload = form.json["docs"][0]["__onload"]
					self.assertEqual(onload["smo_read_only"], read_only)
					# the owning field shows read-only to a Service Owner even on their own record
					self.assertEqual(onload["smo_locked_fields"], [OWNERSHIP[doctype][0]])
		form = session(MANAGER).get(
			"/api/method/frappe.desk.form.load.getdoc",
			{"doctype": "SMO Service", "name": self.record("SMO Service", OWNER)},
		)
		self.assertEqual(form.json["docs"][0]["__onload"]["smo_locked_fields"], [])

	def test_the_smo_workspace_is_for_smo_staff(self):
		workspace = frappe.get_doc("Workspace", "SMO")
		self.assertEqual({r.role for r in workspace.roles}, {"SMO Manager", "SMO Analyst", "Service Owner"})

	def test_nobody_sets_the_sla_summary_of_a_ticket_by_hand(self):
		before = frappe.db.get_value("HD Ticket", self.portal_ticket, ["smo_sla_state", "smo_resolution_due"])
		for user in (PORTAL, AGENT):
			with self.subTest(user=user):
				answer = session(user).update(
					"HD Ticket",
					self.portal_ticket,
					{
						"smo_sla_state": "Met",
						"smo_resolution_due": "2030-01-01 00:00:00",
						"smo_sla_note": "forged",
					},
				)
				self.assertIn(answer.status, (200, *DENIED), answer)
				stored = frappe.db.get_value(
					"HD Ticket", self.portal_ticket, ["smo_sla_state", "smo_resolution_due"]
				)
				self.assertEqual(stored, before)
				self.assertNotEqual(
					frappe.db.get_value("HD Ticket", self.portal_ticket, "smo_sla_note"), "forged"
				)

	def test_an_owner_cannot_start_the_next_version_of_another_owners_policy(self):
		other = self.record("SMO Policy", OTHER_OWNER)
		answer = session(OWNER).create(
			"SMO Policy",
			{
				"title": "_PM hijack",
				"policy_code": frappe.db.get_value("SMO Policy", other, "policy_code"),
				"version": "7.0",
				"document_type": "Policy",
				"policy_owner": OWNER,
				"approver": MANAGER,
				"review_every_months": 12,
				"supersedes": other,
			},
		)
		self.assertIn(answer.status, DENIED, answer)
		self.assertFalse(frappe.db.exists("SMO Policy", {"supersedes": other}))

	def test_the_policy_status_is_moved_by_the_workflow_not_typed(self):
		self.assertTrue(frappe.get_meta("SMO Policy").get_field("status").read_only)

	def test_system_written_records_are_never_edited_by_hand(self):
		for doctype, name in (("SMO Ticket SLA", self.clock_in), ("SMO Ticket Event", self.event)):
			for user in (MANAGER, ANALYST):
				with self.subTest(doctype=doctype, user=user):
					self.assertIn(session(user).update(doctype, name, {"priority": "Low"}).status, DENIED)
					self.assertIn(session(user).remove(doctype, name).status, DENIED)
					self.assertTrue(frappe.db.exists(doctype, name))


class TestServiceTakeover(MatrixTestCase):
	def test_an_owner_who_owns_nothing_takes_over_nothing(self):
		nobody = session(OWNER)
		make_service("_PM-VICTIM", service_owner=OTHER_OWNER)
		frappe.db.commit()  # nosemgrep
		taken = nobody.update("SMO Service", "_PM-VICTIM", {"service_owner": OWNER})
		self.assertIn(taken.status, DENIED, taken)
		self.assertEqual(frappe.db.get_value("SMO Service", "_PM-VICTIM", "service_owner"), OTHER_OWNER)
		created = nobody.create(
			"SMO Service",
			{
				"service_code": "_PM-FORGED",
				"service_name": "Forged",
				"lifecycle_stage": "Pipeline",
				"status": "Design",
				"service_owner": OTHER_OWNER,
			},
		)
		self.assertIn(created.status, DENIED, created)
		self.assertFalse(frappe.db.exists("SMO Service", "_PM-FORGED"))
		# the customer of a portal ticket never reads the catalog
		self.assertIn(session(PORTAL).read("SMO Service", ACTIVE_SVC).status, DENIED)
		self.assertIn(session(PORTAL).call("smo_extension.api.catalog.get_service_catalog").status, DENIED)
		self.assertEqual(frappe.db.get_value("HD Customer", PORTAL_CUSTOMER, "name"), PORTAL_CUSTOMER)
