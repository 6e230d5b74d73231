# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""The policy register: lifecycle and who may move it, versions and superseding, the derived review date,
the bad inputs of the issue, and the daily review reminders."""

from datetime import date

import frappe
from frappe.utils import getdate

from smo_extension.smo.doctype.smo_policy.policy_workflow import WORKFLOW
from smo_extension.smo.doctype.smo_policy.policy_workflow import setup_policy_workflow
from smo_extension.smo.doctype.smo_policy.smo_policy import DUE_SOON
from smo_extension.smo.doctype.smo_policy.smo_policy import OVERDUE
from smo_extension.smo.doctype.smo_policy.smo_policy import SMOPolicyError
from smo_extension.smo.doctype.smo_policy.smo_policy import SMOPolicyTransitionError
from smo_extension.smo.doctype.smo_policy.smo_policy import next_review_date
from smo_extension.smo.doctype.smo_policy.smo_policy import notify_policy_reviews
from smo_extension.smo.doctype.smo_policy.smo_policy import review_state
from smo_extension.tests import SMOTestCase
from smo_extension.tests.factories import AGENT
from smo_extension.tests.factories import ANALYST
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import OWNER
from smo_extension.tests.factories import PORTAL
from smo_extension.tests.factories import ensure_test_users
from smo_extension.tests.factories import make_policy
from smo_extension.tests.factories import set_settings

OTHER_OWNER = "_gov.owner2@example.com"


def notifications(policy: str, user: str = OWNER) -> list[str]:
	return frappe.get_all(
		"Notification Log",
		filters={"document_type": "SMO Policy", "document_name": policy, "for_user": user},
		pluck="subject",
		order_by="creation asc",
	)


class GovernanceTestCase(SMOTestCase):
	"""Each test runs inside a savepoint that is rolled back after it."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_test_users()
		if not frappe.db.exists("User", OTHER_OWNER):
			user = frappe.get_doc(
				{
					"doctype": "User",
					"email": OTHER_OWNER,
					"first_name": "Other Owner",
					"send_welcome_email": 0,
				}
			).insert(ignore_permissions=True)
			user.add_roles("Service Owner")

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.savepoint("smo_governance_test")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="smo_governance_test")
		frappe.clear_document_cache("SMO Settings", "SMO Settings")

	def move(self, name: str, status: str, user: str = "Administrator", ignore_permissions: bool = False):
		with self.set_user(user):
			doc = frappe.get_doc("SMO Policy", name)
			doc.status = status
			doc.save(ignore_permissions=ignore_permissions)
			return doc


class TestPureHelpers(SMOTestCase):
	def test_next_review_date(self):
		self.assertEqual(next_review_date(None, "2026-01-31", 1), date(2026, 2, 28))
		self.assertEqual(next_review_date("2026-03-15", "2026-01-01", 12), date(2027, 3, 15))
		self.assertIsNone(next_review_date(None, None, 12))
		self.assertIsNone(next_review_date(None, "2026-01-01", 0))

	def test_review_state(self):
		on = date(2026, 6, 1)
		self.assertEqual(review_state("2026-05-31", on, 30), OVERDUE)
		self.assertEqual(review_state("2026-06-01", on, 30), DUE_SOON)
		self.assertEqual(review_state("2026-07-01", on, 30), DUE_SOON)
		self.assertEqual(review_state("2026-07-02", on, 30), "")
		self.assertEqual(review_state(None, on, 30), "")


