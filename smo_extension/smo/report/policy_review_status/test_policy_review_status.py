# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

import frappe

from smo_extension.smo.doctype.smo_policy.test_smo_policy import GovernanceTestCase
from smo_extension.smo.report.policy_review_status.policy_review_status import execute
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import OWNER
from smo_extension.tests.factories import make_policy


class TestPolicyReviewStatus(GovernanceTestCase):
	def setUp(self):
		super().setUp()
		with self.freeze_time("2026-01-15 09:00:00", tick=True):
			# due 2026-01-01 (overdue), 2026-02-01 (due soon), 2026-06-01 and 2026-07-01 (on track)
			self.overdue = make_policy("_RPT-1", status="Published", effective_from="2025-01-01").name
			self.soon = make_policy(
				"_RPT-2",
				status="Published",
				effective_from="2025-02-01",
				framework_practice="ISO20000-8.5.1",
				policy_owner=MANAGER,
				approver=OWNER,
			).name
			self.ok = make_policy(
				"_RPT-3", status="Published", effective_from="2025-06-01", framework_practice="ITIL4-SM-04"
			).name
			make_policy(
				"_RPT-4", status="Published", effective_from="2025-07-01", framework_practice="ITIL4-SM-05"
			)
			make_policy("_RPT-DRAFT", effective_from="2020-01-01")

	def run_report(self, **filters):
		filters.setdefault("as_of", "2026-01-15")
		columns, data, _message, chart, summary = execute(filters)
		mine = [row for row in data if row.policy.startswith("_RPT")]
		return columns, mine, chart, {s["label"]: s["value"] for s in summary}

	def test_states_days_and_summary(self):
		columns, rows, chart, summary = self.run_report(policy_owner=OWNER)
		self.assertEqual(
			[(r.policy, r.review_state, r.days_to_due) for r in rows],
			[(self.overdue, "Overdue", -14), (self.ok, "On Track", 137), ("_RPT-4-v1.0", "On Track", 167)],
		)
		self.assertIn("review_state", [c["fieldname"] for c in columns])
		self.assertEqual(summary["Published"], 3)
		self.assertEqual(summary["Overdue"], 1)
		self.assertAlmostEqual(summary["Review Compliance"], 66.7)
		# chart by owner: one group, stacked Overdue / Due Soon / On Track
		self.assertEqual(chart["data"]["labels"], [frappe.db.get_value("User", OWNER, "full_name")])
		self.assertEqual([d["values"] for d in chart["data"]["datasets"]], [[1], [0], [2]])

	def test_drafts_are_left_out_and_due_soon_follows_the_as_of_date(self):
		_columns, rows, _chart, _summary = self.run_report()
		states = {r.policy: r.review_state for r in rows}
		self.assertNotIn("_RPT-DRAFT-v1.0", states)
		self.assertEqual(states[self.soon], "Due Soon")
		_columns, rows, _chart, _summary = self.run_report(as_of="2025-11-01")
		self.assertEqual({r.policy: r.review_state for r in rows}[self.overdue], "On Track")

	def test_by_framework(self):
		_columns, rows, chart, _summary = self.run_report(framework="ITIL 4", group_by="Practice")
		self.assertEqual([r.policy for r in rows], [self.ok, "_RPT-4-v1.0"])
		self.assertEqual(chart["data"]["labels"], ["Change enablement", "Incident management"])

	def test_review_state_filter_narrows_the_table_not_the_summary(self):
		_columns, rows, _chart, summary = self.run_report(review_state="Overdue", policy_owner=OWNER)
		self.assertEqual([r.policy for r in rows], [self.overdue])
		self.assertEqual(summary["Published"], 3)
