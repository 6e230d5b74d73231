"""Tier 3 data on the ERPNext site (`SMO_ERPNEXT_SITE`): Issues judged by an SMO agreement (one breached, one
running, one met), a Contract with the agreement that implements it, a Project with its liaison, and ERPNext's
support user. Run by ./run-tests with `bench execute` before the ERPNext journeys (tests/browser/journeys.py,
the `erpnext` ones)."""

import json
import os
from datetime import timedelta

import frappe
from frappe.utils import add_days
from frappe.utils import now_datetime
from frappe.utils import today

from smo_extension import helpdesk_compat
from smo_extension.tests import factories
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_calendar
from smo_extension.tests.factories import make_customer
from smo_extension.tests.factories import make_service
from smo_extension.tests.factories import set_settings

SUPPORT = "erp.support@example.com"
# an SMO Manager who also keeps the customer contracts and follows the projects in ERPNext (Sales Manager reads
# Contract, Projects User reads Project; an SMO Manager alone reads neither)
CONTRACTS_MANAGER = "smo.contracts@example.com"
PREFIX = "[SMO ERP]"
SERVICE, SERVICE_NAME = "ERPS", "ERP Support"
SLA = "ERP Support SLA"
CONTRACT_SLA = "ERP Gold Contract SLA"
CALENDAR = "ERP 24x7"
ISSUE_TYPE = "SMO Incident"
CUSTOMER = "Gold Trasporti Srl"  # an ERPNext Customer and an HD Customer of the same name
TARGETS = {"Urgent": (15, 120), "High": (30, 240), "Medium": (60, 480), "Low": (120, 960)}


def setup(out: str) -> dict:
	frappe.only_for(("System Manager", "Administrator"))
	frappe.flags.mute_emails = True
	set_settings(enabled=1, judge_erpnext_issues=1, judge_helpdesk_tickets=1)
	factories.ensure_test_users()
	support_user()
	make_calendar(CALENDAR, windows={day: [("00:00", "00:00")] for day in factories.WEEKDAYS})
	make_service(SERVICE, service_name=SERVICE_NAME, service_owner=factories.MANAGER)
	if not frappe.db.exists("Issue Type", ISSUE_TYPE):
		frappe.get_doc({"doctype": "Issue Type", "__newname": ISSUE_TYPE}).insert(
			ignore_permissions=True, set_name=ISSUE_TYPE
		)
	for rule in frappe.get_all("SMO Service Mapping Rule", filters={"service": SERVICE}, pluck="name"):
		frappe.delete_doc("SMO Service Mapping Rule", rule, force=True, ignore_permissions=True)
	frappe.get_doc(
		{"doctype": "SMO Service Mapping Rule", "service": SERVICE, "sequence": 0, "issue_type": ISSUE_TYPE}
	).insert(ignore_permissions=True)
	make_customer(CUSTOMER)
	if not frappe.db.exists("Customer", CUSTOMER):
		frappe.get_doc({"doctype": "Customer", "customer_name": CUSTOMER, "customer_type": "Company"}).insert(
			ignore_permissions=True
		)
	frappe.db.set_value("HD Customer", CUSTOMER, "smo_erpnext_customer", CUSTOMER)
	for old in frappe.get_all("Issue", filters={"subject": ("like", f"{PREFIX}%")}, pluck="name"):
		frappe.delete_doc("Issue", old, force=True, ignore_permissions=True)
		# the naming series gives the name again: its history must not come back with it
		frappe.db.delete("Version", {"ref_doctype": "Issue", "docname": old})
	make_agreement(SLA, SERVICE, calendar=CALENDAR, targets=TARGETS)

	contract = contract_with(CUSTOMER)
	make_agreement(
		CONTRACT_SLA,
		SERVICE,
		calendar=CALENDAR,
		targets=TARGETS,
		customer=CUSTOMER,
		valid_from=add_days(today(), -30),
		valid_to=add_days(today(), 335),
		smo_contract=contract,
	)
	now = now_datetime()
	breached = issue("VPN down for the warehouse", "High", now - timedelta(hours=5))
	running = issue("Label printer offline", "Medium", now - timedelta(minutes=20))
	met = issue("Invoice PDF missing logo", "Medium", now - timedelta(hours=2))
	change(
		met,
		now - timedelta(hours=1, minutes=40),
		status="Replied",
		first_responded_on=now - timedelta(hours=1, minutes=40),
	)
	change(met, now - timedelta(hours=1), status="Resolved")
	gold = issue("Gold: customs documents rejected", "Medium", now - timedelta(minutes=30), customer=CUSTOMER)
	from smo_extension.sla.jobs import scan_due_clocks

	scan_due_clocks(
		inline=True
	)  # what the 5-minute scan does: the clocks move on to now (the breached one breaches)
	project, liaison = project_with_liaison()
	frappe.db.commit()  # nosemgrep: the browser reads these from the server's own connection

	data = {
		"password": factories.test_password(),
		"users": {
			"manager": factories.MANAGER,
			"support": SUPPORT,
			"agent": factories.AGENT,
			"contracts_manager": CONTRACTS_MANAGER,
		},
		"timezone": frappe.utils.get_system_timezone(),
		"helpdesk_version": helpdesk_compat.helpdesk_module("helpdesk").__version__,
		"erpnext": {
			"issues": {"breached": breached, "running": running, "met": met, "gold": gold},
			"states": {
				name: frappe.db.get_value("Issue", name, "smo_sla_state")
				for name in (breached, running, met, gold)
			},
			"sla": SLA,
			"contract_sla": CONTRACT_SLA,
			"contract": contract,
			"project": project,
			"liaison": liaison,
			"service": SERVICE,
			"service_name": SERVICE_NAME,
			"from_date": str(add_days(today(), -30)),
			"to_date": today(),
		},
	}
	fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
	with os.fdopen(fd, "w") as f:
		json.dump(data, f, indent=1, default=str)
	return data["erpnext"]["issues"]


