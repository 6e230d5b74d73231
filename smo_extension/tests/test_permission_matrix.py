"""The permission contract (docs/PERSONAS.md, as data in smo_extension/contract.py), walked over HTTP as each
persona: every SMO doctype x persona x read / write / create / delete through /api/resource and Report Builder,
every whitelisted method through /api/method, every report with every grouping through the report runner.

Requests run on their own database connections (smo_extension.tests.http): the fixtures are committed in
setUpClass and removed in tearDownClass. Every denied attempt is also checked to have changed nothing.
"""

from __future__ import annotations

import inspect
import json

import frappe
from frappe.utils import flt

from smo_extension import contract
from smo_extension import helpdesk_compat
from smo_extension.api.statements import generate_statement
from smo_extension.contract import ALL
from smo_extension.contract import CREATE
from smo_extension.contract import DELETE
from smo_extension.contract import OWN
from smo_extension.contract import READ
from smo_extension.contract import TICKETS
from smo_extension.contract import WRITE
from smo_extension.sla.jobs import recompute_tickets
from smo_extension.tests import SMOTestCase
from smo_extension.tests.factories import AGENT
from smo_extension.tests.factories import ANALYST
from smo_extension.tests.factories import HELPDESK_ADMIN
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import OTHER_OWNER
from smo_extension.tests.factories import OWNER
from smo_extension.tests.factories import PORTAL
from smo_extension.tests.factories import PORTAL_CUSTOMER
from smo_extension.tests.factories import frozen
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_budget_alert
from smo_extension.tests.factories import make_calendar
from smo_extension.tests.factories import make_improvement
from smo_extension.tests.factories import make_liaison
from smo_extension.tests.factories import make_policy
from smo_extension.tests.factories import make_service
from smo_extension.tests.factories import make_team
from smo_extension.tests.factories import make_ticket
from smo_extension.tests.factories import remove_imported
from smo_extension.tests.factories import set_settings
from smo_extension.tests.http import session

USERS = {
	contract.MANAGER: MANAGER,
	contract.ANALYST: ANALYST,
	contract.OWNER: OWNER,
	contract.AGENT: AGENT,
	contract.ADMIN: HELPDESK_ADMIN,
	contract.PORTAL: PORTAL,
	contract.GUEST: "Guest",
}
DENIED = (401, 403)
OWN_SVC, OTHER_SVC, ACTIVE_SVC = "_PM-OWN", "_PM-OTHER", "_PM-ACTIVE"
TEAM_IN, TEAM_OUT = "_PM Team In", "_PM Team Out"
TICKET_TYPE = "_PM Type"
OUTGOING = "_PM Outgoing"
TARGETS = [
	{"priority": p, "response_minutes": r, "resolution_minutes": s}
	for p, (r, s) in {"Urgent": (15, 60), "High": (30, 240), "Medium": (60, 480), "Low": (120, 960)}.items()
]
# doctype -> the field that says who owns a record (for the takeover and give-away attempts)
OWNER_FIELDS = {
	"SMO Service": "service_owner",
	"SMO Service Level Agreement": "service",
	"SMO Policy": "policy_owner",
	"SMO Improvement": "improvement_owner",
}


def owner_value(doctype: str, user: str) -> str:
	"""The owner field's value that makes `user` the owner (for agreements: a service of theirs)."""
	if doctype == "SMO Service Level Agreement":
		return OWN_SVC if user == OWNER else OTHER_SVC
	return user


def approver_for(owner: str) -> str:
	return OWNER if owner == MANAGER else MANAGER


