"""Every KPI metric against values worked out by hand from real tickets: tickets saved at frozen times make
their SMO Ticket Event log and SMO Ticket SLA rows through the real hooks, then each metric is measured for
March 2026 and compared with the figures below.

The test calendar works Monday to Friday 09:00-17:00 in the site's time zone (Europe/Rome), which is also
the SMO's time zone (the default calendar of SMO Settings) unless a test says otherwise. Medium tickets:
response 60, resolution 480 business minutes. 2026-03-02 is a Monday.
"""

from datetime import date

import frappe
from frappe.utils import get_datetime
from frappe.utils import get_system_timezone

from smo_extension.engine import kpi as engine
from smo_extension.kpi import measure
from smo_extension.kpi import sources
from smo_extension.sla.jobs import recompute_tickets
from smo_extension.tests import SMOTestCase
from smo_extension.tests.factories import ensure_test_users
from smo_extension.tests.factories import frozen
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_calendar
from smo_extension.tests.factories import make_improvement
from smo_extension.tests.factories import make_policy
from smo_extension.tests.factories import make_service
from smo_extension.tests.factories import make_ticket
from smo_extension.tests.factories import set_settings

MARCH = engine.period_containing("Monthly", date(2026, 3, 1))
APRIL = MARCH.next()


def at(day: str, hhmm: str) -> str:
	return f"2026-{day} {hhmm}:00"


def new_ticket(service: str, when: str, **fields) -> str:
	fields.setdefault("priority", "Medium")
	with frozen(when):
		return str(make_ticket(smo_service=service, **fields).name)


def change(ticket: str, when: str, **values) -> None:
	with frozen(when):
		doc = frappe.get_doc("HD Ticket", ticket)
		doc.update(values)
		doc.save(ignore_permissions=True)


def rate(ticket: str, rating: float) -> None:
	"""Helpdesk's rating (0-1; four stars = 0.8), as the feedback form leaves it on the ticket."""
	frappe.db.set_value("HD Ticket", ticket, "feedback_rating", rating, update_modified=False)


def measured(metric: str, period: engine.Period = MARCH, **scope) -> engine.Result:
	definition = {"name": "x", "metric": metric, **scope}
	return measure.compute([definition], measure.period_window(period))["x"]


def build_tickets(service: str) -> dict[str, str]:
	"""The March story of one service (each ticket Medium, on the weekday calendar):

	F  opened Mon 2 Feb 09:00, never answered, still open (breached in February)
	R  opened Mon 23 Feb 09:00, resolved 10:00 (60 min, met; response met); reopened Mon 2 Mar 09:00, still
	   open: breached Mon 2 Mar 16:00
	A  opened Mon 2 Mar 09:00, answered (Replied) 09:30, back Open 10:00, resolved 11:00 -> 90 min, met;
	   response 30 min, met; rated 5 stars
	B  opened Mon 2 Mar 09:00, answered and resolved Tue 3 Mar 10:00 -> 540 min, breached Mon 17:00;
	   response breached Mon 10:00; rated 2 stars
	C  opened Wed 4 Mar 09:00, never answered, still open: breached Wed 17:00 (response Wed 10:00)
	D  opened Thu 5 Mar 09:00, answered and resolved 10:00, reopened Fri 6 Mar 09:00, resolved 11:00 ->
	   60 + 120 = 180 min, met; response 60 min (= target), met; rated 4 stars
	G  opened Tue 10 Mar 09:00, answered and resolved 12:00 -> 180 min, met; response breached 10:00;
	   rated 3 stars
	H  opened Wed 11 Mar 09:00, answered and resolved 09:30 -> 30 min, met; response 30 min; not rated
	E  opened Mon 30 Mar 16:00, answered and resolved Wed 1 Apr 10:00 -> 600 min, breached Tue 31 Mar
	   16:00 (response breached Mon 30 Mar 17:00); open at the end of March
	"""
	t = {}
	t["F"] = new_ticket(service, at("02-02", "09:00"))
	t["R"] = new_ticket(service, at("02-23", "09:00"))
	change(t["R"], at("02-23", "10:00"), status="Resolved", first_responded_on=at("02-23", "10:00"))
	change(t["R"], at("03-02", "09:00"), status="Open")
	t["A"] = new_ticket(service, at("03-02", "09:00"))
	change(t["A"], at("03-02", "09:30"), status="Replied", first_responded_on=at("03-02", "09:30"))
	change(t["A"], at("03-02", "10:00"), status="Open")
	change(t["A"], at("03-02", "11:00"), status="Resolved")
	t["B"] = new_ticket(service, at("03-02", "09:00"))
	change(t["B"], at("03-03", "10:00"), status="Resolved", first_responded_on=at("03-03", "10:00"))
	t["C"] = new_ticket(service, at("03-04", "09:00"))
	t["D"] = new_ticket(service, at("03-05", "09:00"))
	change(t["D"], at("03-05", "10:00"), status="Resolved", first_responded_on=at("03-05", "10:00"))
	change(t["D"], at("03-06", "09:00"), status="Open")
	change(t["D"], at("03-06", "11:00"), status="Resolved")
	t["G"] = new_ticket(service, at("03-10", "09:00"))
	change(t["G"], at("03-10", "12:00"), status="Resolved", first_responded_on=at("03-10", "12:00"))
	t["H"] = new_ticket(service, at("03-11", "09:00"))
	change(t["H"], at("03-11", "09:30"), status="Resolved", first_responded_on=at("03-11", "09:30"))
	t["E"] = new_ticket(service, at("03-30", "16:00"))
	change(t["E"], at("04-01", "10:00"), status="Resolved", first_responded_on=at("04-01", "10:00"))
	# the scan judges the clocks that are still running (C, F, R) once their targets have passed
	with frozen(at("04-02", "12:00")):
		recompute_tickets([t["C"], t["F"], t["R"]])
	for name, rating in (("A", 1.0), ("B", 0.4), ("D", 0.8), ("G", 0.6)):
		rate(t[name], rating)
	return t


