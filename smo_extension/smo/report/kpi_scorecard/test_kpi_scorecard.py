# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""KPI Scorecard computed from real measurements of the March story (test_kpi_metrics)."""

import frappe

from smo_extension.engine import kpi as engine
from smo_extension.kpi.measure import measure_period
from smo_extension.smo.report.kpi_scorecard.kpi_scorecard import execute
from smo_extension.smo.report.kpi_scorecard.kpi_scorecard import sparkline
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import make_kpi
from smo_extension.tests.test_kpi_metrics import MARCH
from smo_extension.tests.test_kpi_metrics import KPITestCase


class TestKPIScorecard(KPITestCase):
	SERVICE, USERS = "_KPIS", True

	@classmethod
	def make_records(cls):
		cls.compliance = make_kpi(service=cls.SERVICE, target=90, amber=80, red=40, kpi_owner=MANAGER)  # 50 %
		cls.mttr = make_kpi("mttr_business", 180, 240, 300, service=cls.SERVICE)  # 204 min: green
		cls.csat = make_kpi("csat", 80, 70, 50, service=cls.SERVICE)  # 50 %: red
		definitions = [d.as_dict() for d in (cls.compliance, cls.mttr, cls.csat)]
		measure_period(MARCH.previous(), definitions)
		measure_period(MARCH, definitions)

	def run_report(self, **filters):
		filters.setdefault("service", self.SERVICE)
		filters.setdefault("period_end", "2026-04-10")
		columns, data, _message, chart, summary = execute(filters)
		return columns, data, chart, {s["label"]: s["value"] for s in summary}

	def test_rows_grouped_by_service_with_latest_previous_and_change(self):
		columns, data, chart, summary = self.run_report()
		self.assertEqual(data[0]["indent"], 0)
		self.assertEqual(data[0]["row_id"], f"service:{self.SERVICE}")
		rows = {r["kpi"]: r for r in data[1:]}
		self.assertEqual({r["parent_row"] for r in rows.values()}, {data[0]["row_id"]})
		compliance = rows[self.compliance.name]
		self.assertEqual(
			(compliance["period_label"], compliance["value"], compliance["rag"]),
			("2026-03", 50, engine.AMBER),
		)
		# February: F breached (0 of 1): 0 %, red; change +50 points
		self.assertEqual((compliance["previous_value"], compliance["change"]), (0, 50))
		self.assertEqual(compliance["owner_name"], frappe.db.get_value("User", MANAGER, "full_name"))
		self.assertEqual(compliance["scope"], "SLA")
		self.assertEqual(rows[self.mttr.name]["rag"], engine.GREEN)
		self.assertAlmostEqual(rows[self.mttr.name]["value"], 204, places=2)
		self.assertEqual(rows[self.csat.name]["rag"], engine.RED)
		self.assertTrue(rows[self.csat.name]["improvement"])
		self.assertEqual(
			summary, {"KPIs": 3, "Green": 1, "Amber": 1, "Red": 1, "No Data": 0, "Below Target": 3}
		)
		self.assertEqual(chart["type"], "bar")
		self.assertEqual(chart["data"]["labels"][-2:], ["2026-02", "2026-03"])
		red = next(d for d in chart["data"]["datasets"] if d["name"] == "Red")
		self.assertEqual(red["values"][-2:], [1, 1])  # February's compliance, March's CSAT
		self.assertIn("value", [c["fieldname"] for c in columns])

	def test_filters_rag_owner_period_and_trend_length(self):
		_c, data, chart, summary = self.run_report(rag="Red")
		self.assertEqual([r.get("kpi") for r in data[1:]], [self.csat.name])
		self.assertEqual(chart["type"], "line")  # one KPI: its own values against the target
		_c, data, _chart, _s = self.run_report(kpi_owner=MANAGER)
		self.assertEqual([r.get("kpi") for r in data[1:]], [self.compliance.name])
		_c, data, _chart, _s = self.run_report(period_end="2026-03-31", periods="12")
		row = next(r for r in data if r.get("kpi") == self.compliance.name)
		self.assertEqual((row["period_label"], row["value"], row["rag"]), ("2026-03", 50, engine.AMBER))
		self.assertEqual(len(row["trend_values"]), 12)
		_c, data, _chart, _s = self.run_report(period_end="2026-03-30")
		row = next(r for r in data if r.get("kpi") == self.compliance.name)
		self.assertEqual(row["period_label"], "2026-02")  # March had not ended on the 30th
		_c, data, chart, summary = self.run_report(period_end="2025-01-31")
		self.assertEqual(summary["No Data"], 3)

	def test_sparkline(self):
		self.assertEqual(sparkline([None, 0, 50, 100]), "·▁▅█")
		self.assertEqual(sparkline([None, None]), "")
		self.assertEqual(sparkline([7, 7]), "▄▄")
