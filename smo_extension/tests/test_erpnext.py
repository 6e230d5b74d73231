"""ERPNext beside the app (issue 18): Issues judged like tickets, Customers as HD Customers, Contracts and Suppliers
under agreements, Projects under the local PMO liaison.

These tests need a site with ERPNext installed (`SMO_ERPNEXT_SITE`, run by ./run-tests where it exists); on a site
without ERPNext the class is skipped, saying so, and `TestWithoutERPNext` checks that nothing of ERPNext shows."""

import unittest

import frappe
from frappe.utils import get_datetime

from smo_extension import erpnext_compat
from smo_extension.erpnext_links import SMOContractError
from smo_extension.sla import jobs
from smo_extension.sla.ticket import aware
from smo_extension.smo.doctype.smo_service_mapping_rule.smo_service_mapping_rule import SMOMappingRuleError
from smo_extension.tests import SMOTestCase
from smo_extension.tests.factories import AGENT
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_calendar
from smo_extension.tests.factories import make_customer
from smo_extension.tests.factories import make_service
from smo_extension.tests.factories import make_ticket
from smo_extension.tests.factories import make_user
from smo_extension.tests.factories import set_settings

SUPPORT = "erp.support@example.com"  # ERPNext's Support Team role, no Helpdesk role
GOLD = "_SMO ERP Gold"  # an HD Customer and an ERPNext Customer of the same name
SILVER_HD, SILVER_ERP = "_SMO HD Silver", "_SMO Silver Srl"  # linked by hand: the names differ


def at(day: int, hhmm: str) -> str:
	"""Site-time instant: March `day` 2026 at HH:MM (2026-03-02 is a Monday)."""
	return f"2026-03-{day:02d} {hhmm}:00"


def erp_customer(name: str) -> str:
	if not frappe.db.exists("Customer", name):
		frappe.get_doc({"doctype": "Customer", "customer_name": name, "customer_type": "Company"}).insert(
			ignore_permissions=True
		)
	return name


def supplier(name: str) -> str:
	if not frappe.db.exists("Supplier", name):
		frappe.get_doc(
			{
				"doctype": "Supplier",
				"supplier_name": name,
				"supplier_group": frappe.get_all("Supplier Group", pluck="name", limit=1)[0],
			}
		).insert(ignore_permissions=True)
	return name


def contract(party_type: str, party: str, start: str, end: str | None) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Contract",
			"party_type": party_type,
			"party_name": party,
			"start_date": start,
			"end_date": end,
			"contract_terms": "Terms of the SMO tests.",
		}
	).insert(ignore_permissions=True)
	return doc.name


def clocks(issue: str) -> dict:
	rows = frappe.get_all(
		"SMO Ticket SLA", filters={"ticket_doctype": "Issue", "ticket": issue}, fields=["*"]
	)
	return {r.agreement: r for r in rows}