class KPITestCase(SMOTestCase):
	SERVICE = "_KPIM"
	STORY = True  # build the March story for SERVICE
	USERS = False  # make the test users first (it commits: before the class makes its records)

	@classmethod
	def setUpClass(cls):
		if cls.USERS:
			ensure_test_users()
		super().setUpClass()
		frappe.set_user("Administrator")
		make_calendar("_Test Weekdays")
		# the SMO's time zone is its default calendar's: the site's here (a test says what another one does)
		set_settings(enabled=1, default_calendar="_Test Weekdays")
		cls.addClassCleanup(
			frappe.clear_document_cache, "SMO Settings", "SMO Settings"
		)  # before the rollback
		make_service(cls.SERVICE)
		make_agreement(f"{cls.SERVICE} SLA", cls.SERVICE, calendar="_Test Weekdays", compliance_target=90)
		cls.tickets = build_tickets(cls.SERVICE) if cls.STORY else {}
		cls.make_records()

	@classmethod
	def make_records(cls) -> None:
		"""A subclass's own records, made once for the class after the story."""

	def setUp(self):
		frappe.set_user("Administrator")
		self.assertEqual(measure.smo_timezone(), get_system_timezone())


class TestClockMetrics(KPITestCase):
	def test_the_clocks_are_as_the_story_says(self):
		rows = {
			name: frappe.db.get_value(
				"SMO Ticket SLA",
				{"ticket": ticket, "agreement": f"{self.SERVICE} SLA"},
				[
					"resolution_state",
					"resolution_elapsed_minutes",
					"resolution_breached_at",
					"response_state",
				],
				as_dict=True,
			)
			for name, ticket in self.tickets.items()
		}
		self.assertEqual(
			{n: r.resolution_state for n, r in rows.items()},
			{
				"F": "Breached",
				"R": "Breached",
				"A": "Met",
				"B": "Breached",
				"C": "Breached",
				"D": "Met",
				"G": "Met",
				"H": "Met",
				"E": "Breached",
			},
		)
		self.assertEqual(
			{n: round(rows[n].resolution_elapsed_minutes) for n in "ABDGHE"},
			{"A": 90, "B": 540, "D": 180, "G": 180, "H": 30, "E": 600},
		)
		self.assertEqual(get_datetime(rows["E"].resolution_breached_at), get_datetime(at("03-31", "16:00")))

	def test_resolution_compliance_counts_as_the_sla_compliance_report(self):
		# met in March: A, D, G, H; breached in March: B (Mon 2), R (Mon 2, reopened and running), C (Wed 4,
		# still running), E (Tue 31, stopped in April). F breached in February.
		result = measured("resolution_compliance", service=self.SERVICE)
		self.assertEqual((result.numerator, result.denominator, result.sample_size), (4, 8, 8))
		self.assertAlmostEqual(result.value, 50)
		from smo_extension.smo.report.sla_compliance import sla_compliance

		_c, (row,), *_ = sla_compliance.execute(
			{"from_date": "2026-03-01", "to_date": "2026-03-31", "service": self.SERVICE}
		)
		self.assertEqual((row["met"], row["breached"]), (4, 4))
		self.assertAlmostEqual(row["compliance"], result.value)

	def test_response_compliance(self):
		# met: A (30), D (60 = target), H (30); breached in March: B, C, G, E (Mon 30 Mar 17:00)
		result = measured("response_compliance", service=self.SERVICE)
		self.assertEqual((result.numerator, result.denominator), (3, 7))
		self.assertAlmostEqual(result.value, 300 / 7)

	def test_mean_and_p90_time_to_resolve(self):
		# stopped in March: A 90, B 540, D 180, G 180, H 30 (E stopped in April)
		mttr = measured("mttr_business", service=self.SERVICE)
		self.assertEqual((mttr.denominator, mttr.sample_size), (5, 5))
		self.assertAlmostEqual(mttr.value, 1020 / 5, places=2)
		# sorted 30, 90, 180, 180, 540: h = 0.9 x 4 = 3.6 -> 180 + 0.6 x (540 - 180) = 396
		p90 = measured("mttr_p90_business", service=self.SERVICE)
		self.assertEqual(p90.sample_size, 5)
		self.assertAlmostEqual(p90.value, 396, places=2)
		april = measured("mttr_business", APRIL, service=self.SERVICE)
		self.assertEqual(april.sample_size, 1)
		self.assertAlmostEqual(april.value, 600, places=2)

	def test_mean_time_to_first_response(self):
		# responses in March: A 30, B 540, D 60, G 180, H 30
		result = measured("mtta_business", service=self.SERVICE)
		self.assertEqual(result.sample_size, 5)
		self.assertAlmostEqual(result.value, 840 / 5, places=2)

	def test_ola_clocks_count_only_when_the_kpi_says_ola(self):
		self.assertIsNone(
			measured(
				"resolution_compliance", service=self.SERVICE, agreement_type="OLA", team="_No Team"
			).value
		)

	def test_nothing_countable_is_no_data_not_zero_or_hundred(self):
		january = engine.period_containing("Monthly", date(2026, 1, 1))
		for metric in ("resolution_compliance", "mttr_business", "mttr_p90_business", "reopen_rate", "csat"):
			result = measured(metric, january, service=self.SERVICE)
			self.assertIsNone(result.value, metric)
			self.assertEqual(result.sample_size, 0)
		self.assertEqual(measured("volume", january, service=self.SERVICE).value, 0)


