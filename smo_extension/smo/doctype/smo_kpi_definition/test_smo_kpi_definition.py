# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""A KPI definition refuses what would make it meaningless, each with its own error (the HTTP tests repeat
the bad inputs through /api/resource)."""

import frappe

from smo_extension.smo.doctype.smo_kpi_definition.smo_kpi_definition import SMOKPIError
from smo_extension.smo.doctype.smo_kpi_definition.smo_kpi_definition import SMOKPIScopeError
from smo_extension.smo.doctype.smo_kpi_definition.smo_kpi_definition import SMOKPIThresholdError
from smo_extension.tests import SMOTestCase
from smo_extension.tests.factories import make_kpi
from smo_extension.tests.factories import make_service


class TestSMOKPIDefinition(SMOTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		make_service(
			"_KPID", business_objectives=[{"objective": "Month-end close on time", "measure": "3 days"}]
		)

	def test_unit_comes_from_the_metric_and_clock_metrics_count_slas(self):
		kpi = make_kpi("mttr_business", target=360, amber=420, red=480, service="_KPID")
		self.assertEqual((kpi.unit, kpi.agreement_type, kpi.direction), ("min", "SLA", "Lower is better"))
		self.assertEqual(make_kpi("csat", 80, 70, 60).unit, "%")
		self.assertFalse(make_kpi("csat", 80, 70, 60).agreement_type)
		self.assertEqual(make_kpi("backlog", 5, 10, 20).unit, "tickets")

	def test_thresholds_on_the_wrong_side(self):
		cases = [
			(
				"resolution_compliance",
				"Higher is better",
				95,
				97,
				85,
				"amber threshold (97) must not be above",
			),
			(
				"resolution_compliance",
				"Higher is better",
				95,
				90,
				92,
				"red threshold (92) must not be above",
			),
			("mttr_business", "Lower is better", 360, 300, 480, "amber threshold (300) must not be below"),
			("mttr_business", "Lower is better", 360, 420, 400, "red threshold (400) must not be below"),
		]
		for metric, direction, target, amber, red, message in cases:
			with self.assertRaises(SMOKPIThresholdError, msg=message) as raised:
				make_kpi(metric, target, amber, red, direction=direction)
			self.assertIn(message, str(raised.exception))

	def test_a_percentage_outside_0_to_100(self):
		with self.assertRaises(SMOKPIThresholdError) as raised:
			make_kpi("csat", 120, 90, 80)
		self.assertIn("must be between 0 and 100, not 120", str(raised.exception))
		with self.assertRaises(SMOKPIThresholdError):
			make_kpi("reopen_rate", 5, 8, 101)
		with self.assertRaises(SMOKPIThresholdError):
			make_kpi("backlog", -1, 5, 10)
		make_kpi("backlog", 150, 200, 300)  # counts are not percentages

	def test_a_scope_the_metric_needs_or_cannot_have(self):
		with self.assertRaises(SMOKPIScopeError) as raised:
			make_kpi("resolution_compliance", agreement_type="OLA")
		self.assertIn("needs the Team", str(raised.exception))
		with self.assertRaises(SMOKPIScopeError) as raised:
			make_kpi("catalog_completeness", 100, 90, 80, service="_KPID")
		self.assertIn("cannot be narrowed by Service", str(raised.exception))
		with self.assertRaises(SMOKPIScopeError):
			make_kpi("csat", 80, 70, 60, agreement_type="SLA")
		with self.assertRaises(SMOKPIScopeError):
			make_kpi("improvement_throughput", 3, 2, 1, priority="High")

	def test_the_objective_must_be_one_of_the_services(self):
		kpi = make_kpi(service="_KPID", business_objective="Month-end close on time")
		self.assertEqual(kpi.business_objective, "Month-end close on time")
		with self.assertRaises(SMOKPIError) as raised:
			make_kpi(service="_KPID", business_objective="World peace")
		self.assertIn("is not a business objective of service", str(raised.exception))
		# an SMO-wide KPI names the critical success factor it serves freely
		self.assertEqual(
			make_kpi(business_objective="Customers trust the SLAs").business_objective,
			"Customers trust the SLAs",
		)

	def test_a_measured_kpi_keeps_its_metric_and_frequency(self):
		from smo_extension.engine.kpi import Period
		from smo_extension.engine.kpi import Result
		from smo_extension.kpi.measure import record

		kpi = make_kpi("resolution_compliance", service="_KPID")
		record(
			kpi.name,
			Period(frappe.utils.getdate("2026-03-01"), frappe.utils.getdate("2026-03-31")),
			Result(None),
		)
		kpi.reload()
		kpi.metric = "response_compliance"
		with self.assertRaises(SMOKPIError):
			kpi.save(ignore_permissions=True)
		kpi.reload()
		kpi.target, kpi.amber_threshold = 99, 95  # targets may move
		kpi.save(ignore_permissions=True)
		self.assertEqual(frappe.db.get_value("SMO KPI Definition", kpi.name, "target"), 99)
