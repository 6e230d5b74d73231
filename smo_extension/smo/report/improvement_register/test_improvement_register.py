# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

from frappe.utils import add_days
from frappe.utils import today

from smo_extension.smo.doctype.smo_policy.test_smo_policy import GovernanceTestCase
from smo_extension.smo.report.improvement_register.improvement_register import execute
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import OWNER
from smo_extension.tests.factories import make_improvement
from smo_extension.tests.factories import make_service

SVC, OTHER_SVC = "_IRSVC", "_IRSVC2"
THROUGHPUT = "Done in the Last 90 Days"


def days(n: int) -> str:
	return add_days(today(), n)


class TestImprovementRegister(GovernanceTestCase):
	def setUp(self):
		super().setUp()
		make_service(SVC)
		make_service(OTHER_SVC)
		self.proposed_late = make_improvement(
			"_IR proposed, 10 days late", service=SVC, source="Suggestion", target_date=days(-10)
		).name
		self.approved = make_improvement(
			"_IR approved, on time",
			service=SVC,
			status="Approved",
			improvement_owner=OWNER,
			target_date=days(5),
			expected_benefit="Fewer P2 breaches",
		).name
		self.in_progress_late = make_improvement(
			"_IR in progress, 3 days late",
			service=SVC,
			source="SLA Breach Trend",
			status="In Progress",
			improvement_owner=MANAGER,
			target_date=days(-3),
		).name
		self.done_recently = make_improvement(
			"_IR done 30 days ago",
			service=SVC,
			status="Done",
			improvement_owner=OWNER,
			target_date=days(-20),
			completed_on=days(-30),
			measured_benefit="Compliance up 4 points",
		).name
		self.done_long_ago = make_improvement(
			"_IR done 120 days ago",
			service=SVC,
			status="Done",
			improvement_owner=MANAGER,
			target_date=days(-130),
			completed_on=days(-120),
			measured_benefit="Backlog halved",
		).name
		self.rejected = make_improvement(
			"_IR rejected", service=SVC, status="Rejected", rejection_reason="Out of scope"
		).name
		self.other_late = make_improvement(
			"_IR other service, 1 day late",
			service=OTHER_SVC,
			status="In Progress",
			improvement_owner=OWNER,
			target_date=days(-1),
		).name

	def run_report(self, **filters):
		filters.setdefault("service", SVC)
		columns, data, _message, chart, summary = execute(filters)
		return columns, data, chart, {s["label"]: s["value"] for s in summary}

	def test_rows_days_overdue_and_summary(self):
		columns, rows, _chart, summary = self.run_report()
		self.assertEqual(
			[c["fieldname"] for c in columns],
			"improvement title service source priority owner_name status target_date days_overdue expected_benefit measured_benefit".split(),
		)
		# by target date, the one without a target last; days overdue only for open items past their date
		self.assertEqual(
			[(r.improvement, r.days_overdue) for r in rows],
			[
				(self.done_long_ago, None),
				(self.done_recently, None),
				(self.proposed_late, 10),
				(self.in_progress_late, 3),
				(self.approved, None),
				(self.rejected, None),
			],
		)
		self.assertEqual(rows[4].expected_benefit, "Fewer P2 breaches")
		self.assertEqual(rows[1].measured_benefit, "Compliance up 4 points")
		self.assertEqual(summary, {"Open": 3, "Overdue": 2, "Done": 2, "Rejected": 1, THROUGHPUT: 1})

	def test_only_overdue_narrows_the_table_not_the_summary(self):
		_columns, rows, chart, summary = self.run_report(only_overdue=1)
		self.assertEqual([r.improvement for r in rows], [self.proposed_late, self.in_progress_late])
		self.assertEqual((summary["Open"], summary["Overdue"], summary["Done"]), (3, 2, 2))
		self.assertEqual(chart["data"]["labels"], ["Proposed", "In Progress"])
		self.assertEqual([d["values"] for d in chart["data"]["datasets"]], [[0, 0], [1, 1]])

	def test_status_source_and_owner_filters(self):
		_columns, rows, chart, summary = self.run_report(status="Done")
		self.assertEqual([r.improvement for r in rows], [self.done_long_ago, self.done_recently])
		self.assertIsNone(chart)  # no open items
		self.assertEqual(summary, {"Open": 0, "Overdue": 0, "Done": 2, "Rejected": 0, THROUGHPUT: 1})
		_columns, rows, _chart, _summary = self.run_report(source="SLA Breach Trend")
		self.assertEqual([r.improvement for r in rows], [self.in_progress_late])
		_columns, rows, _chart, summary = self.run_report(improvement_owner=OWNER)
		self.assertEqual([r.improvement for r in rows], [self.done_recently, self.approved])
		self.assertEqual((summary["Open"], summary["Overdue"], summary[THROUGHPUT]), (1, 0, 1))

	def test_chart_of_open_items_by_status_and_by_service(self):
		_columns, _rows, chart, _summary = self.run_report(group_by="Status")
		self.assertEqual(chart["data"]["labels"], ["Proposed", "Approved", "In Progress"])
		on_time, late = (d["values"] for d in chart["data"]["datasets"])
		self.assertEqual((on_time, late), ([0, 1, 0], [1, 0, 1]))
		_columns, rows, chart, summary = self.run_report(
			service=None, improvement_owner=OWNER, group_by="Service"
		)
		mine = {r.improvement for r in rows} & {self.approved, self.other_late, self.done_recently}
		self.assertEqual(mine, {self.approved, self.other_late, self.done_recently})
		labels = chart["data"]["labels"]
		on_time, late = (d["values"] for d in chart["data"]["datasets"])
		self.assertEqual((on_time[labels.index(SVC)], late[labels.index(SVC)]), (1, 0))
		self.assertEqual((on_time[labels.index(OTHER_SVC)], late[labels.index(OTHER_SVC)]), (0, 1))
		_columns, rows, _chart, summary = self.run_report(service=OTHER_SVC, only_overdue=1)
		self.assertEqual([(r.improvement, r.days_overdue) for r in rows], [(self.other_late, 1)])
		self.assertEqual((summary["Open"], summary["Overdue"]), (1, 1))
