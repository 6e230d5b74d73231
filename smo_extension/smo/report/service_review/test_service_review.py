# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""Service Review of the March story (test_kpi_metrics): compliance against target and the watermelon check."""

import frappe

from smo_extension.sla.period import SMOPeriodError
from smo_extension.smo.report.service_review.service_review import execute
from smo_extension.tests.factories import OWNER
from smo_extension.tests.factories import make_improvement
from smo_extension.tests.factories import make_kpi
from smo_extension.tests.factories import make_liaison
from smo_extension.tests.factories import make_service
from smo_extension.tests.test_kpi_metrics import KPITestCase

MARCH = {"from_date": "2026-03-01", "to_date": "2026-03-31"}


class TestServiceReview(KPITestCase):
	SERVICE, USERS = "_KPIR", True

	@classmethod
	def make_records(cls):
		make_service(cls.SERVICE, service_owner=OWNER, next_review_date="2026-06-30")
		make_improvement("_KPIR open item", service=cls.SERVICE)
		make_liaison(cls.SERVICE, project="PROJ-KPIR", transition_stage="Build")

	def row(self, **filters):
		filters = {**MARCH, "service": self.SERVICE, **filters}
		_columns, data, _message, chart, summary = execute(filters)
		(row,) = data
		return row, chart, {s["label"]: s["value"] for s in summary}

	def test_the_story_of_march(self):
		# CSAT and reopen rate judged by the service's own KPIs (red at 50 % and at 30 %)
		kpis = [
			make_kpi("csat", 80, 70, 50, service=self.SERVICE),
			make_kpi("reopen_rate", 5, 10, 30, service=self.SERVICE),
		]
		try:
			row, chart, summary = self.row()
		finally:
			for kpi in kpis:
				frappe.delete_doc("SMO KPI Definition", kpi.name, force=True)
		self.assertEqual(
			(row["met"], row["breached"], row["compliance"], row["target"], row["gap"]), (4, 4, 50, 90, -40)
		)
		self.assertTrue(row["below_target"])
		self.assertFalse(row["watermelon"])
		self.assertEqual((row["csat"], row["reopen_rate"]), (50, 40))
		self.assertEqual(
			(row["csat_rag"], row["reopen_rag"]), ("Red", "Red")
		)  # defaults: CSAT red at 70, reopen at 10
		self.assertEqual(row["owner_name"], frappe.db.get_value("User", OWNER, "full_name"))
		self.assertEqual((row["agreements"], row["agreement_types"]), (f"{self.SERVICE} SLA (SLA)", "SLA"))
		counts = (row["kpi_green"], row["kpi_amber"], row["kpi_red"], row["kpi_no_data"])
		self.assertEqual(row["kpi_counts"], " / ".join(map(str, counts)))
		# now: C, F, R and E (resolved) -> C, F, R open, all three with a breached running clock
		self.assertEqual((row["open_tickets"], row["open_breaches"]), (3, 3))
		open_items = frappe.db.count(
			"SMO Improvement",
			{"service": self.SERVICE, "status": ("in", ["Proposed", "Approved", "In Progress"])},
		)
		self.assertGreaterEqual(
			open_items, 1
		)  # the one made above (a red KPI of another test may add its own)
		self.assertEqual((row["open_improvements"], row["liaisons_in_flight"]), (open_items, 1))
		self.assertEqual(str(row["next_review_date"]), "2026-06-30")
		self.assertEqual(summary["Below Target"], 1)
		self.assertEqual(chart["data"]["labels"], [self.SERVICE])

	def test_green_compliance_with_red_csat_is_a_watermelon(self):
		frappe.db.set_value("SMO Service Level Agreement", f"{self.SERVICE} SLA", "compliance_target", 50)
		row, _chart, summary = self.row()
		self.assertTrue(row["compliance_green"])
		self.assertTrue(row["watermelon"])
		self.assertEqual(row["watermelon_flag"], "Watermelon")
		self.assertEqual(summary["Watermelons"], 1)
		# the service's own CSAT KPI judges CSAT: red only at 40 % -> amber, and reopen judged by its KPI too
		kpis = [
			make_kpi("csat", 80, 60, 40, service=self.SERVICE),
			make_kpi("reopen_rate", 10, 40, 60, service=self.SERVICE),
		]
		try:
			row, _chart, _summary = self.row()
			self.assertEqual((row["csat_rag"], row["reopen_rag"]), ("Amber", "Amber"))
			self.assertFalse(row["watermelon"])
		finally:
			for kpi in kpis:
				frappe.delete_doc("SMO KPI Definition", kpi.name, force=True)
			frappe.db.set_value("SMO Service Level Agreement", f"{self.SERVICE} SLA", "compliance_target", 90)

	def test_the_target_is_that_of_the_slas_whose_clocks_count(self):
		from smo_extension.tests.factories import make_agreement
		from smo_extension.tests.factories import make_customer

		# a stricter customer SLA that judged none of March's clocks does not set the service's target
		make_customer("_KPIR Gold Customer")
		make_agreement(
			f"{self.SERVICE} Gold SLA",
			self.SERVICE,
			customer="_KPIR Gold Customer",
			calendar="_Test Weekdays",
			compliance_target=99,
		)
		row, _chart, _summary = self.row()
		self.assertEqual(row["target"], 90)
		self.assertIn(f"{self.SERVICE} Gold SLA (SLA)", row["agreements"])
		# a month none of its clocks count in: the strictest of its Active SLAs
		january, _chart, _summary = self.row(from_date="2026-01-01", to_date="2026-01-31")
		self.assertEqual((january["compliance"], january["target"]), (None, 99))
		frappe.delete_doc("SMO Service Level Agreement", f"{self.SERVICE} Gold SLA", force=True)

	def test_which_thresholds_judge_csat_and_reopen_rate(self):
		from smo_extension.kpi.review import WATERMELON_DEFAULTS
		from smo_extension.kpi.review import thresholds

		smo_wide = frappe._dict(
			metric="csat", direction="Higher is better", target=90, amber_threshold=85, red_threshold=80
		)
		own = frappe._dict(smo_wide, service=self.SERVICE, red_threshold=60)
		narrower = frappe._dict(own, customer="_Someone", red_threshold=10)
		self.assertEqual(thresholds("csat", self.SERVICE, [narrower, smo_wide, own])[3], 60)
		self.assertEqual(thresholds("csat", self.SERVICE, [narrower, smo_wide])[3], 80)
		self.assertEqual(thresholds("csat", self.SERVICE, [narrower]), WATERMELON_DEFAULTS["csat"])
		self.assertEqual(thresholds("reopen_rate", self.SERVICE, []), ("Lower is better", 5.0, 8.0, 10.0))

	def test_kpi_rag_counts_and_filters(self):
		from smo_extension.kpi.measure import measure_period
		from smo_extension.tests.test_kpi_metrics import MARCH as PERIOD

		kpis = [
			make_kpi(service=self.SERVICE, target=t, amber=a, red=r)
			for t, a, r in ((40, 30, 20), (90, 80, 60))
		]
		measure_period(PERIOD, [k.as_dict() for k in kpis])
		row, _chart, summary = self.row(to_date="2026-04-10")
		self.assertEqual((row["kpi_green"], row["kpi_red"]), (1, 1))
		self.assertEqual(summary["Red KPIs"], 1)
		_c, data, *_ = execute({**MARCH, "service_owner": OWNER})
		self.assertIn(self.SERVICE, [r["service"] for r in data])
		_c, data, *_ = execute({**MARCH, "service": self.SERVICE, "service_owner": "Administrator"})
		self.assertEqual(data, [])
		with self.assertRaises(SMOPeriodError):
			execute({"from_date": "2026-03-31", "to_date": "2026-03-01"})
