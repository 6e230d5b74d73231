"""KPIs through the real HTTP layer: what the answers carry for the SMO Manager, the analyst and the Service
Owner, and every bad input the KPI issue names (a clear translated error, nothing lost). The rights of every
persona on the KPI doctypes, methods and reports are walked by test_permission_matrix from the contract."""

import frappe

from smo_extension.tests import SMOTestCase
from smo_extension.tests.factories import ANALYST
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import OTHER_OWNER
from smo_extension.tests.factories import OWNER
from smo_extension.tests.factories import ensure_test_users
from smo_extension.tests.factories import make_kpi
from smo_extension.tests.factories import make_service
from smo_extension.tests.factories import set_settings
from smo_extension.tests.http import session

SERVICE = "_KPIHTTP"


class TestKPIOverHTTP(SMOTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_test_users()
		frappe.set_user("Administrator")
		set_settings(enabled=1)
		make_service(SERVICE, service_owner=OWNER)
		# an empty service: 0 tickets opened in any month, which this KPI calls Red
		cls.kpi = make_kpi(
			"volume",
			10,
			5,
			0,
			direction="Higher is better",
			service=SERVICE,
			kpi_owner=OWNER,
			kpi_name="_KPI HTTP volume",
		).name
		cls.smo_kpi = make_kpi("catalog_completeness", 100, 90, 0, kpi_name="_KPI HTTP catalog").name
		frappe.db.commit()  # nosemgrep: the requests run on their own connections

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		kpis = frappe.get_all(
			"SMO KPI Definition", filters={"kpi_name": ("like", "_KPI HTTP%")}, pluck="name"
		)
		measurements = frappe.get_all(
			"SMO KPI Measurement", filters={"kpi": ("in", kpis or [""])}, pluck="name"
		)
		for name in frappe.get_all(
			"SMO Improvement", filters={"raised_from": ("in", measurements or [""])}, pluck="name"
		):
			frappe.delete_doc("SMO Improvement", name, force=True, ignore_permissions=True)
		frappe.db.delete("Notification Log", {"document_name": ("in", measurements or [""])})
		frappe.db.delete("SMO KPI Measurement", {"kpi": ("in", kpis or [""])})
		for name in kpis:
			frappe.delete_doc("SMO KPI Definition", name, force=True, ignore_permissions=True)
		frappe.delete_doc("SMO Service", SERVICE, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def setUp(self):
		frappe.set_user("Administrator")

	# ---------------------------------------------------------------------------------- helpers
	def definition_values(self, **extra) -> dict:
		return {
			"kpi_name": f"_KPI HTTP {frappe.generate_hash(length=6)}",
			"metric": "resolution_compliance",
			"direction": "Higher is better",
			"target": 95,
			"amber_threshold": 90,
			"red_threshold": 85,
			"service": SERVICE,
			**extra,
		}

	# ---------------------------------------------------------------------------------- answers
	def test_the_analyst_measures_and_the_red_kpi_raises_its_improvement(self):
		answer = session(ANALYST).call(
			"smo_extension.api.kpi.measure", definition=self.kpi, period_start="2025-06-01"
		)
		self.assertEqual(answer.status, 200, answer)
		m = answer.data
		self.assertEqual(
			(m["name"], m["value"], m["rag"], m["no_data"], m["computed_by"], m["computed_by_user"]),
			(f"{self.kpi}-2025-06-01", 0, "Red", 0, "User", ANALYST),
		)
		self.assertTrue(m["improvement"])
		improvement = frappe.get_doc("SMO Improvement", m["improvement"])
		self.assertEqual((improvement.source, improvement.raised_from), ("KPI Miss", m["name"]))
		# the analyst cannot raise improvements themselves: the system did it
		refused = session(ANALYST).create(
			"SMO Improvement", {"title": "_KPI HTTP by hand", "source": "KPI Miss"}
		)
		self.assertEqual(refused.status, 403)
		again = session(MANAGER).call(
			"smo_extension.api.kpi.measure", definition=self.kpi, period_start="2025-06-01"
		)
		self.assertEqual(again.data["improvement"], m["improvement"])
		self.assertEqual(frappe.db.count("SMO Improvement", {"raised_from": m["name"]}), 1)

	def test_the_metric_registry(self):
		answer = session(OWNER).call("smo_extension.api.kpi.get_metrics")
		self.assertEqual(answer.status, 200, answer)
		self.assertEqual(answer.data["mttr_p90_business"]["unit"], "min")
		self.assertEqual(answer.data["mttr_p90_business"]["direction"], "Lower is better")
		self.assertEqual(answer.data["catalog_completeness"]["scopes"], [])
		self.assertEqual(answer.data["improvement_throughput"]["scopes"], ["service"])

	def test_no_data_answers_none(self):
		# SMO-wide catalog KPI: measured, then an empty volume KPI of another scope
		empty = make_kpi("csat", 80, 70, 60, service=SERVICE, kpi_name="_KPI HTTP csat").name
		frappe.db.commit()  # nosemgrep
		answer = session(MANAGER).call(
			"smo_extension.api.kpi.measure", definition=empty, period_start="2025-03-01"
		)
		self.assertEqual(answer.status, 200, answer)
		self.assertEqual(
			(answer.data["value"], answer.data["no_data"], answer.data["rag"]), (None, 1, "No Data")
		)

	def test_the_scorecard_as_the_service_owner(self):
		for month in ("2026-02-01", "2026-03-01"):
			session(MANAGER).call("smo_extension.api.kpi.measure", definition=self.kpi, period_start=month)
		answer = session(OWNER).call(
			"smo_extension.api.kpi.get_scorecard", period_end="2026-04-10", service=SERVICE
		)
		self.assertEqual(answer.status, 200, answer)
		(row,) = [r for r in answer.data if r["kpi"] == self.kpi]
		self.assertEqual(
			(
				row["period_label"],
				row["value"],
				row["rag"],
				row["previous_value"],
				row["change"],
				row["target"],
			),
			("2026-03", 0, "Red", 0, 0, 10),
		)
		self.assertEqual(
			[p["period_label"] for p in row["trend"]],
			[f"2025-{m}" for m in ("10", "11", "12")] + [f"2026-0{m}" for m in (1, 2, 3)],
		)
		self.assertEqual([p["rag"] for p in row["trend"]][-3:], ["No Data", "Red", "Red"])
		self.assertNotIn(self.smo_kpi, [r["kpi"] for r in answer.data])  # another service's (SMO-wide) KPI
		everything = session(OTHER_OWNER).call("smo_extension.api.kpi.get_scorecard")
		self.assertIn(self.smo_kpi, [r["kpi"] for r in everything.data])
		card = session(ANALYST).call("smo_extension.api.kpi.red_kpi_count")
		self.assertEqual(card.status, 200, card)
		self.assertGreaterEqual(card.data["value"], 0)
		self.assertEqual(card.data["route"], ["query-report", "KPI Scorecard"])

	# ---------------------------------------------------------------------------------- bad inputs
	def test_bad_definitions_are_refused_with_their_error(self):
		client = session(MANAGER)
		before = frappe.db.count("SMO KPI Definition")
		cases = [
			({"amber_threshold": 97}, "SMOKPIThresholdError", "must not be above the target"),
			({"red_threshold": 92}, "SMOKPIThresholdError", "must not be above the amber threshold"),
			(
				{"direction": "Lower is better", "target": 80, "amber_threshold": 90, "red_threshold": 85},
				"SMOKPIThresholdError",
				"must not be below the amber threshold",
			),
			({"target": 120}, "SMOKPIThresholdError", "between 0 and 100"),
			({"agreement_type": "OLA"}, "SMOKPIScopeError", "needs the Team"),
			({"metric": "catalog_completeness"}, "SMOKPIScopeError", "cannot be narrowed by Service"),
			({"metric": "mean_time_to_happiness"}, "SMOInvalidValueError", "must be one of"),
		]
		for values, exc_type, message in cases:
			answer = client.create("SMO KPI Definition", self.definition_values(**values))
			self.assertEqual(answer.status, 417, (values, answer))
			self.assertEqual(answer.exc_type, exc_type, values)
			self.assertIn(message, answer.message, values)
		self.assertEqual(frappe.db.count("SMO KPI Definition"), before)
		# an edit that would break the thresholds leaves the stored KPI as it was
		answer = client.update("SMO KPI Definition", self.kpi, {"amber_threshold": 20, "target": 15})
		self.assertEqual((answer.status, answer.exc_type), (417, "SMOKPIThresholdError"))
		self.assertEqual(
			frappe.db.get_value("SMO KPI Definition", self.kpi, ["target", "amber_threshold"]), (10, 5)
		)

	def test_bad_measure_calls_are_refused_with_their_error(self):
		client = session(ANALYST)
		method = "smo_extension.api.kpi.measure"
		cases = [
			({"definition": self.kpi, "period_start": "March"}, 417, "SMOArgumentError", "must be a date"),
			(
				{"definition": self.kpi, "period_start": ["2026-03-01"]},
				417,
				"SMOArgumentError",
				"period_start",
			),
			(
				{"definition": self.kpi, "period_start": "2026-03-15"},
				417,
				"SMOKPIPeriodError",
				"use 2026-03-01",
			),
			(
				{"definition": self.kpi, "period_start": "2099-01-01"},
				417,
				"SMOKPIPeriodError",
				"has not ended",
			),
			({"definition": "KPI-NOPE", "period_start": "2026-03-01"}, 404, "DoesNotExistError", "KPI-NOPE"),
		]
		for args, status, exc_type, message in cases:
			answer = client.call(method, **args)
			self.assertEqual((answer.status, answer.exc_type), (status, exc_type), (args, answer))
			self.assertIn(message, answer.message.replace("<strong>", "").replace("</strong>", ""), args)
		self.assertFalse(
			frappe.db.exists("SMO KPI Measurement", {"kpi": self.kpi, "period_start": "2099-01-01"})
		)
		answer = client.call("smo_extension.api.kpi.get_scorecard", service="_NO_SUCH_SERVICE")
		self.assertEqual((answer.status, answer.exc_type), (404, "DoesNotExistError"))
		answer = client.call("smo_extension.api.kpi.get_scorecard", period_end="yesterday")
		self.assertEqual((answer.status, answer.exc_type), (417, "SMOArgumentError"))

	def test_bad_measurements_and_report_filters_are_refused(self):
		client = session(ANALYST)
		first = client.create(
			"SMO KPI Measurement", {"kpi": self.smo_kpi, "period_start": "2024-05-01", "value": 80}
		)
		self.assertEqual(first.status, 200, first)
		duplicate = client.create(
			"SMO KPI Measurement", {"kpi": self.smo_kpi, "period_start": "2024-05-01", "value": 10}
		)
		self.assertEqual((duplicate.status, duplicate.exc_type), (417, "SMOKPIPeriodError"))
		self.assertEqual(frappe.db.get_value("SMO KPI Measurement", first.data["name"], "value"), 80)
		too_much = client.create(
			"SMO KPI Measurement", {"kpi": self.smo_kpi, "period_start": "2024-06-01", "value": 150}
		)
		self.assertEqual((too_much.status, too_much.exc_type), (417, "SMOKPIValueError"))
		for report, bad in (
			("KPI Scorecard", {"rag": "Purple"}),
			("KPI Scorecard", {"periods": "7"}),
			("Service Review", {"from_date": "soon"}),
		):
			answer = client.run_report(report, bad)
			self.assertEqual(
				(answer.status, answer.exc_type), (417, "SMOReportFilterError"), (report, bad, answer)
			)
		answer = client.run_report("Service Review", {"from_date": "2026-03-31", "to_date": "2026-03-01"})
		self.assertEqual((answer.status, answer.exc_type), (417, "SMOPeriodError"))