class TestPolicyRecord(GovernanceTestCase):
	def test_published_policy_has_derived_review_date_and_name(self):
		policy = make_policy(
			"_POL-CHG", status="Published", effective_from="2026-01-31", review_every_months=6
		)
		self.assertEqual(policy.name, "_POL-CHG-v1.0")
		self.assertEqual(policy.status, "Published")
		self.assertEqual(getdate(policy.next_review_due), date(2026, 7, 31))
		# derived: a value typed in is replaced on save
		policy.next_review_due = "2030-01-01"
		policy.save()
		self.assertEqual(getdate(policy.next_review_due), date(2026, 7, 31))

	def test_review_date_counts_from_the_last_review(self):
		with self.freeze_time("2026-04-01 10:00:00", tick=True):
			policy = make_policy(
				status="Published", effective_from="2025-01-01", last_reviewed_on="2026-03-15"
			)
		self.assertEqual(getdate(policy.next_review_due), date(2027, 3, 15))

	def test_review_period_must_be_positive(self):
		for months in (0, -3):
			with self.assertRaises(SMOPolicyError, msg=months):
				make_policy(review_every_months=months)

	def test_effective_date_after_retirement_is_refused(self):
		with self.assertRaises(SMOPolicyError):
			make_policy(effective_from="2026-05-01", retired_on="2026-04-30")
		make_policy(effective_from="2026-05-01", retired_on="2026-05-01")

	def test_approver_equal_to_owner_is_refused_when_settings_forbid_it(self):
		with self.assertRaises(SMOPolicyError):
			make_policy(policy_owner=OWNER, approver=OWNER)
		set_settings(forbid_self_approval=0)
		self.assertEqual(make_policy(policy_owner=OWNER, approver=OWNER).approver, OWNER)

	def test_last_review_in_the_future_is_refused(self):
		with self.freeze_time("2026-04-01 10:00:00", tick=True), self.assertRaises(SMOPolicyError):
			make_policy(last_reviewed_on="2026-04-02")

	def test_duplicate_version_is_refused(self):
		make_policy("_POL-DUP")
		with self.assertRaises(SMOPolicyError):
			make_policy("_POL-DUP")

	def test_policy_text_and_services_are_kept(self):
		from smo_extension.tests.factories import make_service

		make_service("_GOVSVC")
		policy = make_policy(services=[{"service": "_GOVSVC"}], framework_practice="ITIL4-SM-04")
		self.assertEqual([row.service for row in policy.services], ["_GOVSVC"])
		self.assertEqual(policy.framework, "ITIL 4")

	def test_agents_and_portal_users_cannot_read(self):
		policy = make_policy(status="Published")
		for user in (AGENT, PORTAL):
			self.assertFalse(frappe.has_permission("SMO Policy", "read", user=user), user)
			self.assertFalse(frappe.has_permission("SMO Policy", "read", doc=policy.name, user=user), user)
		self.assertTrue(frappe.has_permission("SMO Policy", "read", doc=policy.name, user=ANALYST))
		self.assertFalse(frappe.has_permission("SMO Policy", "write", user=ANALYST))


class TestLifecycle(GovernanceTestCase):
	def test_workflow_is_installed_and_idempotent(self):
		setup_policy_workflow()
		setup_policy_workflow()
		self.assertEqual(frappe.db.count("Workflow", {"document_type": "SMO Policy", "is_active": 1}), 1)
		workflow = frappe.get_doc("Workflow", WORKFLOW)
		self.assertEqual(workflow.workflow_state_field, "status")
		by_action = {}
		for row in workflow.transitions:
			by_action.setdefault(row.action, set()).add(row.allowed)
		self.assertEqual(by_action["Publish"], {"SMO Manager"})
		self.assertEqual(by_action["Retire"], {"SMO Manager"})

	def test_a_new_document_starts_as_draft(self):
		doc = frappe.get_doc(
			{
				"doctype": "SMO Policy",
				"title": "Straight to published",
				"policy_code": "_POL-NEW",
				"version": "1",
				"policy_owner": OWNER,
				"approver": MANAGER,
				"effective_from": "2026-01-01",
				"status": "Published",
			}
		)
		with self.assertRaises(SMOPolicyTransitionError):
			doc.insert(ignore_permissions=True)

	def test_steps_cannot_be_skipped(self):
		policy = make_policy()
		with self.assertRaises(SMOPolicyTransitionError):
			self.move(policy.name, "Published")

	def test_only_an_smo_manager_publishes(self):
		policy = make_policy(status="Approved")
		# A Service Owner may write policies, but not publish one.
		with self.assertRaises(SMOPolicyTransitionError):
			self.move(policy.name, "Published", user=OWNER)
		# An SMO Analyst may not write at all; even past the permission check the controller refuses.
		with self.assertRaises(frappe.PermissionError):
			self.move(policy.name, "Published", user=ANALYST)
		with self.assertRaises(SMOPolicyTransitionError):
			self.move(policy.name, "Published", user=ANALYST, ignore_permissions=True)
		self.assertEqual(frappe.db.get_value("SMO Policy", policy.name, "status"), "Approved")
		self.assertEqual(self.move(policy.name, "Published", user=MANAGER).status, "Published")

	def test_only_an_smo_manager_retires(self):
		policy = make_policy(status="Published")
		with self.assertRaises(SMOPolicyTransitionError):
			self.move(policy.name, "Retired", user=OWNER)
		with self.assertRaises(SMOPolicyTransitionError):
			self.move(policy.name, "Retired", user=ANALYST, ignore_permissions=True)
		with self.freeze_time("2026-09-01 10:00:00", tick=True):
			retired = self.move(policy.name, "Retired", user=MANAGER)
		self.assertEqual(getdate(retired.retired_on), date(2026, 9, 1))

	def test_the_approver_approves_and_the_owner_cannot(self):
		policy = make_policy(status="In Review", policy_owner=MANAGER, approver=OWNER)
		with self.assertRaises(SMOPolicyTransitionError):
			self.move(policy.name, "Approved", user=MANAGER)  # owns it: self-approval is forbidden
		with self.assertRaises(frappe.PermissionError):
			self.move(policy.name, "Approved", user=OTHER_OWNER)  # a Service Owner, not the approver
		self.assertEqual(self.move(policy.name, "Approved", user=OWNER).status, "Approved")

	def test_publishing_needs_an_effective_date(self):
		policy = make_policy(status="Approved", effective_from=None)
		with self.assertRaises(SMOPolicyError):
			self.move(policy.name, "Published", user=MANAGER)


