# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

import frappe

from smo_extension.smo.report.sla_breaches import sla_breaches
from smo_extension.smo.report.sla_compliance import sla_compliance
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_service
from smo_extension.tests.test_ticket_sla import SLATestCase
from smo_extension.tests.test_ticket_sla import at


class TestSLAReports(SLATestCase):
	def setUp(self):
		super().setUp()
		# a service of its own per test: the class shares one transaction
		self.service = f"_R{frappe.generate_hash(length=5).upper()}"
		make_service(self.service)
		make_agreement(f"{self.service} SLA", self.service, calendar="_Test Weekdays", compliance_target=90)

	def make_outcomes(self):
		"""Three Medium tickets opened Monday 2 March 09:00 (resolution 480 business minutes = 17:00):
		two resolved in time, one resolved on Tuesday at 10:00 (breached at Monday 17:00); one more opened on
		Tuesday and still running."""
		made = []
		for hhmm in ("11:00", "16:00"):
			t = self.new_ticket(smo_service=self.service)
			self.change(t.name, at(2, hhmm), status="Resolved")
			made.append(t.name)
		late = self.new_ticket(smo_service=self.service)
		self.change(late.name, at(3, "10:00"), status="Resolved")
		running = self.new_ticket(at(3, "09:00"), smo_service=self.service)
		return made, late.name, running.name

	def test_compliance_counts_and_gap(self):
		_met, _late, _running = self.make_outcomes()
		columns, data, _msg, chart, summary = sla_compliance.execute(
			{
				"from_date": "2026-03-01",
				"to_date": "2026-03-31",
				"service": self.service,
				"agreement_type": "SLA",
			}
		)
		(row,) = data
		self.assertEqual((row["met"], row["breached"], row["running"]), (2, 1, 1))
		self.assertAlmostEqual(row["compliance"], 200 / 3)
		self.assertEqual(row["target"], 90)
		self.assertAlmostEqual(row["gap"], round(200 / 3 - 90, 2))
		self.assertEqual(chart["data"]["labels"], [self.service])
		self.assertEqual({s["label"]: s["value"] for s in summary}["Breached"], 1)
		self.assertIn("compliance", [c["fieldname"] for c in columns])

	def test_period_boundary_and_empty_period(self):
		self.make_outcomes()
		# Only Monday: the two met clocks stopped and the breach happened that day; nothing stopped Tuesday in it
		_c, data, *_ = sla_compliance.execute(
			{"from_date": "2026-03-02", "to_date": "2026-03-02", "service": self.service}
		)
		(row,) = data
		self.assertEqual((row["met"], row["breached"]), (2, 1))
		_c, data, _m, chart, summary = sla_compliance.execute(
			{"from_date": "2025-01-01", "to_date": "2025-01-31", "service": self.service}
		)
		self.assertEqual(data, [])
		self.assertIsNone(chart)
		self.assertEqual({s["label"]: s["value"] for s in summary}["Compliance"], "n/a")

	def test_bad_period_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			sla_compliance.execute({"from_date": "2026-03-31", "to_date": "2026-03-01"})

	def test_breaches_report_lists_the_late_clock(self):
		_met, late, _running = self.make_outcomes()
		_c, data, _m, chart, _s = sla_breaches.execute(
			{
				"from_date": "2026-03-01",
				"to_date": "2026-03-31",
				"service": self.service,
				"metric": "Resolution",
			}
		)
		self.assertEqual([r.ticket for r in data], [str(late)])
		row = data[0]
		# 60 minutes over the 480 target by Tuesday 10:00 (Monday 09:00-17:00 = 480, Tuesday 09:00-10:00 = 60)
		self.assertAlmostEqual(row.late_minutes, 60.0, places=1)
		self.assertEqual(row.still_open, 0)
		self.assertEqual(chart["data"]["datasets"][0]["values"], [1])