def new_values(doctype: str, tag: str, owner: str) -> dict:
	"""A valid new record of `doctype` owned by `owner` (where records have owners)."""
	if doctype == "SMO Service":
		return {
			"service_code": f"_PMN-{tag}",
			"service_name": f"New {tag}",
			"lifecycle_stage": "Pipeline",
			"status": "Design",
			"service_owner": owner,
		}
	if doctype == "SMO Service Level Agreement":
		return {
			"agreement_name": f"_PMN {tag}",
			"agreement_type": "SLA",
			"service": owner_value(doctype, owner),
			"status": "Draft",
			"valid_from": "2026-01-01",
			"compliance_target": 95,
			"targets": TARGETS,
		}
	if doctype == "SMO Business Calendar":
		return {
			"calendar_name": f"_PMN {tag}",
			"timezone": "Europe/Rome",
			"windows": [{"weekday": "Monday", "start_time": "09:00:00", "end_time": "17:00:00"}],
		}
	if doctype == "SMO Service Mapping Rule":
		return {"sequence": 900, "enabled": 0, "service": OTHER_SVC, "ticket_type": TICKET_TYPE}
	if doctype == "SMO Policy":
		return {
			"title": f"New {tag}",
			"policy_code": f"_PMN-{tag}",
			"version": "1.0",
			"document_type": "Policy",
			"policy_owner": owner,
			"approver": approver_for(owner),
			"effective_from": "2026-01-01",
			"review_every_months": 12,
		}
	if doctype == "SMO Framework Practice":
		return {"practice_code": f"_PMN-{tag}", "practice_name": f"New {tag}", "framework": "Other"}
	if doctype == "SMO Improvement":
		return {"title": f"New {tag}", "source": "Review", "improvement_owner": owner}
	if doctype == "SMO PMO Liaison":
		return {
			"service": OTHER_SVC,
			"project": f"PMN-{tag}",
			"relationship": "Change to Service",
			"project_source": "PMO Site",
		}
	if doctype == "SMO KPI Definition":
		return {
			"kpi_name": f"_PMN KPI {tag}",
			"metric": "resolution_compliance",
			"direction": "Higher is better",
			"target": 95,
			"amber_threshold": 90,
			"red_threshold": 85,
			"service": OTHER_SVC,
		}
	if doctype == "SMO KPI Measurement":
		return {"kpi": KPI, "period_start": measurement_period(tag), "value": 42}
	if doctype == "SMO Ticket SLA":
		return {"ticket": ticket_of(OTHER_SVC), "agreement": "_PM ACTIVE SLA"}
	if doctype == "SMO Ticket Event":
		return {"ticket": ticket_of(OTHER_SVC), "event_time": "2026-01-01 10:00:00", "field": "priority"}
	if doctype == "SMO SLA Statement":
		return {"customer": PORTAL_CUSTOMER, "month": "2025-12"}
	if doctype == "SMO Budget Alert":
		return {"service": ACTIVE_SVC, "agreement": "_PM ACTIVE SLA", "period_start": "2025-12-01"}
	if doctype == "SMO Helpdesk Verdict":
		return {"ticket": ticket_of(OTHER_SVC), "agreement_status": "Fulfilled"}
	raise AssertionError(f"no new-record values for {doctype}")


KPI = "_PM KPI"
_PERIODS: dict[str, str] = {}


def measurement_period(tag: str) -> str:
	"""A month of its own for each tag (measurements are unique per KPI and period)."""
	if tag not in _PERIODS:
		n = len(_PERIODS)
		_PERIODS[tag] = f"{2001 + n // 12}-{n % 12 + 1:02d}-01"
	return _PERIODS[tag]


def ticket_of(service: str) -> str:
	return str(frappe.db.get_value("HD Ticket", {"subject": ("like", "_PM %")}, "name"))


def slug(persona: str) -> str:
	return f"P{contract.PERSONAS.index(persona)}"


# doctype -> (field, value maker) of a harmless change
CHANGES = {
	"SMO Service": ("category", lambda tag: f"cat {tag}"),
	"SMO Service Level Agreement": ("compliance_target", lambda tag: 90 + len(tag) % 9),
	"SMO Business Calendar": ("description", lambda tag: f"desc {tag}"),
	"SMO Service Mapping Rule": ("sequence", lambda tag: 500 + len(tag)),
	"SMO Ticket SLA": ("priority", lambda tag: "Low"),
	"SMO Ticket Event": ("value", lambda tag: f"v {tag}"),
	"SMO Policy": ("title", lambda tag: f"title {tag}"),
	"SMO Framework Practice": ("description", lambda tag: f"desc {tag}"),
	"SMO Improvement": ("expected_benefit", lambda tag: f"benefit {tag}"),
	"SMO PMO Liaison": ("pmo_contact", lambda tag: f"contact {tag}"),
	"SMO Settings": ("policy_review_warning_days", lambda tag: 20 + len(tag) % 9),
	"SMO Charter": ("vision", lambda tag: f"vision {tag}"),
	"SMO SLA Statement": ("recipients", lambda tag: f"someone-{len(tag)}@example.com"),
	"SMO Budget Alert": ("projected_compliance", lambda tag: 10 + len(tag) % 9),
	"SMO Helpdesk Verdict": ("agreement_status", lambda tag: f"status {tag}"),
	"SMO KPI Definition": ("description", lambda tag: f"desc {tag}"),
	"SMO KPI Measurement": ("note", lambda tag: f"note {tag}"),
}


def restore_single(doctype: str, field: str, value) -> None:
	frappe.db.set_single_value(doctype, field, value)
	frappe.clear_document_cache(doctype, doctype)
	frappe.db.commit()  # nosemgrep


