"""The SMO's own pages as a person reads them (issue 9): the workspace's numbers agree with the report they open,
report summaries use colours Frappe paints, "By Priority" targets and order, the donut's colours, people as
names, the charter's currency, and a quiet demo."""

import json
from datetime import timedelta

import frappe
from frappe.utils import now_datetime

from smo_extension.contract import REPORTS
from smo_extension.sla.states import CLOCK_STATES
from smo_extension.sla.states import STATE_COLOURS
from smo_extension.smo.report.filters import clean_filters
from smo_extension.smo.report.sla_breaches import sla_breaches
from smo_extension.smo.report.sla_compliance import sla_compliance
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import OWNER
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_service
from smo_extension.tests.factories import make_ticket
from smo_extension.tests.test_ticket_sla import SLATestCase
from smo_extension.tests.test_ticket_sla import at

# Frappe 15 styles report summary values green, red and blue only (desk/report.scss); others render black.
STYLED_INDICATORS = {"Green", "Red", "Blue"}


def report_module(report: str):
	name = frappe.scrub(report)
	return frappe.get_module(f"smo_extension.smo.report.{name}.{name}")


def required_filters(module) -> dict:
	"""A value for each required filter of a report (a record of the linked doctype, the first option) and for
	every date (some reports need their period even where FILTERS does not say so)."""
	from smo_extension.smo.report.filters import Date
	from smo_extension.smo.report.filters import Link
	from smo_extension.smo.report.filters import Select

	values = {}
	for fieldname, spec in getattr(module, "FILTERS", {}).items():
		if not spec.required and not isinstance(spec, Date):
			continue
		if isinstance(spec, Link):
			values[fieldname] = frappe.get_all(spec.doctype, pluck="name", limit=1)[0]
		elif isinstance(spec, Date):
			values[fieldname] = frappe.utils.today()
		elif isinstance(spec, Select):
			values[fieldname] = spec.options[0]
	return values


class TestReportPages(SLATestCase):
	def test_every_report_summary_uses_colours_frappe_paints(self):
		for report in REPORTS:
			module = report_module(report)
			result = module.execute(required_filters(module))
			summary = result[4] if len(result) > 4 else []
			for item in summary or []:
				if item.get("indicator"):
					self.assertIn(item["indicator"], STYLED_INDICATORS, f"{report}: {item['label']}")

	def test_by_priority_in_helpdesks_order_with_the_targets_the_agreements_promised(self):
		service = f"_P{frappe.generate_hash(length=5).upper()}"
		make_service(service)
		make_agreement(f"{service} SLA", service, calendar="_Test Weekdays", compliance_target=90)
		make_agreement(
			f"{service} Gold",
			service,
			calendar="_Test Weekdays",
			compliance_target=98,
			customer="_SMO Customer Gold",
		)
		# Urgent: two general tickets resolved in time and one Gold ticket late; Low: one Gold ticket in time.
		for customer, priority, resolved in (
			(None, "Urgent", "09:30"),
			(None, "Urgent", "09:40"),
			("_SMO Customer Gold", "Urgent", "11:00"),
			("_SMO Customer Gold", "Low", "10:00"),
		):
			ticket = self.new_ticket(smo_service=service, priority=priority, customer=customer)
			self.change(ticket.name, at(2, resolved), status="Resolved")
		_c, data, _m, chart, _s = sla_compliance.execute(
			{"from_date": "2026-03-01", "to_date": "2026-03-31", "service": service, "group_by": "Priority"}
		)
		self.assertEqual(
			[row["group_value"] for row in data], ["Urgent", "Low"]
		)  # Helpdesk's order: most urgent first
		urgent, low = data
		self.assertEqual((urgent["met"], urgent["breached"]), (2, 1))
		# 2 clocks judged by the 90 % SLA, 1 by the 98 % Gold SLA: (2 x 90 + 98) / 3
		self.assertAlmostEqual(urgent["target"], round((2 * 90 + 98) / 3, 2))
		self.assertEqual(low["target"], 98)
		self.assertEqual(chart["data"]["labels"], ["Urgent", "Low"])
		# grouped by agreement, each agreement is measured against its own target
		_c, by_agreement, *_ = sla_compliance.execute(
			{"from_date": "2026-03-01", "to_date": "2026-03-31", "service": service, "group_by": "Agreement"}
		)
		self.assertEqual(
			{r["group_value"]: r["target"] for r in by_agreement},
			{f"{service} Gold": 98, f"{service} SLA": 90},
		)