class ERPNextTestCase(SMOTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		if "erpnext" not in frappe.get_installed_apps():
			raise unittest.SkipTest(
				"ERPNext is not installed on this site: the ERPNext tests run on the ERPNext site "
				"(SMO_ERPNEXT_SITE, erp_smo.localhost by default)"
			)
		frappe.local.smo_erpnext = None
		set_settings(enabled=1, judge_erpnext_issues=1, judge_helpdesk_tickets=1)
		make_calendar("_Test Weekdays")
		make_customer(GOLD)
		erp_customer(GOLD)
		make_customer(SILVER_HD)
		erp_customer(SILVER_ERP)
		frappe.db.set_value("HD Customer", SILVER_HD, "smo_erpnext_customer", SILVER_ERP)
		make_service("_ERP", service_name="ERP Support")
		make_service("_PRJ", service_name="Project Support")
		make_agreement("_ERP SLA", "_ERP", calendar="_Test Weekdays")
		make_agreement(
			"_ERP Silver SLA",
			"_ERP",
			calendar="_Test Weekdays",
			customer=SILVER_HD,
			targets={"Urgent": (10, 60), "High": (15, 120), "Medium": (30, 240), "Low": (60, 480)},
		)
		for name in frappe.get_all(
			"SMO Service Mapping Rule", filters={"service": ("in", ["_ERP", "_PRJ"])}, pluck="name"
		):
			frappe.delete_doc("SMO Service Mapping Rule", name, force=True, ignore_permissions=True)
		if not frappe.db.exists("Issue Type", "_SMO Incident"):
			frappe.get_doc(
				{"doctype": "Issue Type", "name": "_SMO Incident", "__newname": "_SMO Incident"}
			).insert(ignore_permissions=True, set_name="_SMO Incident")
		frappe.get_doc(
			{
				"doctype": "SMO Service Mapping Rule",
				"service": "_ERP",
				"sequence": 1,
				"enabled": 1,
				"issue_type": "_SMO Incident",
			}
		).insert(ignore_permissions=True)

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.local.smo_erpnext = None
		frappe.local.smo_hd_customers = {}

	def new_issue(self, when: str = at(2, "09:00"), **fields):
		fields.setdefault("issue_type", "_SMO Incident")
		fields.setdefault("priority", "Medium")
		with self.freeze_time(when):
			return frappe.get_doc({"doctype": "Issue", "subject": "SMO test issue", **fields}).insert(
				ignore_permissions=True
			)

	def change(self, issue: str, when: str, **values):
		with self.freeze_time(when):
			doc = frappe.get_doc("Issue", issue)
			doc.update(values)
			doc.save(ignore_permissions=True)
			return doc


class TestIssueClocks(ERPNextTestCase):
	def test_issue_timeline_opened_on_hold_replied_resolved_reopened(self):
		"""Medium: response 60, resolution 480 business minutes, Mon-Fri 09:00-17:00. By hand: answered 09:30
		(response met, 30 min); On Hold 10:00 (60 min counted) to Tue 09:00 (420 business min paused);
		resolved Tue 11:00 (180 min: met); reopened Tue 12:00 (resumes at 180, due Tue 17:00); resolved Wed
		10:00: 180 + 300 + 60 = 540 min, breached at Tue 17:00."""
		issue = self.new_issue()
		doc = frappe.get_doc("Issue", issue.name)
		self.assertEqual(doc.smo_service, "_ERP")  # by the rule on issue type
		self.assertEqual(doc.smo_sla_state, "Running")
		self.assertEqual(get_datetime(doc.response_by), get_datetime(at(2, "10:00")))
		self.assertEqual(get_datetime(doc.sla_resolution_by), get_datetime(at(2, "17:00")))
		self.assertEqual(doc.agreement_status, "First Response Due")

		self.change(issue.name, at(2, "09:30"), status="Replied", first_responded_on=at(2, "09:30"))
		doc = self.change(issue.name, at(2, "10:00"), status="On Hold")
		self.assertEqual(doc.smo_sla_state, "Paused")
		self.assertEqual(
			doc.agreement_status, "Resolution Due"
		)  # Issue has no Paused: the target it waits on
		self.change(issue.name, at(3, "09:00"), status="Replied")  # Replied runs, as Open does
		doc = self.change(issue.name, at(3, "11:00"), status="Resolved")
		row = clocks(issue.name)["_ERP SLA"]
		self.assertEqual(row.response_state, "Met")
		self.assertEqual(row.response_elapsed_minutes, 30)
		self.assertEqual(row.resolution_state, "Met")
		self.assertEqual(row.resolution_elapsed_minutes, 180)
		self.assertEqual(row.resolution_paused_minutes, 420)
		self.assertEqual(doc.agreement_status, "Fulfilled")

		doc = self.change(issue.name, at(3, "12:00"), status="Open")  # reopened: resumes, not restarted
		row = clocks(issue.name)["_ERP SLA"]
		self.assertEqual(row.resolution_state, "Running")
		self.assertEqual(get_datetime(row.resolution_due), get_datetime(at(3, "17:00")))
		self.assertEqual(get_datetime(doc.sla_resolution_by), get_datetime(at(3, "17:00")))

		doc = self.change(issue.name, at(4, "10:00"), status="Resolved")
		row = clocks(issue.name)["_ERP SLA"]
		self.assertEqual(row.resolution_state, "Breached")
		self.assertEqual(row.resolution_elapsed_minutes, 540)
		self.assertEqual(get_datetime(row.resolution_breached_at), get_datetime(at(3, "17:00")))
		self.assertEqual(get_datetime(row.resolution_stopped_at), get_datetime(at(4, "10:00")))
		self.assertEqual(doc.smo_sla_state, "Breached")
		self.assertEqual(doc.agreement_status, "Failed")
		events = frappe.get_all(
			"SMO Ticket Event",
			filters={"ticket_doctype": "Issue", "ticket": issue.name, "field": "status_category"},
			fields=["value"],
			order_by="event_time asc, creation asc",
			pluck="value",
		)
		self.assertEqual(events, ["Open", "Paused", "Open", "Resolved", "Open", "Resolved"])

	def test_closed_stops_like_resolved(self):
		issue = self.new_issue()
		self.change(issue.name, at(2, "10:00"), status="Closed")
		row = clocks(issue.name)["_ERP SLA"]
		self.assertEqual(row.resolution_state, "Met")
		self.assertEqual(row.is_running, 0)

	def test_linked_customer_gets_its_own_agreement(self):
		"""The ERPNext Customer linked to an HD Customer is that customer: its agreement judges the Issue."""
		issue = self.new_issue(customer=SILVER_ERP)
		found = clocks(issue.name)
		self.assertEqual(set(found), {"_ERP Silver SLA"})
		self.assertEqual(found["_ERP Silver SLA"].customer, SILVER_HD)
		self.assertEqual(found["_ERP Silver SLA"].resolution_target_minutes, 240)
		same_name = self.new_issue(customer=GOLD)
		self.assertEqual(clocks(same_name.name)["_ERP SLA"].customer, GOLD)  # matched by name

	def test_the_scan_moves_an_issue_on_with_time(self):
		issue = self.new_issue()
		later = aware(get_datetime(at(3, "09:00")))
		jobs.scan_due_clocks(now=later)
		doc = frappe.get_doc("Issue", issue.name)
		self.assertEqual(doc.smo_sla_state, "Breached")
		self.assertEqual(doc.agreement_status, "Failed")
		self.assertEqual(clocks(issue.name)["_ERP SLA"].response_state, "Breached")

	def test_switch_off_judges_no_issue_and_tickets_go_on(self):
		set_settings(judge_erpnext_issues=0)
		try:
			issue = self.new_issue()
			self.assertEqual(clocks(issue.name), {})
			self.assertFalse(frappe.db.get_value("Issue", issue.name, "smo_sla_state"))
			ticket = make_ticket("ERPNext site ticket", smo_service="_ERP", priority="Medium")
			self.assertTrue(
				frappe.db.exists(
					"SMO Ticket SLA", {"ticket_doctype": "HD Ticket", "ticket": str(ticket.name)}
				)
			)
		finally:
			set_settings(judge_erpnext_issues=1)

	def test_switching_issues_on_judges_the_existing_ones_from_their_history(self):
		"""Issues raised while the SMO did not judge them get their clocks from their history (ERPNext tracks
		Issue changes) when the switch goes on: the same clock as if judged live."""
		from unittest.mock import patch

		set_settings(judge_erpnext_issues=0)
		issue = self.new_issue()
		for when, status in (
			(at(2, "10:00"), "On Hold"),
			(at(3, "09:00"), "Open"),
			(at(3, "11:00"), "Resolved"),
		):
			with self.freeze_time(when):
				doc = frappe.get_doc("Issue", issue.name)
				doc.status = status
				# as outside tests: Frappe's test mode keeps no Version history unless asked
				doc.save(ignore_permissions=True, ignore_version=False)
		self.assertEqual(clocks(issue.name), {})
		with patch("frappe.enqueue") as enqueue:
			set_settings(judge_erpnext_issues=1)
		self.assertIn(
			"smo_extension.sla.jobs.backfill_issues", [c.args[0] for c in enqueue.call_args_list if c.args]
		)
		self.assertGreaterEqual(jobs.backfill_issues(), 1)
		row = clocks(issue.name)["_ERP SLA"]
		self.assertEqual(frappe.db.get_value("Issue", issue.name, "smo_service"), "_ERP")
		self.assertEqual(row.resolution_state, "Met")
		self.assertEqual(row.resolution_elapsed_minutes, 180)
		self.assertEqual(row.resolution_paused_minutes, 420)
		# nobody answered it: the response (60 min) ran out on Monday at 10:00, as it went On Hold; so ERPNext's
		# status says Failed, as it would had the SMO judged it live
		self.assertEqual(row.response_state, "Breached")
		self.assertEqual(get_datetime(row.response_breached_at), get_datetime(at(2, "10:00")))
		self.assertEqual(frappe.db.get_value("Issue", issue.name, "agreement_status"), "Failed")
		self.assertEqual(jobs.backfill_issues(), 0)  # judged now: nothing left to backfill

	def test_issue_and_ticket_clocks_are_keyed_apart(self):
		issue = self.new_issue()
		ticket = make_ticket("keyed apart", smo_service="_ERP", priority="Medium")
		rows = frappe.get_all(
			"SMO Ticket SLA",
			filters={"ticket": ("in", [issue.name, str(ticket.name)])},
			fields=["ticket_doctype", "ticket"],
		)
		self.assertEqual(
			sorted((r.ticket_doctype, r.ticket) for r in rows),
			sorted([("Issue", issue.name), ("HD Ticket", str(ticket.name))]),
		)
		frappe.delete_doc("Issue", issue.name, force=True, ignore_permissions=True)
		self.assertEqual(clocks(issue.name), {})
		self.assertFalse(
			frappe.db.exists("SMO Ticket Event", {"ticket_doctype": "Issue", "ticket": issue.name})
		)

	def test_time_ledger_of_an_issue(self):
		issue = self.new_issue()
		self.change(issue.name, at(2, "10:00"), status="On Hold")
		self.change(issue.name, at(2, "11:00"), status="Open")
		self.change(issue.name, at(2, "12:00"), status="Resolved")
		from smo_extension.sla.ledger import ticket_ledger

		segments = ticket_ledger(issue.name, "Issue")
		self.assertEqual(sum(s["business_seconds"] for s in segments), 120 * 60)
		self.assertEqual(sum(s["paused_seconds"] for s in segments), 60 * 60)

	def test_bad_source_is_refused(self):
		from smo_extension.api.sla import get_ticket_clocks

		with self.assertRaises(frappe.ValidationError):
			get_ticket_clocks("ISS-1", doctype="ToDo")
		with self.assertRaises(frappe.DoesNotExistError):
			get_ticket_clocks("ISS-NONE-1", doctype="Issue")


class TestReportsBySource(ERPNextTestCase):
	"""The same reports over tickets, Issues or both; what-if, error budget and statements count Issues."""

	def breach_both(self):
		issue = self.new_issue(customer=SILVER_ERP)  # Silver: resolution 240 min → due 13:00
		self.change(issue.name, at(2, "16:00"), status="Resolved")
		with self.freeze_time(at(2, "09:00")):
			ticket = make_ticket("breached ticket", smo_service="_ERP", priority="Medium")
		with self.freeze_time(at(3, "12:00")):
			doc = frappe.get_doc("HD Ticket", ticket.name)
			doc.status = "Resolved"
			doc.save(ignore_permissions=True)
		return issue.name, str(ticket.name)

	def test_sla_compliance_and_breaches_by_source(self):
		from smo_extension.smo.report.sla_breaches import sla_breaches
		from smo_extension.smo.report.sla_compliance import sla_compliance

		issue, ticket = self.breach_both()
		base = {"from_date": "2026-03-01", "to_date": "2026-03-31", "service": "_ERP", "group_by": "Service"}
		breached = {}
		for source in ("Issue", "HD Ticket", ""):
			_cols, data, *_rest = sla_compliance.execute({**base, "source": source})
			breached[source] = sum(row["breached"] for row in data)
		self.assertEqual(breached["Issue"], 1)
		self.assertGreaterEqual(breached["HD Ticket"], 1)
		self.assertEqual(breached[""], breached["Issue"] + breached["HD Ticket"])

		columns, rows, *_rest = sla_breaches.execute({**base, "source": "Issue", "metric": "Resolution"})
		self.assertEqual([(r.ticket_doctype, r.ticket) for r in rows], [("Issue", issue)])
		ticket_column = next(c for c in columns if c["fieldname"] == "ticket")
		self.assertEqual(
			(ticket_column["fieldtype"], ticket_column["options"]), ("Dynamic Link", "ticket_doctype")
		)
		_columns, both, *_rest = sla_breaches.execute({**base, "metric": "Resolution"})
		self.assertTrue(
			{("Issue", issue), ("HD Ticket", ticket)} <= {(r.ticket_doctype, r.ticket) for r in both}
		)
		from smo_extension.smo.report.filters import SMOReportFilterError

		with self.assertRaises(SMOReportFilterError):
			sla_compliance.execute({**base, "source": "ToDo"})

	def test_time_by_team_what_if_budget_and_statement_count_issues(self):
		from smo_extension.sla.budget import top_breach_causes
		from smo_extension.sla.statement import customer_tickets
		from smo_extension.sla.whatif import what_if
		from smo_extension.smo.report.sla_time_by_team import sla_time_by_team

		issue, _ticket = self.breach_both()
		_cols, rows, *_rest = sla_time_by_team.execute(
			{"from_date": "2026-03-01", "to_date": "2026-03-31", "view": "Tickets", "source": "Issue"}
		)
		self.assertIn(issue, [r["ticket"] for r in rows])
		self.assertEqual(sum(r["hours"] for r in rows if r["ticket"] == issue), 7.0)  # 09:00-16:00

		with self.freeze_time(at(31, "12:00")):
			result = what_if("_ERP Silver SLA", "2026-03-01", "2026-03-31")
		# Silver judges Issues only here (its customer raises no Helpdesk ticket): the what-if replays them, and
		# as the agreement did not change, it agrees with their live clocks
		self.assertGreaterEqual(result["overall"]["what_if"]["breached"], 1)
		self.assertEqual(result["overall"]["what_if"], result["overall"]["live"])
		start, end = aware(get_datetime(at(1, "00:00"))), aware(get_datetime("2026-04-01 00:00:00"))
		self.assertTrue(top_breach_causes("_ERP Silver SLA", start, end))
		from datetime import date

		self.assertGreaterEqual(customer_tickets(SILVER_HD, date(2026, 3, 1), date(2026, 4, 1)), 1)


class TestMappingRules(ERPNextTestCase):
	def test_a_rule_on_issue_type_does_not_map_tickets_and_a_mixed_rule_is_refused(self):
		ticket = make_ticket("no issue rule for me", priority="Medium")
		self.assertNotEqual(frappe.db.get_value("HD Ticket", ticket.name, "smo_service"), "_ERP")
		rule = frappe.get_doc(
			{
				"doctype": "SMO Service Mapping Rule",
				"service": "_ERP",
				"issue_type": "_SMO Incident",
				"ticket_type": frappe.get_all("HD Ticket Type", pluck="name", limit=1)[0],
			}
		)
		with self.assertRaises(SMOMappingRuleError):
			rule.insert(ignore_permissions=True)

	def test_a_rule_on_project_maps_issues_of_the_project(self):
		project = frappe.get_doc({"doctype": "Project", "project_name": "_SMO rule project"}).insert(
			ignore_permissions=True
		)
		frappe.get_doc(
			{"doctype": "SMO Service Mapping Rule", "service": "_PRJ", "sequence": 0, "project": project.name}
		).insert(ignore_permissions=True)
		make_agreement("_PRJ SLA", "_PRJ", calendar="_Test Weekdays")
		issue = self.new_issue(project=project.name)
		self.assertEqual(frappe.db.get_value("Issue", issue.name, "smo_service"), "_PRJ")
		self.assertIn("_PRJ SLA", clocks(issue.name))


class TestContracts(ERPNextTestCase):
	def test_sla_within_its_customer_contract(self):
		name = contract("Customer", SILVER_ERP, "2026-01-01", "2026-12-31")
		doc = make_agreement(
			"_ERP Contract SLA",
			"_ERP",
			status="Draft",
			customer=SILVER_HD,
			valid_from="2026-01-01",
			valid_to="2026-12-31",
			smo_contract=name,
		)
		self.assertEqual(doc.smo_contract, name)
		data = frappe.get_meta("Contract").get_dashboard_data()
		self.assertEqual(data.non_standard_fieldnames["SMO Service Level Agreement"], "smo_contract")
		self.assertTrue(any("SMO Service Level Agreement" in group["items"] for group in data.transactions))
		linked = frappe.get_all("SMO Service Level Agreement", filters={"smo_contract": name}, pluck="name")
		self.assertEqual(linked, ["_ERP Contract SLA"])

	def test_agreement_that_outlives_its_contract_is_refused(self):
		name = contract("Customer", SILVER_ERP, "2026-01-01", "2026-06-30")
		for valid_to in ("2026-12-31", None):
			with self.assertRaises(SMOContractError) as raised:
				make_agreement(
					"_ERP Long SLA",
					"_ERP",
					status="Draft",
					customer=SILVER_HD,
					valid_from="2026-01-01",
					valid_to=valid_to,
					smo_contract=name,
				)
			self.assertIn(name, str(raised.exception))
		with self.assertRaises(SMOContractError):
			make_agreement(
				"_ERP Early SLA",
				"_ERP",
				status="Draft",
				valid_from="2025-06-01",
				valid_to="2026-06-30",
				smo_contract=name,
			)
		self.assertFalse(frappe.db.exists("SMO Service Level Agreement", "_ERP Long SLA"))

	def test_contract_with_another_customer_or_a_supplier_is_refused_for_an_sla(self):
		other = contract("Customer", GOLD, "2026-01-01", "2026-12-31")
		with self.assertRaises(SMOContractError):
			make_agreement(
				"_ERP Wrong SLA",
				"_ERP",
				status="Draft",
				customer=SILVER_HD,
				valid_from="2026-01-01",
				valid_to="2026-12-31",
				smo_contract=other,
			)
		with_supplier = contract("Supplier", supplier("_SMO Carrier"), "2026-01-01", "2026-12-31")
		with self.assertRaises(SMOContractError):
			make_agreement(
				"_ERP Wrong SLA",
				"_ERP",
				status="Draft",
				valid_from="2026-01-01",
				valid_to="2026-12-31",
				smo_contract=with_supplier,
			)

	def test_uc_names_its_supplier_and_contract(self):
		carrier = supplier("_SMO Carrier")
		name = contract("Supplier", carrier, "2026-01-01", "2026-12-31")
		doc = make_agreement(
			"_ERP Carrier UC",
			"_ERP",
			agreement_type="UC",
			status="Draft",
			valid_from="2026-02-01",
			valid_to="2026-12-31",
			smo_contract=name,
		)
		self.assertEqual(doc.smo_supplier, carrier)  # taken from the contract
		self.assertEqual(doc.supplier, carrier)
		with self.assertRaises(SMOContractError):
			make_agreement(
				"_ERP Other UC",
				"_ERP",
				agreement_type="UC",
				status="Draft",
				valid_from="2026-02-01",
				valid_to="2026-12-31",
				smo_contract=name,
				smo_supplier=supplier("_SMO Other Carrier"),
			)


class TestCustomersAndProjects(ERPNextTestCase):
	def test_customers_matched_by_name_and_unmatched_listed(self):
		make_customer("_SMO Only In Helpdesk")
		frappe.db.set_value("HD Customer", GOLD, "smo_erpnext_customer", None)
		match = erpnext_compat.match_customers()
		self.assertIn(GOLD, match["linked"])
		self.assertIn("_SMO Only In Helpdesk", match["unmatched"])
		self.assertEqual(frappe.db.get_value("HD Customer", GOLD, "smo_erpnext_customer"), GOLD)
		self.assertEqual(frappe.db.get_value("HD Customer", SILVER_HD, "smo_erpnext_customer"), SILVER_ERP)
		self.assertEqual(erpnext_compat.erpnext_customers(SILVER_HD), [SILVER_ERP])
		settings = frappe.get_doc("SMO Settings")
		settings.run_method("onload")  # the form lists the ones left unlinked
		unmatched = settings.get_onload().get("smo_unmatched_customers")
		self.assertIn("_SMO Only In Helpdesk", unmatched)
		self.assertNotIn(GOLD, unmatched)

	def test_local_liaison_reads_a_real_project(self):
		from smo_extension.pmo.sync import sync_liaison

		set_settings(pmo_go_live_field="expected_end_date")
		project = frappe.get_doc(
			{
				"doctype": "Project",
				"project_name": "_SMO go-live project",
				"status": "Open",
				"percent_complete_method": "Manual",
				"percent_complete": 40,
				"expected_start_date": "2026-03-01",
				"expected_end_date": "2026-04-15",
			}
		).insert(ignore_permissions=True)
		liaison = frappe.get_doc(
			{
				"doctype": "SMO PMO Liaison",
				"service": "_ERP",
				"relationship": "Change to Service",
				"transition_stage": "Build",
				"project_source": "This Site",
				"project": project.name,
			}
		).insert(ignore_permissions=True)
		self.assertEqual(sync_liaison(liaison.name), "OK")
		row = frappe.db.get_value(
			"SMO PMO Liaison",
			liaison.name,
			["project_status", "percent_complete", "expected_end", "go_live_date", "project_title"],
			as_dict=True,
		)
		self.assertEqual(row.project_status, "Open")
		self.assertEqual(row.percent_complete, 40)
		self.assertEqual(str(row.expected_end), "2026-04-15")
		self.assertEqual(str(row.go_live_date), "2026-04-15")
		self.assertEqual(row.project_title, "_SMO go-live project")
		data = frappe.get_meta("Project").get_dashboard_data()
		self.assertTrue(any("SMO PMO Liaison" in group["items"] for group in data.transactions))
		from frappe.desk.notifications import get_open_count

		counts = get_open_count("Project", project.name)
		liaisons = [c for c in counts["count"]["external_links_found"] if c["doctype"] == "SMO PMO Liaison"]
		self.assertEqual(liaisons[0]["count"], 1)


class TestIssuePersonas(ERPNextTestCase):
	"""Through the real HTTP layer: ERPNext's support user reads an Issue's clocks; a Helpdesk agent who may not
	read Issues sees none of them, by /api/method or /api/resource."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(SUPPORT, ("Support Team",), "ERP Support")
		frappe.db.commit()  # nosemgrep: the HTTP requests read the user from their own connection

	def test_support_team_reads_issue_clocks_and_agent_does_not(self):
		from smo_extension.tests.http import committed
		from smo_extension.tests.http import session

		with committed():
			issue = self.new_issue()
		try:
			support = session(SUPPORT)
			answer = support.call(
				"smo_extension.api.sla.get_ticket_clocks", ticket=issue.name, doctype="Issue"
			)
			self.assertEqual(answer.status, 200, answer.text)
			self.assertEqual([c["agreement"] for c in answer.data], ["_ERP SLA"])
			listed = support.list("SMO Ticket SLA", filters={"ticket_doctype": "Issue"}, fields=["ticket"])
			self.assertEqual(listed.status, 200, listed.text)
			self.assertIn(issue.name, [r["ticket"] for r in listed.data])

			agent = session(AGENT)
			refused = agent.call(
				"smo_extension.api.sla.get_ticket_clocks", ticket=issue.name, doctype="Issue"
			)
			self.assertEqual(refused.status, 403, refused.text)
			rows = agent.list("SMO Ticket SLA", filters={"ticket_doctype": "Issue"}, fields=["ticket"])
			self.assertEqual(rows.status, 200, rows.text)
			self.assertEqual(rows.data, [])

			manager = session(MANAGER)
			seen = manager.call("smo_extension.api.sla.get_ticket_clocks", ticket=issue.name, doctype="Issue")
			self.assertEqual(seen.status, 200, seen.text)
			self.assertEqual(len(seen.data), 1)
			report = manager.run_report(
				"SLA Compliance",
				{
					"source": "Issue",
					"group_by": "Service",
					"from_date": "2026-03-01",
					"to_date": "2026-03-31",
				},
			)
			self.assertEqual(report.status, 200, report.text)
			self.assertIn(
				"_ERP", [row.get("group_value") for row in report.data["result"] if isinstance(row, dict)]
			)
		finally:
			with committed():
				frappe.delete_doc("Issue", issue.name, force=True, ignore_permissions=True)


class TestWithoutERPNext(SMOTestCase):
	"""On a site without ERPNext nothing of issue 18 shows or fails."""

	def test_nothing_of_erpnext_on_a_site_without_it(self):
		if "erpnext" in frappe.get_installed_apps():
			self.skipTest("ERPNext is installed here: this test is for the sites without it")
		frappe.local.smo_erpnext = None
		self.assertFalse(erpnext_compat.installed())
		self.assertFalse(frappe.get_meta("HD Customer").has_field("smo_erpnext_customer"))
		self.assertFalse(frappe.get_meta("SMO Service Level Agreement").has_field("smo_contract"))
		self.assertFalse(frappe.get_meta("SMO Service Mapping Rule").has_field("issue_type"))
		from smo_extension.api.sla import get_ticket_clocks

		with self.assertRaises(frappe.ValidationError):
			get_ticket_clocks("ISS-2026-00001", doctype="Issue")
		from smo_extension.settings import judges_issues

		set_settings(judge_erpnext_issues=1)
		try:
			self.assertFalse(judges_issues())
		finally:
			set_settings(judge_erpnext_issues=0)


class TestInstallBesideERPNext(ERPNextTestCase):
	"""The app uninstalls and reinstalls on an ERPNext site keeping every ERPNext record; ERPNext's fields of the
	SMO follow ERPNext (its after_app_install / before_app_uninstall hooks)."""

	ERP_DOCTYPES = ("Issue", "Customer", "Supplier", "Contract", "Project", "Company")

	def counts(self) -> dict[str, int]:
		return {doctype: frappe.db.count(doctype) for doctype in self.ERP_DOCTYPES}

	def smo_fields(self) -> set[tuple[str, str]]:
		from smo_extension.setup.custom_fields import custom_field_names

		wanted = custom_field_names(erpnext=True)
		return {
			(row.dt, row.fieldname)
			for row in frappe.get_all(
				"Custom Field", filters={"dt": ("in", list(wanted))}, fields=["dt", "fieldname"]
			)
			if row.fieldname in wanted[row.dt]
		}

	def test_erpnext_hooks_make_and_remove_its_fields(self):
		from smo_extension.setup import erpnext as erpnext_setup

		expected = self.smo_fields()
		self.assertIn(("Issue", "smo_sla_state"), expected)
		self.assertIn(("SMO Service Level Agreement", "smo_contract"), expected)
		erpnext_setup.before_app_uninstall("erpnext")
		self.assertEqual(self.smo_fields(), set())
		erpnext_setup.before_app_uninstall("helpdesk")  # another app: nothing happens
		erpnext_setup.after_app_install("erpnext")
		self.assertEqual(self.smo_fields(), expected)

	def test_uninstall_and_reinstall_keep_erpnext_records(self):
		from frappe.installer import install_app
		from frappe.installer import remove_app

		from smo_extension.tests.test_install import _as_new_request

		issue = self.new_issue(customer=SILVER_ERP)
		contract("Customer", SILVER_ERP, "2026-01-01", "2026-12-31")
		frappe.db.commit()  # nosemgrep: uninstall commits; the records must exist before it
		before = self.counts()
		try:
			remove_app("smo_extension", yes=True, no_backup=True)
			_as_new_request()
			frappe.local.smo_erpnext = None
			self.assertEqual(self.counts(), before)
			self.assertFalse(frappe.get_meta("Issue").has_field("smo_sla_state"))
			self.assertFalse(frappe.get_meta("HD Customer").has_field("smo_erpnext_customer"))
			# ERPNext still works without the app: an Issue saves
			doc = frappe.get_doc("Issue", issue.name)
			doc.status = "Resolved"
			doc.save(ignore_permissions=True)
			frappe.db.commit()  # nosemgrep
		finally:
			if "smo_extension" not in frappe.get_installed_apps():
				install_app("smo_extension")
				_as_new_request()
				frappe.local.smo_erpnext = None
		self.assertEqual(self.counts(), before)
		self.assertTrue(frappe.get_meta("Issue").has_field("smo_sla_state"))
		# the link of an HD Customer to its ERPNext Customer was kept in its column through the uninstall
		self.assertEqual(frappe.db.get_value("HD Customer", SILVER_HD, "smo_erpnext_customer"), SILVER_ERP)
		set_settings(enabled=1, judge_erpnext_issues=1)
		frappe.db.commit()  # nosemgrep