class TestVersions(GovernanceTestCase):
	def test_publishing_a_new_version_supersedes_the_old_one(self):
		v1 = make_policy("_POL-VER", status="Published", policy_text="<p>Version one text.</p>")
		v2_name = frappe.get_doc("SMO Policy", v1.name).make_new_version("2.0")
		v2 = frappe.get_doc("SMO Policy", v2_name)
		self.assertEqual((v2.name, v2.status, v2.supersedes), ("_POL-VER-v2.0", "Draft", v1.name))
		self.assertEqual(v2.policy_code, "_POL-VER")
		# Until v2 is published, v1 stays the published one.
		self.assertEqual(
			frappe.db.get_value("SMO Policy", v1.name, ["status", "is_superseded"]), ("Published", 0)
		)
		v2.effective_from = "2026-06-01"
		v2.policy_text = "<p>Version two text.</p>"
		v2.save()
		for step in ("In Review", "Approved", "Published"):
			self.move(v2.name, step)
		old = frappe.get_doc("SMO Policy", v1.name)
		self.assertEqual((old.is_superseded, old.superseded_by, old.status), (1, v2.name, "Retired"))
		self.assertEqual(old.policy_text, "<p>Version one text.</p>")
		self.assertEqual(getdate(old.retired_on), date(2026, 6, 1))
		# still readable, and frozen
		with self.set_user(ANALYST):
			self.assertEqual(frappe.get_doc("SMO Policy", v1.name).policy_text, "<p>Version one text.</p>")
		old.title = "edited after superseding"
		with self.assertRaises(SMOPolicyError):
			old.save()
		with self.assertRaises(SMOPolicyError):
			old.make_new_version("3.0")

	def test_new_version_keeps_the_policy_code(self):
		v1 = make_policy("_POL-A", status="Published")
		other = make_policy("_POL-B")
		with self.assertRaises(SMOPolicyError):
			make_policy("_POL-B", version="2.0", supersedes=v1.name)
		# the code is taken from the superseded version when none is given
		v2 = frappe.get_doc(
			{
				"doctype": "SMO Policy",
				"title": "v2",
				"version": "2.0",
				"supersedes": v1.name,
				"policy_owner": OWNER,
				"approver": MANAGER,
			}
		).insert(ignore_permissions=True)
		self.assertEqual(v2.name, "_POL-A-v2.0")
		self.assertNotEqual(other.policy_code, v2.policy_code)

	def test_one_successor_per_version(self):
		v1 = make_policy("_POL-ONE", status="Published")
		v1.make_new_version("2.0")
		with self.assertRaises(SMOPolicyError):
			frappe.get_doc("SMO Policy", v1.name).make_new_version("2.1")

	def test_a_superseded_version_cannot_be_superseded_again(self):
		v1 = make_policy("_POL-TWICE", status="Published")
		make_policy("_POL-TWICE", version="2.0", supersedes=v1.name, status="Published")
		with self.assertRaises(SMOPolicyError):
			make_policy("_POL-TWICE", version="3.0", supersedes=v1.name)


