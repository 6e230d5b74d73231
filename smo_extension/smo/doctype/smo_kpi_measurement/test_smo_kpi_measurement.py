# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""Measurements: the hourly close (each finished period once), the backfill, recomputation into the version
history, the improvement a Red KPI raises once per period, and what a person may record by hand."""

from datetime import datetime
from datetime import timezone

import frappe

from smo_extension.engine import kpi as engine
from smo_extension.kpi import jobs
from smo_extension.kpi.measure import measure_period
from smo_extension.smo.doctype.smo_kpi_measurement.smo_kpi_measurement import SMOKPIPeriodError
from smo_extension.smo.doctype.smo_kpi_measurement.smo_kpi_measurement import SMOKPIValueError
from smo_extension.smo.doctype.smo_kpi_measurement.smo_kpi_measurement import measurement_name
from smo_extension.tests.factories import ANALYST
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import frozen
from smo_extension.tests.factories import make_kpi
from smo_extension.tests.test_kpi_metrics import MARCH
from smo_extension.tests.test_kpi_metrics import KPITestCase
from smo_extension.tests.test_kpi_metrics import at
from smo_extension.tests.test_kpi_metrics import change
from smo_extension.tests.test_kpi_metrics import new_ticket

UTC = timezone.utc


def improvements_of(measurement: str) -> list[dict]:
	return frappe.get_all(
		"SMO Improvement",
		filters={"raised_from_doctype": "SMO KPI Measurement", "raised_from": measurement},
		fields=["name", "source", "service", "improvement_owner", "status", "title"],
	)


class TestMeasurements(KPITestCase):
	SERVICE = "_KPIJ"
	USERS = True

	def make_kpi_in_march(self, **fields):
		with frozen(at("03-15", "12:00"), tick=True):
			return make_kpi(service=self.SERVICE, **fields)

	def test_the_close_measures_each_finished_period_once(self):
		kpi = self.make_kpi_in_march(target=90, amber=80, red=40)  # March compliance 50 %: amber
		name = measurement_name(kpi.name, MARCH.start)
		# 1 April 00:30 in Rome (22:30 UTC): March ended half an hour ago, inside the grace hour
		self.assertEqual(jobs.close_periods(datetime(2026, 3, 31, 22, 30, tzinfo=UTC)), 0)
		self.assertFalse(frappe.db.exists("SMO KPI Measurement", name))
		written = jobs.close_periods(datetime(2026, 4, 1, 5, 0, tzinfo=UTC))
		self.assertGreaterEqual(written, 1)
		m = frappe.get_doc("SMO KPI Measurement", name)
		self.assertEqual((m.value, m.numerator, m.denominator, m.rag), (50, 4, 8, engine.AMBER))
		self.assertEqual(
			(m.period_end.isoformat(), m.period_label, m.timezone), ("2026-03-31", "2026-03", "Europe/Rome")
		)
		self.assertEqual((m.computed_by, m.computed_by_user), ("Job", None))
		self.assertEqual((m.service, m.agreement_type, m.target), (self.SERVICE, "SLA", 90))
		# running it again changes nothing; April is not over
		self.assertEqual(jobs.close_periods(datetime(2026, 4, 1, 6, 0, tzinfo=UTC)), 0)
		self.assertEqual(frappe.db.get_value("SMO KPI Measurement", name, "modified"), m.modified)
		self.assertEqual(frappe.db.count("SMO KPI Measurement", {"kpi": kpi.name}), 1)
		# weeks later it catches up with April only
		jobs.close_periods(datetime(2026, 5, 20, 6, 0, tzinfo=UTC))
		self.assertEqual(
			frappe.get_all(
				"SMO KPI Measurement",
				filters={"kpi": kpi.name},
				pluck="period_label",
				order_by="period_start",
			),
			["2026-03", "2026-04"],
		)

	def test_inactive_kpis_are_not_closed_and_backfill_fills_the_past(self):
		kpi = self.make_kpi_in_march(active=0)
		jobs.close_periods(datetime(2026, 4, 1, 5, 0, tzinfo=UTC))
		self.assertFalse(frappe.db.exists("SMO KPI Measurement", {"kpi": kpi.name}))
		result = jobs.backfill(definition=kpi.name, from_date="2026-01-01", to_date="2026-03-31")
		self.assertEqual(result, {"measured": 3, "definitions": 1})
		rows = frappe.get_all(
			"SMO KPI Measurement",
			filters={"kpi": kpi.name},
			fields=["period_label", "rag", "no_data"],
			order_by="period_start",
		)
		self.assertEqual(
			[(r.period_label, r.rag, r.no_data) for r in rows],
			[("2026-01", "No Data", 1), ("2026-02", "Red", 0), ("2026-03", "Red", 0)],  # Feb: F breached, 0 %
		)
		self.assertEqual(
			jobs.backfill(definition=kpi.name, from_date="2026-01-01", to_date="2026-03-31")["measured"], 0
		)
		self.assertEqual(
			jobs.backfill(definition=kpi.name, from_date="2026-01-01", to_date="2026-03-31", recompute=True)[
				"measured"
			],
			3,
		)

	def test_recomputing_keeps_the_old_value_in_the_version_history(self):
		from smo_extension.tests.factories import make_agreement
		from smo_extension.tests.factories import make_service

		make_service("_KPIJV")
		make_agreement("_KPIJV SLA", "_KPIJV", calendar="_Test Weekdays")
		met = new_ticket("_KPIJV", at("03-16", "09:00"))
		change(met, at("03-16", "10:00"), status="Resolved", first_responded_on=at("03-16", "09:30"))
		kpi = make_kpi(service="_KPIJV", target=90, amber=80, red=40)
		(name,) = measure_period(MARCH, [kpi.as_dict()])
		self.assertEqual(frappe.db.get_value("SMO KPI Measurement", name, "value"), 100)
		# a late ticket of March is judged later: the period is measured again, 1 met of 2
		late = new_ticket("_KPIJV", at("03-17", "09:00"))
		change(late, at("03-18", "12:00"), status="Resolved", first_responded_on=at("03-18", "12:00"))
		measure_period(MARCH, [kpi.as_dict()])
		self.assertEqual(frappe.db.get_value("SMO KPI Measurement", name, "value"), 50)
		versions = frappe.get_all(
			"Version", filters={"ref_doctype": "SMO KPI Measurement", "docname": name}, pluck="data"
		)
		changed = {row[0]: row[1:] for data in versions for row in frappe.parse_json(data).get("changed", [])}
		self.assertEqual([float(v) for v in changed["value"]], [100.0, 50.0])
		self.assertEqual(changed["rag"], ["Green", "Amber"])

	def test_a_red_kpi_raises_one_improvement_per_period_and_tells_its_owner(self):
		kpi = self.make_kpi_in_march(target=95, amber=90, red=60, kpi_owner=MANAGER)  # 50 %: red
		(name,) = measure_period(MARCH, [kpi.as_dict()])
		(improvement,) = improvements_of(name)
		self.assertEqual(
			(improvement.source, improvement.service, improvement.improvement_owner, improvement.status),
			("KPI Miss", self.SERVICE, MANAGER, "Proposed"),
		)
		self.assertEqual(frappe.db.get_value("SMO KPI Measurement", name, "improvement"), improvement.name)
		notes = frappe.get_all(
			"Notification Log",
			filters={"document_type": "SMO KPI Measurement", "document_name": name, "for_user": MANAGER},
			pluck="subject",
		)
		self.assertEqual(len(notes), 1)
		self.assertIn("is Red for 2026-03", notes[0])
		# measured again, still red: nothing new; green for a while, then red again: still the one improvement
		measure_period(MARCH, [kpi.as_dict()])
		kpi.reload()
		kpi.red_threshold = 40
		kpi.save(ignore_permissions=True)
		measure_period(MARCH, [frappe.get_doc("SMO KPI Definition", kpi.name).as_dict()])
		self.assertEqual(frappe.db.get_value("SMO KPI Measurement", name, "rag"), engine.AMBER)
		kpi.red_threshold = 60
		kpi.save(ignore_permissions=True)
		measure_period(MARCH, [frappe.get_doc("SMO KPI Definition", kpi.name).as_dict()])
		self.assertEqual(len(improvements_of(name)), 1)
		self.assertEqual(
			frappe.db.count(
				"Notification Log", {"document_type": "SMO KPI Measurement", "document_name": name}
			),
			1,
		)
		# another period that is red raises its own
		(april,) = measure_period(MARCH.next(), [kpi.as_dict()])
		self.assertEqual(frappe.db.get_value("SMO KPI Measurement", april, "rag"), engine.NO_DATA)
		self.assertEqual(improvements_of(april), [])

	def test_an_analyst_records_a_measurement_by_hand(self):
		kpi = make_kpi("csat", 80, 70, 60, service=self.SERVICE)
		with self.set_user(ANALYST):
			doc = frappe.get_doc(
				{"doctype": "SMO KPI Measurement", "kpi": kpi.name, "period_start": "2026-02-01", "value": 75}
			).insert()
		self.assertEqual(doc.name, f"{kpi.name}-2026-02-01")
		self.assertEqual((doc.rag, doc.computed_by, doc.computed_by_user), (engine.GREEN, "User", ANALYST))
		self.assertEqual(
			(doc.period_end.isoformat(), doc.service, doc.target), ("2026-02-28", self.SERVICE, 80)
		)
		with self.set_user(ANALYST):
			doc.no_data = 1
			doc.save()
		self.assertEqual((doc.rag, doc.value), (engine.NO_DATA, 0))

	def test_bad_measurements_are_refused(self):
		kpi = make_kpi("csat", 80, 70, 60, service=self.SERVICE)

		def record(**values):
			return frappe.get_doc({"doctype": "SMO KPI Measurement", "kpi": kpi.name, **values}).insert()

		with self.assertRaises(SMOKPIPeriodError) as raised:
			record(period_start="2026-02-10", value=50)
		self.assertIn("2026-02-01", str(raised.exception))
		with self.assertRaises(SMOKPIPeriodError):
			record(period_start=frappe.utils.today()[:8] + "01", value=50)  # this month has not ended
		with self.assertRaises(SMOKPIValueError):
			record(period_start="2026-02-01", value=150)
		with self.assertRaises(SMOKPIValueError):
			record(period_start="2026-02-01", value=50, sample_size=-3)
		record(period_start="2026-02-01", value=50)
		with self.assertRaises(SMOKPIPeriodError) as raised:
			record(period_start="2026-02-01", value=60)
		self.assertIn("already measured", str(raised.exception))
		self.assertEqual(frappe.db.get_value("SMO KPI Measurement", f"{kpi.name}-2026-02-01", "value"), 50)

	def test_the_manager_of_the_service_is_told_when_the_kpi_has_no_owner(self):
		from smo_extension.tests.factories import make_service

		make_service(self.SERVICE, service_owner=MANAGER)
		try:
			kpi = self.make_kpi_in_march(target=95, amber=90, red=60)
			(name,) = measure_period(MARCH, [kpi.as_dict()])
			(improvement,) = improvements_of(name)
			self.assertEqual(improvement.improvement_owner, MANAGER)
		finally:
			make_service(self.SERVICE, service_owner=None)
