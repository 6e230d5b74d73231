"""The data of the browser tier (tier 3), made on the browser site by `./run-tests` before the journeys:

    bench --site <browser site> execute smo_extension.tests.browser.fixtures.setup --kwargs '{"out": "<file>"}'

The personas of PERSONAS.md (the site-test users of `factories`, with a password made anew on every run), a
24x7 calendar (so the states do not depend on the hour the tests run), a service with an SLA and an OLA, and
tickets whose clocks are running, breached, about to be paused and resolved by the agent, and one of the portal
customer. What the journeys need to know (password, ticket names, the states and due times the SMO computed,
the filters of every report of the contract) goes to `out`, a file outside the repository that `./run-tests`
deletes again. Running it again replaces the tickets it made.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta

import frappe
from frappe.utils import add_days
from frappe.utils import now_datetime
from frappe.utils import today

from smo_extension import erpnext_compat
from smo_extension import helpdesk_compat
from smo_extension.contract import REPORTS
from smo_extension.tests import factories
from smo_extension.tests.factories import AGENT
from smo_extension.tests.factories import ANALYST
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import PORTAL
from smo_extension.tests.factories import PORTAL_CUSTOMER
from smo_extension.tests.factories import frozen
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_calendar
from smo_extension.tests.factories import make_improvement
from smo_extension.tests.factories import make_policy
from smo_extension.tests.factories import make_service
from smo_extension.tests.factories import make_team
from smo_extension.tests.factories import make_ticket
from smo_extension.tests.factories import set_settings

PREFIX = "[browser]"
MANAGER_IT = "smo.manager.it@example.com"
CALENDAR = "_Browser 24x7"
SERVICE = "_BRW"
SERVICE_NAME = "Browser Test Service (internal)"
TEAM = "_Browser Team"
SLA = "_BRW Customer SLA"
OLA = "_BRW Internal OLA"
# a second service, live since a week ago, in hypercare (its own tickets, so the first service's stay plain)
HC_SERVICE = "_BRW-HC"
HC_SLA = "_BRW-HC Standard SLA"
# response, resolution business minutes per priority (24x7: business time is wall time; a window ending at
# 00:00 ends at midnight)
TARGETS = {"Urgent": (30, 120), "High": (120, 480), "Medium": (240, 960), "Low": (480, 1920)}


def setup(out: str) -> dict:
	"""Make the data and write what the journeys need to `out` (created with mode 0600)."""
	frappe.only_for(("System Manager", "Administrator"))
	frappe.flags.mute_emails = True
	set_settings(enabled=1, drive_helpdesk_sla=1)
	factories.ensure_test_users()  # the personas, with this process's fresh random password
	make_italian_manager()
	make_calendar(CALENDAR, windows={day: [("00:00", "00:00")] for day in factories.WEEKDAYS})
	make_team(TEAM)
	make_service(SERVICE, service_name=SERVICE_NAME, support_team=TEAM, service_owner=MANAGER)
	for old in frappe.get_all("HD Ticket", filters={"subject": ("like", f"{PREFIX}%")}, pluck="name"):
		frappe.delete_doc("HD Ticket", old, force=True, ignore_permissions=True)
	make_agreement(SLA, SERVICE, calendar=CALENDAR, targets=TARGETS, compliance_target=95)
	make_agreement(OLA, SERVICE, agreement_type="OLA", team=TEAM, calendar=CALENDAR, targets=TARGETS)

	common = {"smo_service": SERVICE, "agent_group": TEAM}
	running = make_ticket(f"{PREFIX} Mailbox quota reached", priority="Medium", **common).name
	flow = make_ticket(f"{PREFIX} Printer queue stuck", priority="High", **common).name
	portal = make_ticket(
		f"{PREFIX} Invoice portal is slow",
		priority="Medium",
		raised_by=PORTAL,
		customer=PORTAL_CUSTOMER,
		**common,
	).name
	# opened ten hours ago as Urgent (30 / 120 minutes): both clocks are long breached
	with frozen(str(now_datetime() - timedelta(hours=10))):
		breached = make_ticket(f"{PREFIX} VPN down for the whole office", priority="Urgent", **common).name
	# and one resolved in time last week, so the reports have a met clock too
	with frozen(str(now_datetime() - timedelta(days=7))):
		met = make_ticket(f"{PREFIX} Password reset", priority="High", **common)
	with frozen(str(now_datetime() - timedelta(days=7) + timedelta(minutes=45))):
		met.reload()
		met.status = "Resolved"
		met.save(ignore_permissions=True)

	# the governance pages have something to show: a published policy due for review, an open improvement
	if not frappe.db.exists("SMO Policy", {"policy_code": "_BRW-POL"}):
		make_policy(
			"_BRW-POL",
			status="Published",
			policy_owner=MANAGER,
			approver=factories.OWNER,
			effective_from=str(add_days(today(), -350)),
		)
	if not frappe.db.exists("SMO Improvement", {"title": f"{PREFIX} Faster VPN failover"}):
		make_improvement(
			f"{PREFIX} Faster VPN failover", service=SERVICE, improvement_owner=MANAGER, priority="High"
		)

	# issue 12's pages: a liaison in hypercare, and last month's statement of the portal customer
	make_service(
		HC_SERVICE, service_name="Browser Hypercare Service", support_team=TEAM, service_owner=MANAGER
	)
	make_agreement(HC_SLA, HC_SERVICE, calendar=CALENDAR, targets=TARGETS)
	for old_liaison in frappe.get_all("SMO PMO Liaison", filters={"service": HC_SERVICE}, pluck="name"):
		frappe.delete_doc("SMO PMO Liaison", old_liaison, force=True, ignore_permissions=True)
	liaison = factories.make_hypercare(
		HC_SERVICE,
		str(add_days(today(), -7)),
		str(add_days(today(), 21)),
		calendar=CALENDAR,
		project="PROJ-BROWSER-HC",
	).name
	hypercare_ticket = make_ticket(
		f"{PREFIX} New mail gateway drops attachments", priority="High", smo_service=HC_SERVICE
	).name
	from smo_extension.api.statements import generate_statement

	last_month = str(add_days(today(), -today_day())).rsplit("-", 1)[0]
	statement = generate_statement(PORTAL_CUSTOMER, last_month)

	# issue 17's preview: tickets Helpdesk's own SLA judges (no SMO service), to compare with what the import
	# would make; one answered at night after its due time (Helpdesk: failed; the SMO: met)
	helpdesk_only = []
	for days_ago, hour, priority, answered_after in ((3, 11, "High", 0.5), (5, 9, "Medium", 12)):
		opened = now_datetime().replace(hour=hour, minute=0, second=0, microsecond=0) - timedelta(
			days=days_ago
		)
		with frozen(str(opened)):
			ticket = make_ticket(f"{PREFIX} Helpdesk only {days_ago}", priority=priority)
		with frozen(str(opened + timedelta(hours=answered_after))):
			ticket.reload()
			ticket.first_responded_on = now_datetime()
			ticket.save(ignore_permissions=True)
		helpdesk_only.append(str(ticket.name))

	from smo_extension.sla.jobs import recompute_tickets

	tickets = {"running": running, "flow": flow, "portal": portal, "breached": breached, "met": met.name}
	recompute_tickets([str(t) for t in tickets.values()])
	frappe.db.commit()  # nosemgrep: a bench execute command; the web server reads the data

	data = {
		"password": factories.test_password(),
		"users": {
			"manager": MANAGER,
			"manager_it": MANAGER_IT,
			"analyst": ANALYST,
			"agent": AGENT,
			"portal": PORTAL,
		},
		"timezone": frappe.utils.get_system_timezone(),
		# the journeys work around defects of Helpdesk's own UI exactly on the releases that have them
		"helpdesk_version": helpdesk_compat.helpdesk_module("helpdesk").__version__,
		"tickets": {key: str(name) for key, name in tickets.items()},
		"expected": {str(name): expected(name) for name in tickets.values()},
		"subjects": {
			str(name): frappe.db.get_value("HD Ticket", name, "subject") for name in tickets.values()
		},
		"sla": SLA,
		"ola": OLA,
		"service": SERVICE,
		"service_name": SERVICE_NAME,
		"reports": report_filters(),
		"liaison": liaison,
		"hypercare_ticket": str(hypercare_ticket),
		"hypercare_sla": frappe.db.get_value("SMO PMO Liaison", liaison, "hypercare_agreement"),
		"statement": statement,
		"helpdesk_only": helpdesk_only,
		"statement_month": last_month,
		"dates": {"from": str(add_days(today(), -60)), "yesterday": str(add_days(today(), -1))},
	}
	fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
	with os.fdopen(fd, "w") as f:
		json.dump(data, f, indent=1, default=str)
	return {"tickets": data["tickets"]}


def make_italian_manager() -> None:
	"""An SMO Manager who reads Italian (user language `it`), with the personas' password."""
	from frappe.utils.password import update_password

	if not frappe.db.exists("User", MANAGER_IT):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": MANAGER_IT,
				"first_name": "Giulia",
				"last_name": "Rossi",
				"send_welcome_email": 0,
				"user_type": "System User",
				"language": "it",
			}
		).insert(ignore_permissions=True)
		user.add_roles("SMO Manager")
	frappe.db.set_value("User", MANAGER_IT, "language", "it")
	update_password(MANAGER_IT, factories.test_password())