class TestReviewReminders(GovernanceTestCase):
	def test_each_state_change_notifies_the_owner_once(self):
		# effective 2025-01-01, reviewed every 12 months: due 2026-01-01; reminders from 2025-12-02 (30 days)
		policy = make_policy(status="Published", effective_from="2025-01-01")
		self.assertEqual(getdate(policy.next_review_due), date(2026, 1, 1))

		self.assertEqual(notify_policy_reviews(on=date(2025, 11, 15)), 0)
		self.assertEqual(notify_policy_reviews(on=date(2025, 12, 5)), 1)
		self.assertEqual(notify_policy_reviews(on=date(2025, 12, 5)), 0)
		self.assertEqual(notify_policy_reviews(on=date(2025, 12, 20)), 0)
		self.assertEqual(frappe.db.get_value("SMO Policy", policy.name, "review_state_notified"), DUE_SOON)
		self.assertEqual(notify_policy_reviews(on=date(2026, 1, 2)), 1)
		self.assertEqual(notify_policy_reviews(on=date(2026, 2, 2)), 0)
		subjects = notifications(policy.name)
		self.assertEqual(len(subjects), 2)
		self.assertIn("due soon", subjects[0])
		self.assertIn("overdue", subjects[1])

		# The owner records the review: the next cycle starts and will remind again.
		with self.freeze_time("2026-01-03 09:00:00", tick=True), self.set_user(OWNER):
			frappe.get_doc("SMO Policy", policy.name).mark_reviewed()
		self.assertEqual(
			getdate(frappe.db.get_value("SMO Policy", policy.name, "next_review_due")), date(2027, 1, 3)
		)
		self.assertEqual(notify_policy_reviews(on=date(2026, 1, 4)), 0)
		self.assertEqual(frappe.db.get_value("SMO Policy", policy.name, "review_state_notified"), "")
		self.assertEqual(notify_policy_reviews(on=date(2026, 12, 10)), 1)
		self.assertEqual(len(notifications(policy.name)), 3)

	def test_warning_period_comes_from_settings(self):
		policy = make_policy(status="Published", effective_from="2025-01-01")
		set_settings(policy_review_warning_days=7)
		self.assertEqual(notify_policy_reviews(on=date(2025, 12, 20)), 0)
		self.assertEqual(notify_policy_reviews(on=date(2025, 12, 26)), 1)
		self.assertEqual(len(notifications(policy.name)), 1)

	def test_only_current_published_versions_are_reminded(self):
		draft = make_policy(effective_from="2024-01-01")
		retired = make_policy(status="Retired", effective_from="2024-01-01")
		self.assertEqual(notify_policy_reviews(on=date(2026, 6, 1)), 0)
		self.assertEqual(notifications(draft.name) + notifications(retired.name), [])

	def test_disabled_app_sends_nothing(self):
		policy = make_policy(status="Published", effective_from="2024-01-01")
		set_settings(enabled=0)
		self.assertEqual(notify_policy_reviews(on=date(2026, 6, 1)), 0)
		self.assertEqual(notifications(policy.name), [])

	def test_only_owner_or_manager_records_a_review(self):
		policy = make_policy(status="Published", effective_from="2025-01-01")
		with self.set_user(ANALYST), self.assertRaises(frappe.PermissionError):
			frappe.get_doc("SMO Policy", policy.name).mark_reviewed()
		with self.set_user(OTHER_OWNER), self.assertRaises(frappe.PermissionError):
			frappe.get_doc("SMO Policy", policy.name).mark_reviewed()
		with self.freeze_time("2026-02-01 09:00:00", tick=True), self.set_user(MANAGER):
			self.assertEqual(frappe.get_doc("SMO Policy", policy.name).mark_reviewed(), "2027-02-01")


class TestPublishedPolicyIsFrozen(SMOTestCase):
	def test_published_text_cannot_change_but_review_can(self):
		policy = make_policy(status="Published")
		policy.reload()
		policy.policy_text = "<p>Quietly rewritten.</p>"
		with self.assertRaises(SMOPolicyError) as raised:
			policy.save(ignore_permissions=True)
		self.assertIn("new version", str(raised.exception))
		policy.reload()
		policy.last_reviewed_on = "2026-02-01"
		policy.save(ignore_permissions=True)
		self.assertEqual(str(policy.next_review_due), "2027-02-01")
