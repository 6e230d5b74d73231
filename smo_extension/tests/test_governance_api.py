"""The catalog and governance API as each kind of user sees it: Helpdesk agent, portal user, SMO Analyst,
Service Owner and SMO Manager."""

import inspect
import json
from datetime import datetime

import frappe

from smo_extension.api import catalog
from smo_extension.api import governance
from smo_extension.pmo import sync
from smo_extension.pmo.client import ProjectSnapshot
from smo_extension.smo.doctype.smo_policy.test_smo_policy import GovernanceTestCase
from smo_extension.tests.factories import AGENT
from smo_extension.tests.factories import ANALYST
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import OWNER
from smo_extension.tests.factories import PMO_SECRET
from smo_extension.tests.factories import PORTAL
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_improvement
from smo_extension.tests.factories import make_liaison
from smo_extension.tests.factories import make_policy
from smo_extension.tests.factories import make_service
from smo_extension.tests.factories import set_pmo_connection

TODAY = "2026-01-15 09:00:00"
METHODS = (
	catalog.get_service_catalog,
	catalog.get_service,
	governance.get_policies_due_for_review,
	governance.get_service_liaisons,
	governance.get_improvements,
	governance.get_charter,
)


class TestGovernanceAPI(GovernanceTestCase):
	def setUp(self):
		super().setUp()
		set_pmo_connection()
		make_service("_APISVC", service_name="API Mail", service_owner=OWNER)
		make_service("_APIPIPE", service_name="API Pipeline", lifecycle_stage="Pipeline", status="Design")
		make_agreement("_API SLA", "_APISVC")
		with self.freeze_time(TODAY, tick=True):
			# due 2026-01-01 (overdue), 2026-02-01 (due soon), 2026-06-01 (on track); a draft long overdue
			self.overdue = make_policy("_API-OVD", status="Published", effective_from="2025-01-01").name
			self.due_soon = make_policy(
				"_API-SOON",
				status="Published",
				effective_from="2025-02-01",
				policy_owner=MANAGER,
				approver=OWNER,
			).name
			self.on_track = make_policy("_API-OK", status="Published", effective_from="2025-06-01").name
			self.draft = make_policy("_API-DRAFT", effective_from="2020-01-01").name
		self.liaison = make_liaison(
			"_APISVC",
			project="PROJ-API",
			go_live_date="2026-03-01",
			readiness_checklist=[{"item": "Runbook", "mandatory": 1, "done": 1}],
		).name
		sync.record_success(
			self.liaison,
			ProjectSnapshot("PROJ-API", "Mail move", "Open", 60.0, None),
			datetime(2026, 1, 15, 8),
		)
		self.improvement = make_improvement("_API improvement", service="_APISVC").name

	def call_as(self, user: str, method, *args, **kwargs):
		with self.set_user(user), self.freeze_time(TODAY, tick=True):
			return method(*args, **kwargs)

	def test_every_method_is_whitelisted_and_typed(self):
		for method in METHODS:
			self.assertIn(method, frappe.whitelisted, method.__name__)
			self.assertIn("return", inspect.unwrap(method).__annotations__, method.__name__)

	def test_portal_users_get_permission_errors_everywhere(self):
		for method, args in (
			(catalog.get_service_catalog, ()),
			(catalog.get_service, ("_APISVC",)),
			(catalog.get_service, ("_NO_SUCH_SERVICE",)),
			(governance.get_policies_due_for_review, ()),
			(governance.get_service_liaisons, ("_APISVC",)),
			(governance.get_service_liaisons, ("_NO_SUCH_SERVICE",)),
			(governance.get_improvements, ()),
			(governance.get_charter, ()),
		):
			with self.assertRaises(frappe.PermissionError, msg=(method.__name__, args)):
				self.call_as(PORTAL, method, *args)

	def test_agents_read_the_catalog_only(self):
		services = {s["name"]: s for s in self.call_as(AGENT, catalog.get_service_catalog)}
		self.assertIn("_APISVC", services)
		self.assertNotIn("_APIPIPE", services)  # Catalog stage by default
		(agreement,) = services["_APISVC"]["agreements"]
		self.assertEqual((agreement["name"], agreement["agreement_type"]), ("_API SLA", "SLA"))
		self.assertEqual(
			{t["priority"]: t["resolution_minutes"] for t in agreement["targets"]},
			{"Urgent": 60, "High": 240, "Medium": 480, "Low": 960},
		)
		everything = self.call_as(AGENT, catalog.get_service_catalog, lifecycle_stage=None)
		self.assertIn("_APIPIPE", {s["name"] for s in everything})
		self.assertEqual(self.call_as(AGENT, catalog.get_service, "_APISVC")["service_owner"], OWNER)
		for method, args in (
			(governance.get_policies_due_for_review, ()),
			(governance.get_service_liaisons, ("_APISVC",)),
			(governance.get_improvements, ()),
			(governance.get_charter, ()),
		):
			with self.assertRaises(frappe.PermissionError, msg=method.__name__):
				self.call_as(AGENT, method, *args)

	def test_analysts_and_managers_read_everything(self):
		for user in (ANALYST, MANAGER):
			catalog_names = {s["name"] for s in self.call_as(user, catalog.get_service_catalog)}
			self.assertIn("_APISVC", catalog_names, user)
			due = self.call_as(user, governance.get_policies_due_for_review)
			self.assertEqual(
				[
					(p["name"], p["review_state"], p["days_until_due"])
					for p in due
					if p["name"].startswith("_API")
				],
				[(self.overdue, "Overdue", -14), (self.due_soon, "Due Soon", 17)],
				user,
			)
			(liaison,) = self.call_as(user, governance.get_service_liaisons, "_APISVC")
			self.assertEqual(liaison["name"], self.liaison)
			self.assertEqual((liaison["project_status"], liaison["percent_complete"]), ("Open", 60))
			self.assertEqual([c["item"] for c in liaison["checklist"]], ["Runbook"])
			self.assertIn(
				self.improvement, [i["name"] for i in self.call_as(user, governance.get_improvements)], user
			)
			self.assertIn("milestones", self.call_as(user, governance.get_charter))

	def test_service_owners_read_governance_but_not_more_than_their_roles_allow(self):
		due = [p["name"] for p in self.call_as(OWNER, governance.get_policies_due_for_review)]
		self.assertIn(self.overdue, due)
		self.assertEqual(len(self.call_as(OWNER, governance.get_service_liaisons, "_APISVC")), 1)

	def test_policy_filters(self):
		overdue_only = self.call_as(ANALYST, governance.get_policies_due_for_review, within_days=0)
		self.assertIn(self.overdue, [p["name"] for p in overdue_only])
		self.assertNotIn(self.due_soon, [p["name"] for p in overdue_only])
		by_owner = self.call_as(ANALYST, governance.get_policies_due_for_review, policy_owner=MANAGER)
		self.assertEqual([p["name"] for p in by_owner if p["name"].startswith("_API")], [self.due_soon])
		everything = [
			p["name"] for p in self.call_as(ANALYST, governance.get_policies_due_for_review, within_days=365)
		]
		self.assertIn(self.on_track, everything)
		self.assertNotIn(self.draft, everything)

	def test_liaisons_of_an_unknown_service(self):
		with self.assertRaises(frappe.DoesNotExistError):
			self.call_as(ANALYST, governance.get_service_liaisons, "_NO_SUCH_SERVICE")
		with self.assertRaises(frappe.DoesNotExistError):
			self.call_as(AGENT, catalog.get_service, "_NO_SUCH_SERVICE")

	def test_no_answer_carries_the_pmo_secret(self):
		for user in (ANALYST, MANAGER):
			for method, args in (
				(governance.get_service_liaisons, ("_APISVC",)),
				(governance.get_charter, ()),
				(catalog.get_service_catalog, ()),
			):
				answer = json.dumps(self.call_as(user, method, *args), default=str)
				self.assertNotIn(PMO_SECRET, answer)

	def test_improvement_filters(self):
		with self.freeze_time("2026-03-01 09:00:00", tick=True):
			late = make_improvement(
				"_API late", status="In Progress", improvement_owner=OWNER, target_date="2026-02-01"
			).name
		overdue = [i["name"] for i in self.call_as(ANALYST, governance.get_improvements, overdue_only=True)]
		self.assertIn(late, overdue)
		self.assertNotIn(self.improvement, overdue)
		by_service = [
			i["name"] for i in self.call_as(ANALYST, governance.get_improvements, service="_APISVC")
		]
		self.assertIn(self.improvement, by_service)
		self.assertNotIn(late, by_service)