def delete_all(doctype: str, filters) -> None:
	for name in frappe.get_all(doctype, filters=filters, pluck="name"):
		frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)


def cleanup() -> None:
	frappe.set_user("Administrator")
	remove_imported()
	kpis = frappe.get_all("SMO KPI Definition", filters={"kpi_name": ("like", "_PM%")}, pluck="name")
	if kpis:
		frappe.db.delete("SMO KPI Measurement", {"kpi": ("in", kpis)})
		delete_all("SMO KPI Definition", {"name": ("in", kpis)})
	tickets = frappe.get_all("HD Ticket", filters={"subject": ("like", "_PM %")}, pluck="name")
	for ticket in tickets:
		frappe.delete_doc("HD Ticket", ticket, force=True, ignore_permissions=True)
	for doctype, filters in (
		("SMO SLA Statement", {"customer": PORTAL_CUSTOMER}),
		("SMO Budget Alert", {"service": ("like", "_PM%")}),
		("SMO Service Mapping Rule", {"ticket_type": TICKET_TYPE}),
		("SMO PMO Liaison", {"service": ("like", "_PM%")}),
		("SMO Improvement", {"title": ("like", "_PM%")}),
		("SMO Improvement", {"title": ("like", "New %")}),
		("SMO Policy", {"policy_code": ("like", "_PM%")}),
		("SMO Framework Practice", {"practice_code": ("like", "_PM%")}),
		("SMO Service Level Agreement", {"service": ("like", "_PM%")}),
		("SMO Business Calendar", {"calendar_name": ("like", "_PM%")}),
		("SMO Service", {"service_code": ("like", "_PM%")}),
	):
		if doctype == "SMO Service Level Agreement":
			for name in frappe.get_all(doctype, filters=filters, pluck="name"):
				frappe.db.delete("SMO Ticket SLA", {"agreement": name})
		delete_all(doctype, filters)
	frappe.db.set_single_value("HD Settings", "restrict_tickets_by_agent_group", 0)
	if frappe.db.exists("Email Account", OUTGOING):
		frappe.delete_doc("Email Account", OUTGOING, force=True, ignore_permissions=True)
	frappe.db.commit()  # nosemgrep