class TestTicketMetrics(KPITestCase):
	def test_reopen_rate(self):
		# resolved in March: A, B, D (twice: once), G, H = 5; reopened in March: R (resolved in February), D
		result = measured("reopen_rate", service=self.SERVICE)
		self.assertEqual((result.numerator, result.denominator), (2, 5))
		self.assertAlmostEqual(result.value, 40)
		# February: R resolved; nothing reopened
		february = measured("reopen_rate", MARCH.previous(), service=self.SERVICE)
		self.assertEqual((february.numerator, february.denominator, february.value), (0, 1, 0))

	def test_csat(self):
		# rated among the tickets resolved in March: A 1.0, B 0.4, D 0.8, G 0.6 (H unrated): 4 or 5 stars = A, D
		result = measured("csat", service=self.SERVICE)
		self.assertEqual((result.numerator, result.denominator), (2, 4))
		self.assertAlmostEqual(result.value, 50)

	def test_backlog_and_its_age_at_the_end_of_march(self):
		# open at 1 April 00:00: C, E, F, R; opened before 2 March (30 days before the end): F, R
		backlog = measured("backlog", service=self.SERVICE)
		self.assertEqual(backlog.value, 4)
		aged = measured("backlog_aged_30", service=self.SERVICE)
		self.assertEqual((aged.numerator, aged.denominator), (2, 4))
		self.assertAlmostEqual(aged.value, 50)
		# at the end of February: F and R (resolved 23 Feb, reopened 2 Mar) -> F only
		self.assertEqual(measured("backlog", MARCH.previous(), service=self.SERVICE).value, 1)

	def test_volume(self):
		self.assertEqual(measured("volume", service=self.SERVICE).value, 7)  # A B C D G H E
		self.assertEqual(measured("volume", MARCH.previous(), service=self.SERVICE).value, 2)  # F R
		self.assertEqual(measured("volume", service=self.SERVICE, priority="High").value, 0)

	def test_scoped_by_the_tickets_customer(self):
		from smo_extension.tests.factories import make_customer

		make_customer("_KPI Customer")
		frappe.db.set_value("HD Ticket", self.tickets["A"], "customer", "_KPI Customer")
		result = measured("csat", service=self.SERVICE, customer="_KPI Customer")
		self.assertEqual((result.numerator, result.denominator), (1, 1))