class TestWorkspace(SLATestCase):
	def test_breaches_card_agrees_with_the_report_it_opens_and_the_chart(self):
		from frappe.desk.doctype.dashboard_chart.dashboard_chart import get as chart_data

		from smo_extension.api.workspace import breaches_this_month_filters
		from smo_extension.api.workspace import sla_breaches_this_month
		from smo_extension.sla.jobs import recompute_tickets

		service = f"_W{frappe.generate_hash(length=5).upper()}"
		make_service(service)
		make_agreement(f"{service} SLA", service, calendar="_Test Weekdays")
		make_agreement(
			f"{service} OLA", service, agreement_type="OLA", team="_SMO Team A", calendar="_Test Weekdays"
		)
		# Monday 2 March 2026 09:00, Urgent (60 business minutes): the SLA and the OLA breach at 10:00.
		ticket = self.new_ticket(smo_service=service, priority="Urgent", agent_group="_SMO Team A")
		with self.freeze_time("2026-03-20 12:00:00"):
			recompute_tickets([str(ticket.name)])
			card = sla_breaches_this_month()
			filters = breaches_this_month_filters()
			chart = chart_data(chart_name="SLA Breaches per Month", refresh=1)
			everything = sla_breaches.get_data(
				clean_filters({"from_date": filters["from_date"]}, sla_breaches.FILTERS)
			)
			report_rows = sla_breaches.get_data(clean_filters(filters, sla_breaches.FILTERS))
		self.assertEqual(
			filters,
			{
				"from_date": "2026-03-01",
				"to_date": "2026-03-20",
				"metric": "Resolution",
				"agreement_type": "SLA",
			},
		)
		self.assertEqual(card["route"], ["query-report", "SLA Breaches"])
		self.assertEqual(card["route_options"], filters)
		self.assertEqual(card["value"], len(report_rows))
		self.assertIn(str(ticket.name), [r.ticket for r in report_rows])
		self.assertTrue(all(r.agreement_type == "SLA" and r.metric == "Resolution" for r in report_rows))
		# the OLA's breach and the response breaches are in the report without the card's filters only
		self.assertGreater(len(everything), len(report_rows))
		# the chart's bar of this month counts the same clocks
		self.assertEqual(chart["datasets"][0]["values"][-1], card["value"])

	def test_cards_and_charts_name_what_they_count(self):
		workspace = frappe.get_doc("Workspace", "SMO")
		labels = {row.label for row in workspace.number_cards} | {row.label for row in workspace.charts}
		for label in (
			"SLA Resolution Breaches This Month",
			"SLA Resolution Clocks At Risk Now",
			"SLA Resolution Breaches per Month",
			"SLA Clocks by Resolution State",
		):
			self.assertIn(label, labels)
		# the workspace blocks find their widget by its label
		blocks = json.loads(workspace.content)
		named = {b["data"].get("number_card_name") or b["data"].get("chart_name") for b in blocks}
		self.assertTrue(labels <= named, labels - named)
		at_risk = json.loads(frappe.db.get_value("Number Card", "Clocks At Risk Now", "filters_json"))
		self.assertIn(["SMO Ticket SLA", "agreement_type", "=", "SLA", False], at_risk)

	def test_state_donut_shows_every_state_in_the_one_colour_map(self):
		from smo_extension.smo.dashboard_chart_source.smo_clock_states.smo_clock_states import CHART
		from smo_extension.smo.dashboard_chart_source.smo_clock_states.smo_clock_states import get

		data = get()
		self.assertEqual(data["labels"], list(CLOCK_STATES))
		self.assertEqual(len(data["datasets"][0]["values"]), len(CLOCK_STATES))
		options = json.loads(frappe.db.get_value("Dashboard Chart", CHART, "custom_options"))
		self.assertEqual(options["colors"], [STATE_COLOURS[s]["hex"] for s in CLOCK_STATES])
		running = frappe.db.count("SMO Ticket SLA", {"agreement_type": "SLA", "resolution_state": "Running"})
		self.assertEqual(data["datasets"][0]["values"][CLOCK_STATES.index("Running")], running)