class MatrixTestCase(SMOTestCase):
	"""Committed fixtures: services and records owned by OWNER and by OTHER_OWNER, an Active agreement judging
	two tickets (one in a team the agent belongs to, one outside), a clock and an event of each."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cleanup()
		set_settings(enabled=1)
		make_calendar("_PM Calendar")
		if not frappe.db.exists("HD Ticket Type", TICKET_TYPE):
			frappe.get_doc({"doctype": "HD Ticket Type", "name": TICKET_TYPE}).insert(ignore_permissions=True)
		make_team(TEAM_OUT)
		make_team(TEAM_IN)
		team = frappe.get_doc("HD Team", TEAM_IN)
		members = {row.user for row in team.users}
		for user in (AGENT, HELPDESK_ADMIN):
			if user not in members:
				team.append("users", {"user": user})
		team.save(ignore_permissions=True)
		make_service(OWN_SVC, service_owner=OWNER)
		make_service(OTHER_SVC, service_owner=OTHER_OWNER)
		make_service(ACTIVE_SVC, service_owner=OTHER_OWNER)
		make_agreement("_PM OWN SLA", OWN_SVC, status="Draft")
		make_agreement("_PM OTHER SLA", OTHER_SVC, status="Draft")
		make_agreement("_PM ACTIVE SLA", ACTIVE_SVC, calendar="_PM Calendar")
		make_agreement("_PM ACTIVE OLA", ACTIVE_SVC, "OLA", team=TEAM_IN, calendar="_PM Calendar")
		cls.ticket_in = str(
			make_ticket("_PM in", smo_service=ACTIVE_SVC, agent_group=TEAM_IN, priority="High").name
		)
		cls.ticket_out = str(
			make_ticket("_PM out", smo_service=ACTIVE_SVC, agent_group=TEAM_OUT, priority="High").name
		)
		cls.portal_ticket = str(
			make_ticket(
				"_PM portal",
				smo_service=ACTIVE_SVC,
				agent_group=TEAM_IN,
				priority="High",
				raised_by=PORTAL,
				customer=PORTAL_CUSTOMER,
			).name
		)
		with frozen("2026-03-02 09:00:00"):
			cls.late_ticket = str(
				make_ticket(
					"_PM late",
					smo_service=ACTIVE_SVC,
					agent_group=TEAM_IN,
					priority="High",
					customer=PORTAL_CUSTOMER,
				).name
			)
		recompute_tickets([cls.late_ticket])  # judged now: long past its target
		cls.clock_in = frappe.get_value("SMO Ticket SLA", {"ticket": cls.ticket_in, "agreement_type": "SLA"})
		cls.clock_out = frappe.get_value(
			"SMO Ticket SLA", {"ticket": cls.ticket_out, "agreement_type": "SLA"}
		)
		cls.event = frappe.get_value("SMO Ticket Event", {"ticket": cls.ticket_in})
		for owner, tag in ((OWNER, "OWN"), (OTHER_OWNER, "OTHER")):
			make_policy(f"_PM-POL-{tag}", policy_owner=owner, approver=MANAGER)
			make_improvement(f"_PM improvement {tag}", improvement_owner=owner)
		if not frappe.db.exists("SMO Framework Practice", "_PM-FP"):
			values = new_values("SMO Framework Practice", "FP", MANAGER) | {"practice_code": "_PM-FP"}
			frappe.get_doc({"doctype": "SMO Framework Practice", **values}).insert(ignore_permissions=True)
		cls.liaison = make_liaison(OTHER_SVC, project="PM-LIAISON").name
		# a KPI (of another owner's service) and one measurement of it
		frappe.get_doc(
			{"doctype": "SMO KPI Definition", **new_values("SMO KPI Definition", "K", ""), "kpi_name": KPI}
		).insert(ignore_permissions=True, set_name=KPI)
		cls.measurement = (
			frappe.get_doc(
				{"doctype": "SMO KPI Measurement", "kpi": KPI, "period_start": "2000-01-01", "value": 40}
			)
			.insert(ignore_permissions=True)
			.name
		)
		cls.rule = (
			frappe.get_doc(
				{"doctype": "SMO Service Mapping Rule", **new_values("SMO Service Mapping Rule", "R", "")}
			)
			.insert(ignore_permissions=True)
			.name
		)
		cls.statement = generate_statement(PORTAL_CUSTOMER, "2026-03")
		cls.budget_alert = make_budget_alert(ACTIVE_SVC, "_PM ACTIVE SLA", "2026-03-01").name
		verdict = frappe.get_doc(
			{"doctype": "SMO Helpdesk Verdict", "ticket": cls.ticket_in, "agreement_status": "Fulfilled"}
		)
		verdict.flags.smo_system = True
		cls.verdict = verdict.insert(ignore_permissions=True).name
		if not frappe.db.exists("Email Account", OUTGOING):  # statements are e-mailed through the Email Queue
			frappe.get_doc(
				{
					"doctype": "Email Account",
					"email_account_name": OUTGOING,
					"email_id": "smo-tests@example.com",
					"enable_outgoing": 1,
					"default_outgoing": 1,
					"smtp_server": "localhost",
					"no_smtp_authentication": 1,
				}
			).insert(ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: the requests read these on their own connections

	@classmethod
	def tearDownClass(cls):
		cleanup()
		super().tearDownClass()

	def setUp(self):
		frappe.set_user("Administrator")

	# -- the record of each doctype a persona acts on
	def record(self, doctype: str, owner: str = OTHER_OWNER) -> str:
		tag = "OWN" if owner == OWNER else "OTHER"
		return {
			"SMO Service": OWN_SVC if owner == OWNER else OTHER_SVC,
			"SMO Service Level Agreement": f"_PM {tag} SLA",
			"SMO Business Calendar": "_PM Calendar",
			"SMO Service Mapping Rule": self.rule,
			"SMO Ticket SLA": self.clock_in,
			"SMO Ticket Event": self.event,
			"SMO Policy": f"_PM-POL-{tag}-v1.0",
			"SMO Framework Practice": "_PM-FP",
			"SMO Improvement": frappe.db.get_value("SMO Improvement", {"title": f"_PM improvement {tag}"}),
			"SMO PMO Liaison": self.liaison,
			"SMO Settings": "SMO Settings",
			"SMO Charter": "SMO Charter",
			"SMO SLA Statement": self.statement,
			"SMO Budget Alert": self.budget_alert,
			"SMO Helpdesk Verdict": self.verdict,
			"SMO KPI Definition": KPI,
			"SMO KPI Measurement": self.measurement,
		}[doctype]

	def throwaway(self, doctype: str, tag: str) -> str:
		"""A fresh record to delete, made as Administrator and committed."""
		if doctype in contract.SYSTEM_WRITTEN:
			return self.record(doctype)
		if doctype == "SMO Budget Alert":  # written by the daily job only
			name = make_budget_alert(ACTIVE_SVC, "_PM ACTIVE SLA", f"2025-{int(tag[1:]) + 1:02d}-01").name
			frappe.db.commit()  # nosemgrep
			return name
		if doctype == "SMO SLA Statement":  # made by the system only
			month = f"2025-{int(tag[1:]) + 1:02d}"  # tag is slug(persona): P<index>
			name = generate_statement(PORTAL_CUSTOMER, month)
			frappe.db.commit()  # nosemgrep
			return name
		values = new_values(doctype, f"D{tag}", OTHER_OWNER)
		name = frappe.get_doc({"doctype": doctype, **values}).insert(ignore_permissions=True).name
		frappe.db.commit()  # nosemgrep
		return name


class TestDoctypeMatrix(MatrixTestCase):
	def test_contract_names_every_smo_doctype(self):
		doctypes = set(frappe.get_all("DocType", filters={"module": "SMO", "istable": 0}, pluck="name"))
		self.assertEqual(
			doctypes, set(contract.DOCTYPES), "each SMO doctype needs its row in contract.DOCTYPES"
		)

	def test_read(self):
		for doctype in contract.DOCTYPES:
			for persona, user in USERS.items():
				with self.subTest(doctype=doctype, persona=persona):
					self.check_read(doctype, persona, user)

	def check_read(self, doctype: str, persona: str, user: str):
		reach = contract.allowed(doctype, persona, READ)
		name = self.record(doctype)
		if doctype == "SMO Ticket SLA" and reach == TICKETS:
			name = self.clock_in  # a clock of a ticket in the agent's own team
		answer = session(user).read(doctype, name)
		if reach is None:
			self.assertIn(answer.status, DENIED, answer)
			self.assertNotIn('"data"', answer.text)
			return
		self.assertEqual(answer.status, 200, answer)
		self.assertEqual(str(answer.data["name"]), str(name))
		if doctype in contract.SINGLES:
			return
		# the list and Report Builder (reportview) answer with the same rule
		listed = session(user).list(doctype, fields=["name"])
		self.assertEqual(listed.status, 200, listed)
		self.assertIn(str(name), [str(r["name"]) for r in listed.data])
		built = session(user).call("frappe.desk.reportview.get", doctype=doctype, fields=json.dumps(["name"]))
		self.assertEqual(built.status, 200, built)

	def test_denied_reads_are_denied_everywhere(self):
		for doctype in contract.DOCTYPES:
			if doctype in contract.SINGLES:
				continue
			for persona, user in USERS.items():
				if contract.allowed(doctype, persona, READ) is not None:
					continue
				with self.subTest(doctype=doctype, persona=persona):
					self.assertIn(session(user).list(doctype).status, DENIED)
					answer = session(user).call(
						"frappe.desk.reportview.get", doctype=doctype, fields=json.dumps(["name"])
					)
					self.assertIn(answer.status, DENIED, answer)

	def test_write(self):
		for doctype in contract.DOCTYPES:
			for persona, user in USERS.items():
				with self.subTest(doctype=doctype, persona=persona):
					self.check_write(doctype, persona, user)

	def check_write(self, doctype: str, persona: str, user: str):
		reach = contract.allowed(doctype, persona, WRITE)
		field, value_for = CHANGES[doctype]
		tag = f"{persona}-{doctype}"
		targets = [(self.record(doctype, OTHER_OWNER), reach == ALL)]
		if reach == OWN:
			targets = [(self.record(doctype, OWNER), True), (self.record(doctype, OTHER_OWNER), False)]
		for name, may in targets:
			if doctype in contract.SINGLES:
				before = frappe.db.get_single_value(doctype, field)
				self.addCleanup(restore_single, doctype, field, before)
			else:
				before = frappe.db.get_value(doctype, name, field)
			value = value_for(tag)
			answer = session(user).update(doctype, name, {field: value})
			if may:
				self.assertEqual(answer.status, 200, answer)
				stored = frappe.db.get_value(doctype, name, field)
				self.assertEqual(str(stored), str(value)) if isinstance(value, str) else self.assertEqual(
					flt(stored), value
				)
			else:
				self.assertIn(answer.status, DENIED, answer)
				stored = (
					frappe.db.get_single_value(doctype, field)
					if doctype in contract.SINGLES
					else frappe.db.get_value(doctype, name, field)
				)
				self.assertEqual(str(stored), str(before))

	def test_create(self):
		for doctype in contract.DOCTYPES:
			if doctype in contract.SINGLES:
				continue
			for persona, user in USERS.items():
				with self.subTest(doctype=doctype, persona=persona):
					self.check_create(doctype, persona, user)

	def check_create(self, doctype: str, persona: str, user: str):
		reach = contract.allowed(doctype, persona, CREATE)
		tag = slug(persona)
		attempts = [(OTHER_OWNER, reach == ALL, "A")]
		if reach == OWN:
			attempts = [(user, True, "S"), (OTHER_OWNER, False, "O")]
		for owner, may, suffix in attempts:
			values = new_values(doctype, f"{tag}{suffix}", owner)
			count = frappe.db.count(doctype)
			answer = session(user).create(doctype, values)
			if may:
				self.assertEqual(answer.status, 200, answer)
				self.assertTrue(frappe.db.exists(doctype, answer.data["name"]))
			else:
				self.assertIn(answer.status, DENIED, answer)
				self.assertEqual(frappe.db.count(doctype), count)

	def test_delete(self):
		for doctype in contract.DOCTYPES:
			if doctype in contract.SINGLES:
				continue
			for persona, user in USERS.items():
				with self.subTest(doctype=doctype, persona=persona):
					reach = contract.allowed(doctype, persona, DELETE)
					name = self.throwaway(doctype, slug(persona))
					answer = session(user).remove(doctype, name)
					if reach == ALL:
						self.assertIn(answer.status, (200, 202), answer)
						self.assertFalse(frappe.db.exists(doctype, name))
					else:
						self.assertIn(answer.status, DENIED, answer)
						self.assertTrue(frappe.db.exists(doctype, name))

	def test_owners_can_neither_take_over_nor_give_away(self):
		"""Judged on the stored record and on the new values (PERSONAS.md, rules that hold everywhere)."""
		for doctype, field in OWNER_FIELDS.items():
			with self.subTest(doctype=doctype, attempt="take over"):
				name = self.record(doctype, OTHER_OWNER)
				before = frappe.db.get_value(doctype, name, field)
				answer = session(OWNER).update(doctype, name, {field: owner_value(doctype, OWNER)})
				self.assertIn(answer.status, DENIED, answer)
				self.assertEqual(frappe.db.get_value(doctype, name, field), before)
			with self.subTest(doctype=doctype, attempt="give away"):
				name = self.record(doctype, OWNER)
				before = frappe.db.get_value(doctype, name, field)
				answer = session(OWNER).update(doctype, name, {field: owner_value(doctype, OTHER_OWNER)})
				self.assertIn(answer.status, DENIED, answer)
				self.assertEqual(frappe.db.get_value(doctype, name, field), before)

	def test_agents_read_only_the_clocks_of_tickets_they_may_read(self):
		frappe.db.set_single_value("HD Settings", "restrict_tickets_by_agent_group", 1)
		frappe.db.commit()  # nosemgrep
		try:
			agent = session(AGENT)
			self.assertEqual(agent.read("SMO Ticket SLA", self.clock_in).status, 200)
			self.assertIn(agent.read("SMO Ticket SLA", self.clock_out).status, DENIED)
			listed = agent.list("SMO Ticket SLA", fields=["ticket"], filters={"service": ACTIVE_SVC})
			self.assertEqual(listed.status, 200, listed)
			tickets = {str(r["ticket"]) for r in listed.data}
			self.assertIn(self.ticket_in, tickets)
			self.assertNotIn(self.ticket_out, tickets)
			clocks = agent.call(
				"smo_extension.api.sla.get_ticket_clocks",
				ticket=helpdesk_compat.ticket_as_sent(self.ticket_out),
			)
			self.assertIn(clocks.status, DENIED, clocks)
			# SMO staff read every clock, on both paths
			analyst = session(ANALYST)
			self.assertEqual(analyst.read("SMO Ticket SLA", self.clock_out).status, 200)
			answer = analyst.call(
				"smo_extension.api.sla.get_ticket_clocks",
				ticket=helpdesk_compat.ticket_as_sent(self.ticket_out),
			)
			self.assertEqual(answer.status, 200, answer)
			self.assertEqual({c["agreement"] for c in answer.data}, {"_PM ACTIVE SLA"})
		finally:
			frappe.db.set_single_value("HD Settings", "restrict_tickets_by_agent_group", 0)
			frappe.db.commit()  # nosemgrep


# method -> arguments of a valid call (a callable of the test case)
def method_args(case: MatrixTestCase, method: str) -> dict:
	return {
		"smo_extension.api.sla.get_ticket_clocks": {
			"ticket": helpdesk_compat.ticket_as_sent(case.portal_ticket)
		},
		"smo_extension.api.catalog.get_service_catalog": {},
		"smo_extension.api.catalog.get_service": {"service": OTHER_SVC},
		"smo_extension.api.catalog.search_customers": {"doctype": "HD Customer", "txt": "_SMO"},
		"smo_extension.api.governance.get_policies_due_for_review": {},
		"smo_extension.api.governance.get_service_liaisons": {"service": OTHER_SVC},
		"smo_extension.api.governance.get_improvements": {},
		"smo_extension.api.governance.get_charter": {},
		"smo_extension.smo.doctype.smo_business_calendar.smo_business_calendar.get_timezones": {},
		"smo_extension.api.statements.generate_statement": {"customer": PORTAL_CUSTOMER, "month": "2026-02"},
		"smo_extension.api.statements.get_my_statements": {},
		"smo_extension.api.statements.download_statement": {"statement": case.statement},
		"smo_extension.api.sla.what_if": {
			"agreement": "_PM OWN SLA",  # OWN reach: the Service Owner's own service
			"from_date": "2026-03-01",
			"to_date": "2026-03-31",
		},
		"smo_extension.api.sla.get_time_ledger": {
			"ticket": helpdesk_compat.ticket_as_sent(case.portal_ticket)
		},
		"smo_extension.api.kpi.measure": {"definition": KPI, "period_start": "2026-01-01"},
		"smo_extension.api.kpi.get_scorecard": {},
		"smo_extension.api.kpi.get_metrics": {},
		"smo_extension.api.kpi.red_kpi_count": {},
		"smo_extension.api.kpi.services_below_target_count": {},
		"smo_extension.api.helpdesk.get_list_data": {"doctype": "HD Ticket", "is_default": True},
		"smo_extension.api.helpdesk.get_quick_filters": {
			"doctype": "HD Ticket",
			"show_customer_portal_fields": True,
		},
		"smo_extension.api.workspace.sla_breaches_this_month": {},
		"smo_extension.smo.dashboard_chart_source.smo_clock_states.smo_clock_states.get": {},
		# the import makes Draft agreements and disabled rules only (removed again by the tests' cleanup)
		"smo_extension.api.adopt.preview_helpdesk_import": {},
		"smo_extension.api.adopt.import_helpdesk_slas": {},
		"smo_extension.api.adopt.switch_to_smo": {"dry_run": True},
	}[method]


def import_all_modules() -> None:
	"""Functions are whitelisted when their module is imported: import every module of the app first."""
	import pkgutil

	import smo_extension

	for module in pkgutil.walk_packages(smo_extension.__path__, "smo_extension."):
		if ".tests" not in module.name and not module.name.startswith("smo_extension.patches"):
			frappe.get_module(module.name)


def whitelisted_smo_functions() -> set[str]:
	import_all_modules()
	names = set()
	for fn in frappe.whitelisted:
		module = getattr(fn, "__module__", "") or ""
		if module.startswith("smo_extension.") and "." not in fn.__qualname__:
			names.add(f"{module}.{fn.__name__}")
	return names


def whitelisted_smo_doc_methods() -> set[str]:
	names = set()
	for doctype in frappe.get_all("DocType", filters={"module": "SMO"}, pluck="name"):
		controller = frappe.get_doc({"doctype": doctype}).__class__
		for attr, fn in inspect.getmembers(controller, inspect.isfunction):
			if fn in frappe.whitelisted and fn.__module__.startswith("smo_extension."):
				names.add(f"{doctype}.{attr}")
	return names


class TestMethodMatrix(MatrixTestCase):
	def test_contract_names_every_whitelisted_method(self):
		self.assertEqual(
			whitelisted_smo_functions() | whitelisted_smo_doc_methods(),
			set(contract.METHODS),
			"each whitelisted function and controller method needs its row in contract.METHODS",
		)

	def test_functions(self):
		for method, personas in contract.METHODS.items():
			if method.startswith("SMO "):
				continue
			for persona, user in USERS.items():
				with self.subTest(method=method, persona=persona):
					answer = session(user).call(method, **method_args(self, method))
					if persona in personas:
						self.assertEqual(answer.status, 200, answer)
					else:
						self.assertIn(answer.status, DENIED, answer)

	def test_controller_methods(self):
		published = make_policy("_PM-PUB", status="Published", policy_owner=OWNER, approver=MANAGER).name
		other = make_policy("_PM-PUB-O", status="Published", policy_owner=OTHER_OWNER, approver=MANAGER).name
		frappe.db.commit()  # nosemgrep
		calls = {
			"SMO Service Level Agreement.repair_clocks": [("_PM ACTIVE SLA", {}, None)],
			"SMO Policy.mark_reviewed": [(published, {}, OWNER), (other, {}, OTHER_OWNER)],
			"SMO Policy.make_new_version": [
				(published, {"version": "2.{n}"}, OWNER),
				(other, {"version": "2.{n}"}, OTHER_OWNER),
			],
			"SMO PMO Liaison.sync_now": [(self.liaison, {}, None)],
			"SMO SLA Statement.send_to_contacts": [(self.statement, {}, None)],
		}
		n = 0
		for method, personas in contract.METHODS.items():
			if not method.startswith("SMO "):
				continue
			doctype, name_of_method = method.rsplit(".", 1)
			for persona, user in USERS.items():
				for name, args, owned_by in calls[method]:
					n += 1
					args = {k: v.format(n=n) for k, v in args.items()}
					with self.subTest(method=method, persona=persona, record=name):
						answer = session(user).doc_method(doctype, name, name_of_method, **args)
						reach = personas.get(persona)
						may = reach == ALL or (reach == OWN and owned_by == user)
						if may:
							self.assertEqual(answer.status, 200, answer)
						else:
							self.assertIn(answer.status, DENIED, answer)
					frappe.db.delete("SMO Policy", {"supersedes": ("in", [published, other])})
					frappe.db.commit()  # nosemgrep


def report_filter_sets(report: str) -> list[dict]:
	"""Every grouping and option of the report's Select filters, one at a time, plus every Link filter set."""
	module = frappe.get_module(f"smo_extension.smo.report.{frappe.scrub(report)}.{frappe.scrub(report)}")
	from smo_extension.smo.report.filters import Date
	from smo_extension.smo.report.filters import Link
	from smo_extension.smo.report.filters import Select

	links = {
		"SMO Service": ACTIVE_SVC,
		"HD Customer": PORTAL_CUSTOMER,
		"HD Team": TEAM_IN,
		"HD Ticket Priority": "High",
		"SMO Service Level Agreement": "_PM OWN SLA",  # a Service Owner's own, for reports that check it
		"User": OWNER,
		"SMO Framework Practice": "_PM-FP",
	}
	base = {f: "2026-01-01" for f, spec in module.FILTERS.items() if isinstance(spec, Date)}
	if "to_date" in base:
		base["to_date"] = "2026-12-31"
	base |= {f: links[s.doctype] for f, s in module.FILTERS.items() if isinstance(s, Link) and s.required}
	sets = [dict(base)]
	for field, spec in module.FILTERS.items():
		if isinstance(spec, Select):
			sets += [{**base, field: option} for option in spec.options]
	sets.append(
		{
			**base,
			**{
				f: links[s.doctype]
				for f, s in module.FILTERS.items()
				if isinstance(s, Link) and s.doctype in links
			},
		}
	)
	return sets