class TestGovernanceMetrics(KPITestCase):
	def test_improvement_throughput(self):
		make_service("_KPIMI")
		for title, status, completed in (
			("_KPI done 3 Mar", "Done", "2026-03-03"),
			("_KPI done 31 Mar", "Done", "2026-03-31"),
			("_KPI done 1 Apr", "Done", "2026-04-01"),
			("_KPI done Feb", "Done", "2026-02-28"),
			("_KPI open", "In Progress", None),
		):
			make_improvement(
				title,
				service="_KPIMI",
				status=status,
				improvement_owner="Administrator",
				target_date="2026-04-30",
				completed_on=completed,
				measured_benefit="measured" if status == "Done" else None,
			)
		self.assertEqual(measured("improvement_throughput", service="_KPIMI").value, 2)
		self.assertEqual(measured("improvement_throughput", APRIL, service="_KPIMI").value, 1)

	def test_catalog_completeness_counts_complete_live_services(self):
		before = measured("catalog_completeness")
		make_agreement(
			"_KPIC1 SLA",
			make_service("_KPIC1", service_owner="Administrator", last_reviewed_on="2025-04-15").name,
		)
		make_agreement("_KPIC2 SLA", make_service("_KPIC2", last_reviewed_on="2026-03-01").name)  # no owner
		make_agreement(  # reviewed more than 12 months before 31 March 2026
			"_KPIC3 SLA",
			make_service("_KPIC3", service_owner="Administrator", last_reviewed_on="2025-03-30").name,
		)
		make_service("_KPIC4", service_owner="Administrator", last_reviewed_on="2026-03-01")  # no agreement
		make_agreement(  # its only agreement starts after the period's last day
			"_KPIC5 SLA",
			make_service("_KPIC5", service_owner="Administrator", last_reviewed_on="2026-03-01").name,
			valid_from="2026-04-01",
		)
		make_service("_KPIC6", lifecycle_stage="Pipeline", status="Design", service_owner="Administrator")
		after = measured("catalog_completeness")
		self.assertEqual(after.denominator - before.denominator, 5)  # five live ones
		self.assertEqual(after.numerator - before.numerator, 1)  # only _KPIC1 is complete

	def test_policy_review_compliance(self):
		before = measured("policy_review_compliance")
		with frozen("2026-01-10 09:00:00", tick=True):
			# reviewed every 12 months from its effective date: next review = effective + 12 months
			make_policy(status="Published", effective_from="2025-04-01")  # due 2026-04-01: current
			make_policy(
				status="Published", effective_from="2025-03-31"
			)  # due 2026-03-31: current on the 31st
			make_policy(status="Published", effective_from="2025-03-30")  # due 2026-03-30: overdue
			make_policy(status="Published", effective_from="2026-04-15")  # effective after March: not counted
			make_policy(status="Approved", effective_from="2025-01-01")  # not published: not counted
		after = measured("policy_review_compliance")
		self.assertEqual(after.denominator - before.denominator, 3)
		self.assertEqual(after.numerator - before.numerator, 2)