def support_user() -> None:
	factories.make_user(SUPPORT, ("Support Team",), "Giulia", "Supporto")
	factories.make_user(
		CONTRACTS_MANAGER, ("SMO Manager", "Sales Manager", "Projects User"), "Marco", "Contratti"
	)


def issue(subject: str, priority: str, when, **fields) -> str:
	from freezegun import freeze_time

	with freeze_time(when):
		doc = frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": f"{PREFIX} {subject}",
				"issue_type": ISSUE_TYPE,
				"priority": priority,
				"raised_by": "buyer@example.com",
				**fields,
			}
		).insert(ignore_permissions=True)
	return doc.name


def change(name: str, when, **values) -> None:
	from freezegun import freeze_time

	with freeze_time(when):
		doc = frappe.get_doc("Issue", name)
		doc.update(values)
		doc.save(ignore_permissions=True)


def contract_with(customer: str) -> str:
	existing = frappe.get_all(
		"Contract", filters={"party_type": "Customer", "party_name": customer}, pluck="name", limit=1
	)
	if existing:
		return existing[0]
	return (
		frappe.get_doc(
			{
				"doctype": "Contract",
				"party_type": "Customer",
				"party_name": customer,
				"start_date": add_days(today(), -60),
				"end_date": add_days(today(), 365),
				"contract_terms": "Support of the warehouse systems, 24x7.",
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def project_with_liaison() -> tuple[str, str]:
	from smo_extension.pmo.sync import sync_liaison

	name = frappe.db.get_value("Project", {"project_name": "Warehouse WMS upgrade"}, "name")
	if not name:
		name = (
			frappe.get_doc(
				{
					"doctype": "Project",
					"project_name": "Warehouse WMS upgrade",
					"status": "Open",
					"percent_complete_method": "Manual",
					"percent_complete": 65,
					"expected_start_date": add_days(today(), -40),
					"expected_end_date": add_days(today(), 20),
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	liaison = frappe.db.get_value("SMO PMO Liaison", {"project": name, "project_source": "This Site"}, "name")
	if not liaison:
		liaison = (
			frappe.get_doc(
				{
					"doctype": "SMO PMO Liaison",
					"service": SERVICE,
					"relationship": "Change to Service",
					"transition_stage": "Build",
					"project_source": "This Site",
					"project": name,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	sync_liaison(liaison)
	return name, liaison