class TestReportMatrix(MatrixTestCase):
	def test_contract_names_every_smo_report(self):
		self.assertEqual(
			set(frappe.get_all("Report", filters={"module": "SMO"}, pluck="name")), set(contract.REPORTS)
		)

	def test_every_report_opens_with_every_filter_for_its_roles_only(self):
		for report, personas in contract.REPORTS.items():
			filter_sets = report_filter_sets(report)
			for persona, user in USERS.items():
				for filters in filter_sets if persona in personas else filter_sets[:1]:
					with self.subTest(report=report, persona=persona, filters=filters):
						answer = session(user).run_report(report, filters)
						if persona in personas:
							self.assertEqual(answer.status, 200, answer)
							self.assertIn("result", answer.data)
						else:
							self.assertIn(answer.status, DENIED, answer)

	def test_sla_reports_show_the_rows_to_every_smo_role(self):
		"""Frappe's report runner drops rows whose Link columns the reader may not read: SMO staff see every
		breach and every customer group all the same."""
		for user in (MANAGER, ANALYST, OWNER):
			with self.subTest(user=user):
				answer = session(user).run_report(
					"SLA Compliance",
					{
						"from_date": "2020-01-01",
						"to_date": "2030-12-31",
						"group_by": "Customer",
						"service": ACTIVE_SVC,
						"agreement_type": "SLA",
					},
				)
				self.assertEqual(answer.status, 200, answer)
				self.assertIn(PORTAL_CUSTOMER, [r.get("group_value") for r in answer.data["result"]])
				running = sum(r.get("running", 0) for r in answer.data["result"] if isinstance(r, dict))
				self.assertEqual(running, 3, answer.data["result"])
				breaches = session(user).run_report(
					"SLA Breaches",
					{"from_date": "2026-03-01", "to_date": "2026-03-31", "service": ACTIVE_SVC},
				)
				self.assertEqual(breaches.status, 200, breaches)
				rows = [r for r in breaches.data["result"] if isinstance(r, dict)]
				self.assertEqual({str(r["ticket"]) for r in rows}, {self.late_ticket})
				self.assertEqual({r["customer"] for r in rows}, {PORTAL_CUSTOMER})