class TestSMOTimeZone(KPITestCase):
	SERVICE = "_KPITZ"
	STORY = False

	def test_periods_are_counted_in_the_default_calendars_time_zone(self):
		"""A ticket opened on 31 March 09:00 and resolved at 00:30 on 1 April (Rome) - 22:30 UTC on 31 March -
		and one opened at 01:00 on 1 April (Rome), 23:00 UTC on 31 March."""
		late = new_ticket(self.SERVICE, at("03-31", "09:00"))
		change(late, at("04-01", "00:30"), status="Resolved", first_responded_on=at("03-31", "09:30"))
		new_ticket(self.SERVICE, at("04-01", "01:00"))
		rome = (
			measured("resolution_compliance", service=self.SERVICE),
			measured("volume", service=self.SERVICE),
		)
		self.assertIsNone(rome[0].value)  # stopped on 1 April
		self.assertEqual(rome[1].value, 1)
		make_calendar("_KPI UTC", timezone="UTC")
		previous = frappe.db.get_single_value("SMO Settings", "default_calendar")
		try:
			set_settings(default_calendar="_KPI UTC")
			self.assertEqual(measure.smo_timezone(), "UTC")
			window = measure.period_window(MARCH)
			self.assertEqual(window.end, get_datetime("2026-04-01 02:00:00"))  # site time of 00:00 UTC
			utc = (
				measured("resolution_compliance", service=self.SERVICE),
				measured("volume", service=self.SERVICE),
			)
			self.assertEqual((utc[0].numerator, utc[0].denominator), (1, 1))  # 480 minutes = target: met
			self.assertEqual(utc[1].value, 2)
		finally:
			set_settings(default_calendar=previous)
			frappe.clear_document_cache("SMO Settings", "SMO Settings")


class TestOneQueryPerSource(KPITestCase):
	def test_many_definitions_share_one_aggregate_query_per_source(self):
		definitions = [
			{"name": f"d{i}", "metric": metric, "service": service}
			for i, (metric, service) in enumerate(
				(m, s)
				for m in ("resolution_compliance", "mttr_business", "csat", "reopen_rate", "volume")
				for s in (self.SERVICE, None, "_KPI_NONE")
			)
		]
		queries = []
		real = frappe.db.sql

		def spy(query, *args, **kwargs):
			queries.append(str(query))
			return real(query, *args, **kwargs)

		from unittest.mock import patch

		with patch.object(frappe.db, "sql", side_effect=spy):
			results = measure.compute(definitions, measure.period_window(MARCH))
		# resolution_clocks (compliance + mttr), ticket_flow (csat + reopen), volume: three queries for 15 KPIs
		self.assertEqual(len(queries), 3, queries)
		by = {(d["metric"], d["service"]): results[d["name"]] for d in definitions}
		self.assertAlmostEqual(by[("resolution_compliance", self.SERVICE)].value, 50)
		self.assertEqual(by[("volume", self.SERVICE)].value, 7)
		self.assertEqual(by[("volume", "_KPI_NONE")].value, 0)
		self.assertIsNone(by[("csat", "_KPI_NONE")].value)
		self.assertGreaterEqual(by[("volume", None)].value, 7)
		self.assertIsInstance(
			sources.window(MARCH.start, MARCH.end, "UTC").start, type(get_datetime("2026-03-01"))
		)

	def test_the_tuned_plan_gives_the_same_values(self):
		"""Grouping by the agreement type instead of filtering on it (sources.tuned) changes the speed only."""
		from unittest.mock import patch

		definitions = [
			{"name": "all", "metric": "resolution_compliance"},
			{"name": "mttr", "metric": "mttr_business"},
			{"name": "medium", "metric": "resolution_compliance", "priority": "Medium"},
			{"name": "p90", "metric": "mttr_p90_business", "priority": "Medium"},
		]
		window = measure.period_window(MARCH)
		tuned = measure.compute(definitions, window)
		with patch.object(sources, "tuned", lambda source, plan: plan):
			plain = measure.compute(definitions, window)
		self.assertEqual(tuned, plain)
		self.assertGreaterEqual(tuned["all"].sample_size, 8)
		plan = engine.QueryPlan({"agreement_type": ("SLA",)}, ("priority",), {"agreement_type": "SLA"})
		self.assertEqual(
			sources.tuned("resolution_clocks", plan), engine.QueryPlan({}, ("priority", "agreement_type"), {})
		)
		narrowed = engine.QueryPlan({"service": ("A",), "agreement_type": ("SLA",)}, (), {"service": "A"})
		self.assertEqual(sources.tuned("resolution_clocks", narrowed), narrowed)
		self.assertEqual(sources.tuned("volume", plan), plan)