class TestFormsReadByPeople(SLATestCase):
	def test_owners_show_as_full_names(self):
		doc = make_service("_NAMES", service_owner=OWNER)
		self.assertEqual(doc.service_owner_name, frappe.db.get_value("User", OWNER, "full_name"))
		meta = frappe.get_meta("SMO Service")
		self.assertTrue(meta.get_field("service_owner_name").in_list_view)
		self.assertFalse(meta.get_field("service_owner").in_list_view)

	def test_the_patch_names_people_of_older_records(self):
		from smo_extension.patches.v0_1 import fill_people_names

		doc = make_service("_NAMES2", service_owner=MANAGER)
		frappe.db.set_value("SMO Service", doc.name, "service_owner_name", None)
		fill_people_names.execute()
		self.assertEqual(
			frappe.db.get_value("SMO Service", doc.name, "service_owner_name"),
			frappe.db.get_value("User", MANAGER, "full_name"),
		)

	def test_policy_code_help_shows_the_naming_pattern_as_text(self):
		description = frappe.get_meta("SMO Policy").get_field("policy_code").description
		self.assertNotIn("<code>", description)
		self.assertIn("&lt;code&gt;-v&lt;version&gt;", description)

	def test_charter_budget_has_a_currency(self):
		charter = frappe.get_single("SMO Charter")
		charter.budget_currency = None
		charter.save(ignore_permissions=True)
		self.assertEqual(charter.budget_currency, frappe.db.get_default("currency"))
		self.assertEqual(frappe.get_meta("SMO Charter").get_field("annual_budget").options, "budget_currency")

	def test_agreement_form_knows_the_settings_share_an_empty_share_means(self):
		agreement = make_agreement("_TST Share", "_TST", calendar="_Test Weekdays")
		self.assertFalse(agreement.at_risk_percent)
		agreement.run_method("onload")
		self.assertEqual(
			agreement.get_onload().settings_at_risk_percent,
			frappe.db.get_single_value("SMO Settings", "at_risk_percent"),
		)


class TestQuietDemo(SLATestCase):
	def test_demo_records_leave_no_versions_and_tickets_tell_a_believable_thread(self):
		from smo_extension import demo

		before = frappe.db.count("Version", {"ref_doctype": "SMO Service"})
		demo.upsert("SMO Service", "_TST", {"service_name": "Service _TST, quietly renamed"})
		self.assertEqual(frappe.db.count("Version", {"ref_doctype": "SMO Service"}), before)

		opened = now_datetime().replace(microsecond=0) - timedelta(days=3)
		answered = opened + timedelta(hours=1)
		ticket = make_ticket("_demo thread", raised_by="someone@customer.example.com")
		tz = demo.ticket_sla.site_zone()
		demo.tell_the_story(
			str(ticket.name),
			"someone@customer.example.com",
			"_demo thread",
			opened.replace(tzinfo=tz),
			answered.replace(tzinfo=tz),
		)
		thread = frappe.get_all(
			"Communication",
			filters={"reference_doctype": "HD Ticket", "reference_name": ticket.name},
			fields=["sender", "sent_or_received", "communication_date", "creation"],
			order_by="communication_date asc",
		)
		self.assertEqual([m.sent_or_received for m in thread], ["Received", "Sent"])
		self.assertEqual(thread[0].sender, "someone@customer.example.com")
		self.assertEqual(thread[0].communication_date, opened)
		self.assertEqual(thread[1].sender, demo.DEMO_AGENT)
		self.assertEqual(thread[1].creation, answered)