def today_day() -> int:
	return frappe.utils.getdate(today()).day


def expected(ticket) -> dict:
	"""What the SMO computed for the ticket, as the pages must show it."""
	row = frappe.db.get_value(
		"HD Ticket",
		ticket,
		["smo_sla_state", "response_by", "resolution_by", "agreement_status", "subject"],
		as_dict=True,
	)
	clock = frappe.db.get_value(
		"SMO Ticket SLA",
		{"ticket": str(ticket), "agreement": SLA},
		["response_state", "resolution_state", "response_due", "resolution_due", "agreement_version"],
		as_dict=True,
	)
	return {
		"subject": row.subject,
		"state": row.smo_sla_state,
		"response_by": str(row.response_by or ""),
		"resolution_by": str(row.resolution_by or ""),
		"agreement_status": row.agreement_status,
		"clock": {k: str(v) if v is not None else None for k, v in (clock or {}).items()},
	}


# the value a journey sets in a report's Link filter, per linked doctype (others: the first record there is)
LINK_VALUES = {
	"SMO Service": SERVICE,
	"HD Customer": PORTAL_CUSTOMER,
	"HD Team": TEAM,
	"HD Ticket Priority": "High",
	"SMO Service Level Agreement": SLA,
	"User": MANAGER,
}


def report_filters() -> dict:
	"""Each report of the contract with its typed filters (the journeys run outside Frappe), and for a Link
	filter a value to set."""
	from smo_extension.smo.report.filters import Check
	from smo_extension.smo.report.filters import Date
	from smo_extension.smo.report.filters import Link
	from smo_extension.smo.report.filters import Select

	out = {}
	for report in REPORTS:
		name = frappe.scrub(report)
		module = frappe.get_module(f"smo_extension.smo.report.{name}.{name}")
		filters = []
		for fieldname, spec in getattr(module, "FILTERS", {}).items():
			if fieldname == "source" and not erpnext_compat.installed():
				continue  # the Source filter shows where ERPNext is installed only
			kind = {Date: "Date", Select: "Select", Link: "Link", Check: "Check"}.get(type(spec), "Data")
			filters.append(
				{
					"fieldname": fieldname,
					"kind": kind,
					"options": list(getattr(spec, "options", ()) or ()),
					"doctype": getattr(spec, "doctype", None),
					"sample": sample(spec.doctype) if isinstance(spec, Link) else None,
					"required": bool(getattr(spec, "required", False)),
				}
			)
		out[report] = filters
	return out


def sample(doctype: str) -> str | None:
	if doctype in LINK_VALUES:
		return LINK_VALUES[doctype]
	names = frappe.get_all(doctype, pluck="name", limit=1, order_by="creation asc")
	return str(names[0]) if names else None
