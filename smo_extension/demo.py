"""A believable SMO on a site: `bench --site <site> execute smo_extension.demo.make_demo`.

Calendars, teams, customers, a catalog of services with dependencies and objectives, SLAs and OLAs, mapping
rules, and a few hundred tickets spread over the last four months with real-looking timelines (responses,
waits on the customer, reopenings, some late). Ticket timelines are written as SMO events and replayed by the
same code the hooks use. Then the governance side: the SMO Charter, a policy register at every status (one
policy in two versions, reviews overdue and due soon), an improvement register raised from reviews, audits, KPI
misses and SLA breaches, and PMO liaisons with their readiness checklists and last-synced project values (demo
values: nothing is read from a PMO site); the e-mail service is in hypercare, so its stricter hypercare SLA
judges the tickets of the last days. Then the customers' monthly SLA statements: Acme Corporation and Globex
Industries opted in; Acme's statement of last month is generated (its contact can download it), Globex has no
contact, so its statement waits on the SMO workspace ("Statements Without Contacts"). Last, about a dozen KPIs
over the services and the SMO as a whole, measured for the demo's months: most green, some amber, ERP's time to
resolve red after a bad month-end, with the improvement it raised. Running it again replaces the demo tickets,
policies and KPI measurements, updates the other demo records in place and leaves everything else as it is.
"""

import math
import random
from datetime import date
from datetime import datetime
from datetime import timedelta

import frappe
from frappe.utils import add_days
from frappe.utils import add_months
from frappe.utils import getdate
from frappe.utils import now_datetime

from smo_extension import helpdesk_compat
from smo_extension.engine.calendar import BusinessCalendar
from smo_extension.pmo import sync as pmo_sync
from smo_extension.pmo.client import PMOAuthError
from smo_extension.sla import jobs
from smo_extension.sla import ticket as ticket_sla
from smo_extension.sla.config import calendar_windows
from smo_extension.sla.config import clear_config_cache

DEMO_PREFIX = "[demo]"
DEMO_AGENT = "agent.demo@example.com"
DEMO_OWNER = "service.owner.demo@example.com"
DEMO_APPS_OWNER = "apps.owner.demo@example.com"
DEMO_MANAGER = "smo.manager.demo@example.com"
DEMO_ANALYST = "smo.analyst.demo@example.com"
DEMO_SPONSOR = "cio.demo@example.com"
# email: first name, last name, roles. None of them gets a password.
DEMO_USERS = {
	DEMO_AGENT: ("Marco", "Agent", ("Agent",)),
	DEMO_OWNER: ("Giulia", "Owner", ("Service Owner",)),
	DEMO_APPS_OWNER: ("Paolo", "Conti", ("Service Owner",)),
	DEMO_MANAGER: ("Laura", "Ferrari", ("SMO Manager",)),
	DEMO_ANALYST: ("Davide", "Greco", ("SMO Analyst",)),
	DEMO_SPONSOR: ("Alessandra", "Bianchi", ("SMO Analyst",)),
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
ITALIAN_HOLIDAYS = [
	"01-01",
	"01-06",
	"04-25",
	"05-01",
	"06-02",
	"08-15",
	"11-01",
	"12-08",
	"12-25",
	"12-26",
]

TEAMS = ("Service Desk", "Network Operations", "Business Applications")
CUSTOMERS = ("Acme Corporation", "Globex Industries", "Initech", "Umbrella Health")
SERVICES = [
	{
		"service_code": "NET",
		"service_name": "Network Connectivity",
		"category": "Infrastructure",
		"service_type": "Technical",
		"criticality": "Critical",
		"support_team": "Network Operations",
		"objectives": [("Keep every office online", "Availability 99.9 % per month")],
		"depends_on": [],
	},
	{
		"service_code": "EMAIL",
		"service_name": "Email and Collaboration",
		"category": "Workplace",
		"service_type": "Business",
		"criticality": "High",
		"support_team": "Service Desk",
		"objectives": [("Staff can always reach customers", "Mail delivery under 5 minutes")],
		"depends_on": ["NET"],
	},
	{
		"service_code": "ERP",
		"service_name": "ERP Platform",
		"category": "Business Applications",
		"service_type": "Business",
		"criticality": "High",
		"support_team": "Business Applications",
		"objectives": [("Month-end close on time", "Close within 3 working days")],
		"depends_on": ["NET"],
	},
	{
		"service_code": "LAPTOP",
		"service_name": "End-User Devices",
		"category": "Workplace",
		"service_type": "Supporting",
		"criticality": "Medium",
		"support_team": "Service Desk",
		"objectives": [("New joiners productive on day one", "Device ready before start date")],
		"depends_on": [],
	},
	{
		"service_code": "HRPORTAL",
		"service_name": "HR Self-Service Portal",
		"category": "Business Applications",
		"service_type": "Business",
		"criticality": "Medium",
		"support_team": "Business Applications",
		"lifecycle_stage": "Pipeline",
		"status": "Transition",
		"objectives": [("Employees serve themselves", "70 % of HR requests self-served")],
		"depends_on": ["ERP"],
	},
	{
		"service_code": "FAX",
		"service_name": "Fax Gateway",
		"category": "Legacy",
		"service_type": "Technical",
		"criticality": "Low",
		"support_team": "Network Operations",
		"lifecycle_stage": "Retired",
		"status": "Retired",
		"objectives": [],
		"depends_on": [],
	},
]
# minutes: response, resolution
SLA_TARGETS = {"Urgent": (30, 240), "High": (60, 480), "Medium": (240, 1440), "Low": (480, 2880)}
GOLD_TARGETS = {"Urgent": (15, 120), "High": (30, 240), "Medium": (120, 960), "Low": (240, 1920)}
# the weeks after the e-mail platform's go-live: answered and fixed much faster than the standard SLA
HYPERCARE_TARGETS = {"Urgent": (15, 120), "High": (30, 240), "Medium": (60, 480), "Low": (120, 960)}
HYPERCARE_SLA = "EMAIL Hypercare SLA"
# customers who receive the monthly SLA statement; only Acme has a contact to send it to
STATEMENT_CUSTOMERS = ("Acme Corporation", "Globex Industries")
ACME_CONTACT = ("Anna", "Rossi", "anna.rossi@acme.example.com")
OLA_TARGETS = {"Urgent": (15, 180), "High": (45, 360), "Medium": (180, 1200), "Low": (360, 2400)}
SUBJECTS = {
	"NET": [
		"VPN drops every hour",
		"Branch office offline",
		"Wi-Fi slow on floor 3",
		"Cannot reach file server",
	],
	"EMAIL": ["Mailbox full", "Emails to customer bounce", "Shared calendar not syncing", "Phishing report"],
	"ERP": ["Invoice posting fails", "Month-end report wrong totals", "Cannot approve purchase order"],
	"LAPTOP": ["Laptop will not boot", "New joiner needs a device", "Docking station not detected"],
}


def make_demo(tickets: int = 360, days: int = 120, seed: int = 7) -> dict:
	"""Fill the site with the demo SMO. Returns what it made."""
	frappe.only_for(("System Manager", "Administrator"))
	rng = random.Random(seed)
	frappe.flags.mute_emails = True
	calendar = make_calendars()
	make_parties()
	make_services()
	make_agreements(calendar)
	make_rules()
	# the liaisons first: the hypercare window of one of them decides which SLA judges its recent tickets
	liaisons = make_liaisons(getdate())
	# the SMO works in Rome: its KPI periods are counted in the default calendar's time zone
	frappe.db.set_single_value("SMO Settings", "default_calendar", calendar)
	frappe.clear_document_cache("SMO Settings", "SMO Settings")
	clear_config_cache()
	made = make_tickets(tickets, days, rng, calendar)
	governance = make_governance()
	statements = make_statements()
	kpis = make_kpis()
	frappe.db.commit()  # nosemgrep: a bench execute command, committed once at the end
	from smo_extension.setup.onboarding import refresh as refresh_onboarding

	refresh_onboarding()  # every step of the guided setup has its record now
	return {
		"tickets": made,
		"services": len(SERVICES),
		"pmo_liaisons": liaisons,
		**governance,
		"statements": statements,
		**kpis,
	}


def upsert(doctype: str, name: str | None, values: dict) -> "frappe.model.document.Document":
	"""Insert or update a demo record, quietly: bulk-made data leaves no "changed the value of ..." versions in
	the activity of every record."""
	if name and frappe.db.exists(doctype, name):
		doc = frappe.get_doc(doctype, name)
		doc.update(values)
		return doc.save(ignore_permissions=True, ignore_version=True)
	doc = frappe.get_doc({"doctype": doctype, **values})
	doc.flags.ignore_version = True
	return doc.insert(ignore_permissions=True)


def make_calendars() -> str:
	years = (date.today().year - 1, date.today().year, date.today().year + 1)
	upsert(
		"SMO Business Calendar",
		"Rome Office Hours",
		{
			"calendar_name": "Rome Office Hours",
			"timezone": "Europe/Rome",
			"description": "Mon-Fri 09:00-13:00 and 14:00-18:00, Italian public holidays.",
			"windows": [
				{"weekday": day, "start_time": start, "end_time": end}
				for day in WEEKDAYS
				for start, end in (("09:00", "13:00"), ("14:00", "18:00"))
			],
			"holidays": [
				{"holiday_date": f"{y}-{md}", "description": "Public holiday"}
				for y in years
				for md in ITALIAN_HOLIDAYS
			],
		},
	)
	upsert(
		"SMO Business Calendar",
		"Always On (UTC)",
		{
			"calendar_name": "Always On (UTC)",
			"timezone": "UTC",
			"description": "24x7 for critical infrastructure.",
			"windows": [
				{"weekday": day, "start_time": "00:00", "end_time": "00:00"}
				for day in (*WEEKDAYS, "Saturday", "Sunday")
			],
		},
	)
	return "Rome Office Hours"


def make_parties() -> None:
	for team in TEAMS:
		if not frappe.db.exists("HD Team", team):
			frappe.get_doc({"doctype": "HD Team", "team_name": team}).insert(ignore_permissions=True)
	for customer in CUSTOMERS:
		if not frappe.db.exists("HD Customer", customer):
			frappe.get_doc({"doctype": "HD Customer", "customer_name": customer}).insert(
				ignore_permissions=True
			)
	for email in DEMO_USERS:
		demo_user(email)
	helpdesk_compat.make_agent(DEMO_AGENT)


def demo_user(email: str) -> str:
	"""A demo user with its roles, made once and never given a password."""
	if not frappe.db.exists("User", email):
		first_name, last_name, roles = DEMO_USERS[email]
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first_name,
				"last_name": last_name,
				"send_welcome_email": 0,
			}
		).insert(ignore_permissions=True)
		user.add_roles(*roles)
	return email


def make_services() -> None:
	today = date.today()
	for i, spec in enumerate(SERVICES):
		upsert(
			"SMO Service",
			spec["service_code"],
			{
				"service_code": spec["service_code"],
				"service_name": spec["service_name"],
				"category": spec["category"],
				"service_type": spec["service_type"],
				"criticality": spec["criticality"],
				"support_team": spec["support_team"],
				"lifecycle_stage": spec.get("lifecycle_stage", "Catalog"),
				"status": spec.get("status", "Live"),
				"service_owner": DEMO_OWNER,
				"last_reviewed_on": add_days(today, -40 * (i + 1)),
				"next_review_date": add_days(today, 365 - 40 * (i + 1)),
				"description": f"<p>{spec['service_name']}: demo service of the SMO catalog.</p>",
				"customers": [{"customer": c} for c in CUSTOMERS[: 2 + i % 3]],
				"business_objectives": [{"objective": o, "measure": m} for o, m in spec["objectives"]],
				"depends_on": [{"service": d} for d in spec["depends_on"]],
			},
		)


def agreement(name: str, service: str, kind: str, calendar: str, targets: dict, **extra) -> None:
	upsert(
		"SMO Service Level Agreement",
		name,
		{
			"agreement_name": name,
			"agreement_type": kind,
			"service": service,
			"status": "Active",
			"valid_from": add_days(date.today(), -400),
			"calendar": calendar,
			"compliance_target": extra.pop("compliance_target", 95),
			"targets": [
				{"priority": p, "response_minutes": r, "resolution_minutes": s}
				for p, (r, s) in targets.items()
			],
			**extra,
		},
	)


def make_agreements(calendar: str) -> None:
	for spec in SERVICES:
		code = spec["service_code"]
		if spec.get("lifecycle_stage", "Catalog") != "Catalog":
			continue
		cal = "Always On (UTC)" if code == "NET" else calendar
		agreement(
			f"{code} Standard SLA",
			code,
			"SLA",
			cal,
			SLA_TARGETS,
			# devices promise less: their SLA tends to look green while customers reopen tickets (a watermelon)
			compliance_target={"NET": 98, "LAPTOP": 85}.get(code, 95),
		)
		agreement(
			f"{code} OLA {spec['support_team']}",
			code,
			"OLA",
			calendar,
			OLA_TARGETS,
			team=spec["support_team"],
		)
	agreement("NET Gold SLA Acme", "NET", "SLA", "Always On (UTC)", GOLD_TARGETS, customer="Acme Corporation")
	agreement(
		HYPERCARE_SLA, "EMAIL", "SLA", calendar, HYPERCARE_TARGETS, is_hypercare=1, compliance_target=98
	)
	agreement(
		"ERP Hosting UC",
		"ERP",
		"UC",
		calendar,
		{"Urgent": (15, 120), "High": (30, 240)},
		supplier="CloudHost S.p.A.",
	)


def make_rules() -> None:
	rules = [(10, "NET", {"team": "Network Operations"}), (20, "ERP", {"team": "Business Applications"})]
	for sequence, service, condition in rules:
		if not frappe.db.exists("SMO Service Mapping Rule", {"service": service, **condition}):
			frappe.get_doc(
				{"doctype": "SMO Service Mapping Rule", "sequence": sequence, "service": service, **condition}
			).insert(ignore_permissions=True)


def make_tickets(count: int, days: int, rng: random.Random, calendar_name: str) -> int:
	for name in frappe.get_all("HD Ticket", filters={"subject": ("like", f"{DEMO_PREFIX}%")}, pluck="name"):
		frappe.delete_doc("HD Ticket", name, force=True, ignore_permissions=True)
	calendars = {name: load_calendar(name) for name in (calendar_name, "Always On (UTC)")}
	now = ticket_sla.aware(now_datetime())
	live = [s for s in SERVICES if s.get("lifecycle_stage", "Catalog") == "Catalog"]
	made = []
	settings_enabled = frappe.db.get_single_value("SMO Settings", "enabled")
	frappe.db.set_single_value("SMO Settings", "enabled", 0)
	frappe.clear_document_cache("SMO Settings", "SMO Settings")
	try:
		for i in range(count):
			service = rng.choice(live)
			calendar = calendars["Always On (UTC)" if service["service_code"] == "NET" else calendar_name]
			opened = calendar.add_business_seconds(
				now - timedelta(days=days * (1 - i / count)) - timedelta(hours=rng.randint(0, 20)),
				rng.random() * 3600,
			)
			if opened >= now:
				continue
			priority = rng.choices(list(SLA_TARGETS), weights=(1, 3, 5, 3))[0]
			customer = rng.choice(CUSTOMERS)
			made.append(make_one(i, service, priority, customer, opened, now, rng, calendar))
	finally:
		frappe.db.set_single_value("SMO Settings", "enabled", settings_enabled)
		frappe.clear_document_cache("SMO Settings", "SMO Settings")
	for start in range(0, len(made), 200):
		jobs.recompute_tickets(made[start : start + 200], include_stopped=True)
	return len(made)


def load_calendar(name: str) -> BusinessCalendar:
	doc = frappe.get_doc("SMO Business Calendar", name)
	return BusinessCalendar(
		doc.timezone, calendar_windows(doc.windows), [h.holiday_date for h in doc.holidays]
	)


def in_bad_month(opened: datetime, now: datetime) -> bool:
	"""Opened in the last finished month (the demo's bad month for ERP)."""
	this_month = now.date().replace(day=1)
	return add_months(this_month, -1) <= opened.date() < this_month


def make_one(i, service, priority, customer, opened, now, rng, calendar) -> str:
	code = service["service_code"]
	team = service["support_team"]
	subject = f"{DEMO_PREFIX} {rng.choice(SUBJECTS[code])} #{i + 1}"
	doc = frappe.get_doc(
		{
			"doctype": "HD Ticket",
			"subject": subject,
			"description": f"Demo ticket for {service['service_name']}.",
			"raised_by": f"user{i % 17}@{customer.split()[0].lower()}.example.com",
			"priority": priority,
			"agent_group": team,
			"customer": customer,
			"smo_service": code,
		}
	).insert(ignore_permissions=True)
	name = str(doc.name)
	response_target, resolution_target = (m * 60 for m in SLA_TARGETS[priority])
	events: list[tuple] = []

	def ev(when, field, value):
		events.append((when, field, value))

	ev(opened, "status_category", "Open")
	ev(opened, "priority", priority)
	ev(opened, "team", team)
	ev(opened, "service", code)
	ev(opened, "customer", customer)
	# Most answers come well inside the target, some late.
	responded = calendar.add_business_seconds(opened, response_target * rng.uniform(0.1, 1.15))
	# ERP has a bad month-end in the last finished month: far more late tickets (the red KPI of the demo).
	late = rng.random() < (0.5 if code == "ERP" and in_bad_month(opened, now) else 0.12)
	work = resolution_target * (rng.uniform(1.05, 1.8) if late else rng.uniform(0.15, 0.9))
	status, category = "Open", "Open"
	resolved_at = None
	if responded < now:
		ev(responded, "first_response", str(ticket_sla.naive(responded)))
		cursor, done = responded, calendar.business_seconds(opened, responded)
		if rng.random() < 0.35:  # waits on the customer for a while
			ev(cursor, "status_category", "Paused")
			cursor = cursor + timedelta(hours=rng.uniform(2, 40))
			if cursor < now:
				ev(cursor, "status_category", "Open")
			else:
				status, category = "Replied", "Paused"
		if category == "Open":
			end = calendar.add_business_seconds(cursor, max(work - done, 60))
			if end < now:
				ev(end, "status_category", "Resolved")
				status, category, resolved_at = "Resolved", "Resolved", end
				if rng.random() < 0.06:  # reopened, then resolved again
					back = end + timedelta(hours=rng.uniform(1, 30))
					if back < now:
						ev(back, "status_category", "Open")
						again = calendar.add_business_seconds(back, 3600 * rng.uniform(0.5, 4))
						if again < now:
							ev(again, "status_category", "Resolved")
							resolved_at = again
						else:
							status, category, resolved_at = "Open", "Open", None
	else:
		responded = None
	team = handoff_events(i, team, opened, resolved_at or now, calendar, ev)
	frappe.db.set_value(
		"HD Ticket",
		name,
		{
			"agent_group": team,
			"creation": ticket_sla.naive(opened),
			"modified": ticket_sla.naive(resolved_at or now),
			"opening_date": ticket_sla.naive(opened).date(),
			"opening_time": ticket_sla.naive(opened).time(),
			"status": status,
			"status_category": category,
			"first_responded_on": ticket_sla.naive(responded),
			"resolution_date": ticket_sla.naive(resolved_at),
			"feedback_rating": rng.choice((0.6, 0.8, 1, 1, 0.4)) if resolved_at else 0,
			"_assign": frappe.as_json([DEMO_AGENT]),
		},
		update_modified=False,
	)
	tell_the_story(name, doc.raised_by, subject, opened, responded)
	frappe.db.delete("SMO Ticket Event", {"ticket": name})
	ticket_sla.forget_events(ticket_sla.HD_TICKET, [name])  # the log its insert kept is not the story's
	ticket_sla.insert_events(
		name, [(ticket_sla.naive(w), f, v) for w, f, v in sorted(events, key=lambda e: e[0])]
	)
	return name


def handoff_events(
	i: int, team: str, opened: datetime, until: datetime, calendar: BusinessCalendar, ev
) -> str:
	"""The demo agent is assigned when the ticket opens; about a quarter of the tickets are handed to another
	team part-way, in working hours (the assignment is cleared, and the other team picks the ticket up some
	business hours later), a few of them back again. Drawn from a random source of their own, so the rest of
	the demo stays as it was. Returns the team that holds the ticket at the end."""
	rng = random.Random(f"demo-handoff-{i}")
	ev(opened, "agent", DEMO_AGENT)
	if rng.random() >= 0.25:
		return team
	handed = calendar.add_business_seconds(
		opened, calendar.business_seconds(opened, until) * rng.uniform(0.2, 0.6)
	)
	other = rng.choice([t for t in TEAMS if t != team])
	ev(handed, "team", other)
	ev(handed, "agent", None)
	picked = calendar.add_business_seconds(handed, 3600 * rng.uniform(0.1, 4))
	if picked < until:
		ev(picked, "agent", DEMO_AGENT)
	if rng.random() < 0.3:
		back = calendar.add_business_seconds(
			picked, calendar.business_seconds(picked, until) * rng.uniform(0.3, 0.7)
		)
		if picked < back < until:
			ev(back, "team", team)
			return team
	return other


def tell_the_story(ticket: str, customer: str, subject: str, opened, responded) -> None:
	"""The ticket's thread as it happened, not as the loader made it: the message Helpdesk recorded on insert
	becomes the customer's at the opening time, and the demo agent's answer is there at the first response.
	Written without hooks (the ticket's own history is set right after)."""
	frappe.db.set_value(
		"Communication",
		{"reference_doctype": "HD Ticket", "reference_name": ticket},
		{
			"sender": customer,
			"sender_full_name": customer.split("@")[0],
			"sent_or_received": "Received",
			"subject": subject,
			"communication_date": ticket_sla.naive(opened),
			"creation": ticket_sla.naive(opened),
			"modified": ticket_sla.naive(opened),
			"owner": customer,
		},
		update_modified=False,
	)
	if not responded:
		return
	when = ticket_sla.naive(responded)
	answer = frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Sent",
			"subject": f"Re: {subject}",
			"content": "<p>Thanks for reporting this: we are on it and will keep you posted here.</p>",
			"sender": DEMO_AGENT,
			"sender_full_name": " ".join(DEMO_USERS[DEMO_AGENT][:2]),
			"recipients": customer,
			"reference_doctype": "HD Ticket",
			"reference_name": ticket,
			"communication_date": when,
			"status": "Linked",
			"delivery_status": "Sent",
		}
	)
	answer.db_insert()  # no hooks: the reply must not reopen or re-save the ticket being made
	frappe.db.set_value(
		"Communication",
		answer.name,
		{"creation": when, "modified": when, "owner": DEMO_AGENT},
		update_modified=False,
	)


# ------------------------------------------------------------------------------------------- governance
POLICY_PATH = ("Draft", "In Review", "Approved", "Published", "Retired")


def make_governance() -> dict:
	"""The charter, the policy register, the improvement register and the PMO liaisons. Returns counts."""
	today = getdate()
	milestones = make_charter(today)
	policies = make_policies(today)
	improvements = make_improvements(today)
	return {"charter_milestones": milestones, "policies": policies, "improvements": improvements}


def make_charter(today: date) -> int:
	milestones = [
		("Charter approved by the executive board", -150, "Done", -152),
		("Service catalog published (six services)", -90, "Done", -86),
		("SLA compliance reporting live for every customer", -30, "Done", -33),
		("Policy register covers the ITIL 4 core practices", -7, "In Progress", None),
		("ISO/IEC 20000-1 readiness assessment", 30, "In Progress", None),
		("Showback of service costs to business units", 120, "Planned", None),
	]
	charter = frappe.get_single("SMO Charter")
	charter.update(
		{
			"smo_type": "Broader Practice",
			"sponsor": DEMO_SPONSOR,
			"approved_on": add_days(today, -152),
			"vision": "One place where the business sees what IT and the shared services promise, how well they "
			"keep it and what is being improved.",
			"funding_model": "Mixed",
			"annual_budget": 420000,
			"funding_notes": "Central budget for the SMO team and tools; business applications are shown back "
			"to the business units from next year.",
			"objectives": [
				{
					"objective": "Every live service in the catalog with an owner and an SLA",
					"measure": "Live services with owner and active SLA",
					"target": "100 %",
					"objective_owner": DEMO_MANAGER,
				},
				{
					"objective": "Customers get what the SLAs promise",
					"measure": "Resolution compliance, all SLAs",
					"target": "95 % each month",
					"objective_owner": DEMO_OWNER,
				},
				{
					"objective": "Policies and processes reviewed on time",
					"measure": "Published documents not past their review date",
					"target": "90 %",
					"objective_owner": DEMO_MANAGER,
				},
				{
					"objective": "Improvements delivered, not just logged",
					"measure": "Improvements done in the last 90 days",
					"target": "6 per quarter",
					"objective_owner": DEMO_ANALYST,
				},
				{
					"objective": "Projects hand over services ready to run",
					"measure": "Go-lives with the readiness checklist complete",
					"target": "100 %",
					"objective_owner": DEMO_APPS_OWNER,
				},
			],
			"milestones": [
				{
					"milestone": name,
					"due_date": add_days(today, due),
					"status": status,
					"completed_on": add_days(today, done) if done is not None else None,
				}
				for name, due, status, done in milestones
			],
			"providers": [
				{"provider_name": "Service Desk", "provider_type": "IT", "scope": "First line, all services"},
				{
					"provider_name": "Network Operations",
					"provider_type": "IT",
					"scope": "Network, fax gateway",
				},
				{
					"provider_name": "Business Applications",
					"provider_type": "IT",
					"scope": "ERP platform, HR portal",
				},
				{
					"provider_name": "CloudHost S.p.A.",
					"provider_type": "IT",
					"relationship": "External",
					"scope": "ERP hosting (underpinning contract)",
				},
				{
					"provider_name": "HR Shared Services",
					"provider_type": "Non-IT",
					"scope": "Joiners, movers and leavers requests",
				},
				{
					"provider_name": "Facilities Management",
					"provider_type": "Non-IT",
					"relationship": "External",
					"scope": "Office moves and desk equipment",
				},
			],
		}
	)
	charter.flags.ignore_permissions = True
	charter.save(ignore_version=True)
	return len(milestones)


def policy_specs(today: date) -> list[dict]:
	"""The demo register. `effective` and `reviewed` are days from today; `status` is where the lifecycle
	walk stops."""
	live = ["NET", "EMAIL", "ERP", "LAPTOP"]
	# the incident policy, in two versions
	incident = {
		"policy_code": "POL-INC",
		"title": "Incident Management Policy",
		"document_type": "Policy",
		"framework_practice": "ITIL4-SM-05",
		"services": live,
		"policy_owner": DEMO_OWNER,
		"approver": DEMO_MANAGER,
	}
	return [
		{
			**incident,
			"version": "1.0",
			"effective": -540,
			"reviewed": -200,
			"status": "Published",
			"text": "Every incident is logged, prioritised by impact and urgency and restored within the SLA.",
		},
		{
			# v2 supersedes v1: publishing it retires v1 and marks it superseded
			"version": "2.0",
			"supersedes": "POL-INC-v1.0",
			**incident,
			"effective": -45,
			"status": "Published",
			"text": "Every incident is logged, prioritised by impact and urgency and restored within the SLA. "
			"Major incidents follow the Major Incident Procedure; P1s get a review within 5 working days.",
		},
		{
			# published 14 months ago and never reviewed: overdue
			"policy_code": "PRC-CHG",
			"title": "Change Enablement Process",
			"document_type": "Process",
			"framework_practice": "ITIL4-SM-04",
			"services": ["ERP", "NET"],
			"policy_owner": DEMO_APPS_OWNER,
			"approver": DEMO_MANAGER,
			"effective": -425,
			"status": "Published",
			"text": "Normal changes go to the weekly CAB; standard changes are pre-approved and logged.",
		},
		{
			# last reviewed a year ago less 18 days: the next review is due within 30 days
			"policy_code": "STD-SLM",
			"title": "Service Level Standard",
			"document_type": "Standard",
			"framework_practice": "ISO20000-8.3.3",
			"services": live,
			"policy_owner": DEMO_MANAGER,
			"approver": DEMO_SPONSOR,
			"effective": -700,
			"reviewed_on": add_months(add_days(today, 18), -12),
			"status": "Published",
			"text": "Each live service has an SLA with targets per priority, measured in business time.",
		},
		{
			"policy_code": "POL-SEC",
			"title": "Information Security Policy",
			"document_type": "Policy",
			"framework_practice": "ISO20000-8.7.3",
			"services": [*live, "HRPORTAL"],
			"policy_owner": DEMO_MANAGER,
			"approver": DEMO_SPONSOR,
			"effective": -300,
			"reviewed": -35,
			"status": "Published",
			"text": "Access follows least privilege and is reviewed every quarter by the service owner.",
		},
		{
			"policy_code": "PRC-CI",
			"title": "Continual Improvement Process",
			"document_type": "Process",
			"framework_practice": "ITIL4-GM-02",
			"services": live,
			"policy_owner": DEMO_ANALYST,
			"approver": DEMO_MANAGER,
			"effective": -100,
			"status": "Published",
			"review_every_months": 6,
			"text": "Improvements are raised from KPI misses, SLA breach trends, reviews, audits and "
			"suggestions, and tracked in the improvement register.",
		},
		{
			"policy_code": "PRD-MAJ",
			"title": "Major Incident Procedure",
			"document_type": "Procedure",
			"framework_practice": "ISO20000-8.6.1",
			"services": ["NET", "EMAIL"],
			"policy_owner": DEMO_OWNER,
			"approver": DEMO_MANAGER,
			"effective": 14,
			"status": "Approved",
			"text": "The duty manager declares a major incident, opens the bridge and updates customers hourly.",
		},
		{
			"policy_code": "GDL-KNW",
			"title": "Knowledge Article Guideline",
			"document_type": "Guideline",
			"framework_practice": "ITIL4-GM-04",
			"services": ["EMAIL", "LAPTOP"],
			"policy_owner": DEMO_ANALYST,
			"approver": DEMO_OWNER,
			"effective": 30,
			"status": "In Review",
			"text": "Write for the reader: one problem per article, steps numbered, screenshots current.",
		},
		{
			"policy_code": "PRC-REQ",
			"title": "Service Request Fulfilment Process",
			"document_type": "Process",
			"framework_practice": "ITIL4-SM-16",
			"services": ["LAPTOP", "HRPORTAL"],
			"policy_owner": DEMO_APPS_OWNER,
			"approver": DEMO_MANAGER,
			"effective": 45,
			"status": "In Review",
			"text": "Requests from the catalog are fulfilled from approved models; anything else is a change.",
		},
		{
			"policy_code": "POL-SUP",
			"title": "Supplier Management Policy",
			"document_type": "Policy",
			"framework_practice": "ISO20000-8.3.4",
			"services": ["ERP"],
			"policy_owner": DEMO_MANAGER,
			"approver": DEMO_SPONSOR,
			"effective": None,
			"status": "Draft",
			"text": "Every supplier behind a live service has an underpinning contract reviewed each year.",
		},
		{
			"policy_code": "STD-FAX",
			"title": "Fax Transmission Standard",
			"document_type": "Standard",
			"framework_practice": "ISO20000-8.2.1",
			"services": ["FAX"],
			"policy_owner": DEMO_OWNER,
			"approver": DEMO_MANAGER,
			"effective": -900,
			"retired": -60,
			"status": "Retired",
			"text": "Faxes to customers go through the gateway only, with a cover page and delivery receipt.",
		},
	]


def make_policies(today: date) -> int:
	"""Replaces the demo policies: each is inserted as Draft and walked through the lifecycle like the
	controller allows, by Administrator (every role, and never the owner, so approval is allowed)."""
	specs = policy_specs(today)
	codes = sorted({spec["policy_code"] for spec in specs})
	# every version of a demo code goes, also one made by hand since the last run
	old = frappe.get_all("SMO Policy", filters={"policy_code": ("in", codes)}, pluck="name")
	if old:
		frappe.db.delete("Notification Log", {"document_type": "SMO Policy", "document_name": ("in", old)})
	# newest versions first: nothing links to them
	for name in sorted(old, reverse=True):
		frappe.delete_doc("SMO Policy", name, force=True, ignore_permissions=True)
	for spec in specs:
		reviewed_on = spec.get("reviewed_on") or (
			add_days(today, spec["reviewed"]) if spec.get("reviewed") else None
		)
		effective_from = add_days(today, spec["effective"]) if spec["effective"] is not None else None
		doc = frappe.get_doc(
			{
				"doctype": "SMO Policy",
				"policy_code": spec["policy_code"],
				"version": spec.get("version", "1.0"),
				"supersedes": spec.get("supersedes"),
				"title": spec["title"],
				"document_type": spec["document_type"],
				"framework_practice": spec["framework_practice"],
				"services": [{"service": code} for code in spec["services"]],
				"policy_owner": spec["policy_owner"],
				"approver": spec["approver"],
				"effective_from": effective_from,
				"last_reviewed_on": reviewed_on,
				"review_every_months": spec.get("review_every_months", 12),
				"policy_text": f"<p>{spec['text']}</p>",
			}
		)
		doc.flags.ignore_version = True  # a quiet history: no version per lifecycle step made here
		doc.insert(ignore_permissions=True)
		for step in POLICY_PATH[1 : POLICY_PATH.index(spec["status"]) + 1]:
			doc.status = step
			if step == "Retired" and spec.get("retired"):
				doc.retired_on = add_days(today, spec["retired"])
			doc.save(ignore_permissions=True, ignore_version=True)
	return len(specs)


def breached_clock(service: str, agreement: str | None = None) -> str | None:
	"""The latest demo ticket clock of `service` whose resolution target was breached."""
	filters = {"service": service, "resolution_breached_at": ("is", "set")}
	if agreement:
		filters["agreement"] = agreement
	names = frappe.get_all(
		"SMO Ticket SLA", filters=filters, order_by="resolution_breached_at desc", limit=1, pluck="name"
	)
	return names[0] if names else None


def improvement_specs() -> list[dict]:
	"""`target` and `done` are days from today; `breach` raises the item from a breached clock of the
	service (optionally of one agreement), `from_service` from the service itself."""
	return [
		{
			"title": "Standby rota for network incidents out of hours",
			"service": "NET",
			"source": "SLA Breach Trend",
			"breach": "NET Standard SLA",
			"status": "In Progress",
			"priority": "High",
			"owner": DEMO_OWNER,
			"target": 25,
			"expected": "Urgent and High network resolution compliance from 91 % to 98 %.",
		},
		{
			"title": "Escalation matrix for Gold customers",
			"service": "NET",
			"source": "SLA Breach Trend",
			"breach": "NET Gold SLA Acme",
			"status": "Done",
			"priority": "Critical",
			"owner": DEMO_MANAGER,
			"target": -110,
			"done": -118,
			"expected": "No Gold SLA breach left without a named escalation owner.",
			"measured": "Gold SLA breaches down from 7 to 2 per month in the following quarter.",
		},
		{
			"title": "Catch the priority typed wrong on web tickets",
			"service": "LAPTOP",
			"source": "SLA Breach Trend",
			"breach": None,
			"status": "Rejected",
			"priority": "Medium",
			"owner": DEMO_ANALYST,
			"target": 20,
			"expected": "Fewer device tickets breaching because they were logged as Low.",
			"rejection": "The mapping is right; the breaches came from two agents, handled by coaching.",
		},
		{
			"title": "Self-service quota form for full mailboxes",
			"service": "EMAIL",
			"source": "Suggestion",
			"status": "Done",
			"priority": "Medium",
			"owner": DEMO_OWNER,
			"target": -15,
			"done": -20,
			"expected": "Mailbox-full tickets handled without an agent.",
			"measured": "Mailbox-full tickets down 40 % in six weeks; 3 agent hours saved a week.",
		},
		{
			"title": "Knowledge articles for the ten most frequent email requests",
			"service": "EMAIL",
			"source": "KPI Miss",
			"from_service": True,
			"status": "Done",
			"priority": "Low",
			"owner": DEMO_ANALYST,
			"target": -70,
			"done": -75,
			"expected": "First-contact resolution for email from 55 % to 70 %.",
			"measured": "First-contact resolution 68 % after two months.",
		},
		{
			"title": "Pre-staged laptops for new joiners",
			"service": "LAPTOP",
			"source": "KPI Miss",
			"from_service": True,
			"status": "In Progress",
			"priority": "High",
			"owner": DEMO_OWNER,
			"target": -12,
			"expected": "Every joiner has a working device on day one (today 82 %).",
		},
		{
			"title": "Post-incident review after each month-end ERP incident",
			"service": "ERP",
			"source": "Review",
			"status": "Approved",
			"priority": "High",
			"owner": DEMO_APPS_OWNER,
			"target": -5,
			"expected": "Month-end close within 3 working days again.",
		},
		{
			"title": "Monthly SLA report sent to every customer",
			"service": "ERP",
			"source": "Review",
			"status": "Approved",
			"priority": "Medium",
			"owner": DEMO_MANAGER,
			"target": 40,
			"expected": "Customers see compliance before the service review, not during it.",
		},
		{
			"title": "Quarterly supplier review with CloudHost",
			"service": "ERP",
			"source": "Audit",
			"status": "In Progress",
			"priority": "Medium",
			"owner": DEMO_APPS_OWNER,
			"target": 20,
			"expected": "Underpinning contract targets checked against the ERP SLA every quarter.",
		},
		{
			"title": "Align OLA targets with the Network Operations shifts",
			"service": "NET",
			"source": "Audit",
			"status": "Proposed",
			"priority": "Medium",
			"owner": None,
			"target": 60,
			"expected": "OLA breaches at shift change no longer counted against the team.",
		},
		{
			"title": "Chatbot for HR portal questions",
			"service": "HRPORTAL",
			"source": "Suggestion",
			"status": "Proposed",
			"priority": "Low",
			"owner": DEMO_APPS_OWNER,
			"target": -8,
			"expected": "A third of HR questions answered without a ticket.",
		},
		{
			"title": "Secure e-delivery to replace the fax gateway",
			"service": "FAX",
			"source": "Review",
			"status": "Rejected",
			"priority": "Low",
			"owner": DEMO_OWNER,
			"target": None,
			"expected": "No more faxes to customers.",
			"rejection": "Covered by the fax gateway retirement project (PROJ-0157).",
		},
	]


def make_improvements(today: date) -> int:
	"""Upserts the demo improvements by title; an item raised from an SLA breach points at a clock of the
	tickets just made (or at its service when none breached)."""
	specs = improvement_specs()
	existing = dict(
		frappe.get_all(
			"SMO Improvement",
			filters={"title": ("in", [s["title"] for s in specs])},
			fields=["title", "name"],
			as_list=True,
		)
	)
	for spec in specs:
		origin_doctype, origin = None, None
		if "breach" in spec:
			origin = breached_clock(spec["service"], spec["breach"])
			if not origin and spec["breach"]:
				origin = breached_clock(spec["service"])
			origin_doctype = "SMO Ticket SLA" if origin else "SMO Service"
			origin = origin or spec["service"]
		elif spec.get("from_service"):
			origin_doctype, origin = "SMO Service", spec["service"]
		description = f"<p>{spec['expected']}</p>"
		if origin_doctype == "SMO Ticket SLA":
			ticket = frappe.db.get_value("SMO Ticket SLA", origin, "ticket")
			description += f"<p>Raised from the breached clock of ticket {ticket}.</p>"
		upsert(
			"SMO Improvement",
			existing.get(spec["title"]),
			{
				"title": spec["title"],
				"service": spec["service"],
				"source": spec["source"],
				"raised_from_doctype": origin_doctype,
				"raised_from": origin,
				"status": spec["status"],
				"priority": spec["priority"],
				"improvement_owner": spec["owner"],
				"target_date": add_days(today, spec["target"]) if spec["target"] is not None else None,
				"completed_on": add_days(today, spec["done"]) if spec.get("done") is not None else None,
				"description": description,
				"expected_benefit": spec["expected"],
				"measured_benefit": spec.get("measured"),
				"rejection_reason": spec.get("rejection"),
			},
		)
	return len(specs)


def checklist(today: date, done: int, extra: dict | None = None) -> list[dict]:
	"""The readiness checklist of a transition: the first `done` mandatory items are ticked."""
	items = [
		("Service catalog entry and owner confirmed", "Service owner", -40),
		("SLA and OLA targets agreed and loaded", "SMO", -25),
		("Support team trained and rota in place", "Service Desk lead", -10),
		("Knowledge articles and runbook handed over", "Project team", 5),
		("Monitoring and alerting live", "Network Operations", 10),
	]
	rows = [
		{
			"item": item,
			"mandatory": 1,
			"done": 1 if i < done else 0,
			"responsible": responsible,
			"due_date": add_days(today, due),
		}
		for i, (item, responsible, due) in enumerate(items)
	]
	rows.append(
		{"item": "Launch note to customers", "mandatory": 0, "done": 0, "responsible": "Communications"}
	)
	return rows


def liaison_specs(today: date, now: datetime) -> list[dict]:
	"""`synced` holds the project values as last read from the PMO site (demo values, nothing is called)."""
	recent, long_ago = now - timedelta(minutes=20), now - timedelta(days=88)
	rejected = pmo_sync.auth_message(PMOAuthError("Unauthorized", status_code=401))
	return [
		{
			"service": "HRPORTAL",
			"relationship": "New Service",
			"transition_stage": "Transition",
			"project": "PROJ-0142",
			"pmo_contact": "Federica Marino (PMO)",
			"smo_contact": DEMO_APPS_OWNER,
			"go_live_date": add_days(today, 21),
			"hypercare_until": add_days(today, 51),
			"readiness_checklist": checklist(today, 3),
			"synced": ("HR Self-Service Portal rollout", "Open", 78, add_days(today, 35), recent),
		},
		{
			"service": "ERP",
			"relationship": "Change to Service",
			"transition_stage": "Build",
			"project": "PROJ-0131",
			"pmo_contact": "Stefano Ricci (PMO)",
			"smo_contact": DEMO_APPS_OWNER,
			"go_live_date": add_days(today, 45),
			"readiness_checklist": checklist(today, 1),
			# the last good values are three days old: since then the PMO site rejects the API key
			"synced": ("ERP platform upgrade", "Open", 45, add_days(today, 60), now - timedelta(days=3)),
			"failure": (pmo_sync.CREDENTIALS_REJECTED, rejected, recent),
		},
		{
			"service": "FAX",
			"relationship": "Retirement",
			"transition_stage": "Planning",
			"project": "PROJ-0157",
			"pmo_contact": "Federica Marino (PMO)",
			"smo_contact": DEMO_OWNER,
			"go_live_date": add_days(today, 75),
			"readiness_checklist": checklist(today, 0),
			"synced": ("Fax gateway decommissioning", "Open", 10, add_days(today, 90), recent),
		},
		{
			"service": "EMAIL",
			"relationship": "Hypercare",
			"transition_stage": "Hypercare",
			"project": "PROJ-0118",
			"pmo_contact": "Stefano Ricci (PMO)",
			"smo_contact": DEMO_OWNER,
			"go_live_date": add_days(today, -10),
			"hypercare_until": add_days(today, 20),
			"hypercare_agreement": HYPERCARE_SLA,
			"readiness_checklist": checklist(today, 5),
			"synced": ("Mailbox migration to the cloud", "Completed", 100, add_days(today, -10), recent),
		},
		{
			"service": "NET",
			"relationship": "Change to Service",
			"transition_stage": "Closed",
			"project": "PROJ-0097",
			"pmo_contact": "Federica Marino (PMO)",
			"smo_contact": DEMO_OWNER,
			"go_live_date": add_days(today, -120),
			"hypercare_until": add_days(today, -90),
			"readiness_checklist": checklist(today, 5),
			# closed liaisons are no longer synced
			"synced": ("SD-WAN for branch offices", "Completed", 100, add_days(today, -125), long_ago),
		},
	]


def make_liaisons(today: date) -> int:
	"""Upserts the demo liaisons by service and project. The sync owns the project values (a save keeps
	them), so the demo writes them the way the sync records a result."""
	specs = liaison_specs(today, now_datetime())
	for spec in specs:
		values = {k: v for k, v in spec.items() if k not in ("synced", "failure")}
		values["project_source"] = pmo_sync.REMOTE
		name = frappe.db.get_value(
			"SMO PMO Liaison",
			{"service": spec["service"], "project_source": pmo_sync.REMOTE, "project": spec["project"]},
		)
		doc = upsert("SMO PMO Liaison", name, values)
		title, status, percent, expected_end, synced_at = spec["synced"]
		sync_status, sync_error, attempt_at = spec.get("failure") or (pmo_sync.OK, None, synced_at)
		frappe.db.set_value(
			"SMO PMO Liaison",
			doc.name,
			{
				"project_title": title,
				"project_status": status,
				"percent_complete": percent,
				"expected_end": expected_end,
				"last_synced_at": synced_at,
				"last_sync_attempt_at": attempt_at,
				"sync_status": sync_status,
				"sync_error": sync_error,
				"project_missing": 0,
			},
			update_modified=False,
		)
	return len(specs)


# ------------------------------------------------------------------------------------------- statements
def make_statements() -> dict[str, str]:
	"""Two customers opt in to the monthly SLA statement; Acme gets a contact (a portal user without a
	password) and last month's statement, Globex has no contact: its statement is marked No Contacts."""
	from smo_extension.sla import statement

	for customer in STATEMENT_CUSTOMERS:
		frappe.db.set_value("HD Customer", customer, statement.OPT_IN_FIELD, 1)
	first, last, email = ACME_CONTACT
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first,
				"last_name": last,
				"user_type": "Website User",
				"send_welcome_email": 0,
			}
		).insert(ignore_permissions=True)
	contact = frappe.db.get_value("Contact", {"email_id": email})
	if not contact:
		contact = (
			frappe.get_doc(
				{
					"doctype": "Contact",
					"first_name": first,
					"last_name": last,
					"email_ids": [{"email_id": email, "is_primary": 1}],
					"user": email,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	helpdesk_compat.add_customer_contact(STATEMENT_CUSTOMERS[0], contact)
	month = f"{add_months(getdate(), -1):%Y-%m}"
	results = {}
	for customer in STATEMENT_CUSTOMERS:
		doc = statement.generate(customer, month)
		# nothing is e-mailed from the demo: only a customer without contacts is marked as the job would
		results[doc.name] = statement.NO_CONTACTS if not statement.contacts_of(customer) else doc.status
		if results[doc.name] == statement.NO_CONTACTS:
			statement.send(doc)
	return results


# ------------------------------------------------------------------------------------------- KPIs
# Periods measured per frequency: the demo's months (and the last finished quarters).
KPI_PERIODS = {"Monthly": 4, "Quarterly": 1}
# name, metric, direction (H/L), (target, amber, red), scope, owner, objective, frequency, the colour the
# latest period must show (None: whatever the demo's tickets give, but never Red). Thresholds are the SMO's;
# `calibrate` moves them only where the demo's random tickets would show another colour.
KPI_SPECS = [
	(
		"Resolution SLA compliance",
		"resolution_compliance",
		"H",
		(90, 85, 75),
		{},
		DEMO_MANAGER,
		"Customers get what the SLAs promise",
		"Monthly",
		"amber",
	),
	(
		"Response SLA compliance",
		"response_compliance",
		"H",
		(90, 85, 75),
		{},
		DEMO_MANAGER,
		"Customers get what the SLAs promise",
		"Monthly",
		None,
	),
	(
		"Customer satisfaction",
		"csat",
		"H",
		(70, 60, 50),
		{},
		DEMO_MANAGER,
		"Customers get what the SLAs promise",
		"Monthly",
		None,
	),
	(
		"Catalog completeness",
		"catalog_completeness",
		"H",
		(100, 90, 75),
		{},
		DEMO_MANAGER,
		"Every live service in the catalog with an owner and an SLA",
		"Monthly",
		None,
	),
	(
		"Policy review compliance",
		"policy_review_compliance",
		"H",
		(90, 80, 70),
		{},
		DEMO_MANAGER,
		"Policies and processes reviewed on time",
		"Monthly",
		"amber",
	),
	(
		"Improvements delivered",
		"improvement_throughput",
		"H",
		(3, 2, 0),
		{},
		DEMO_ANALYST,
		"Improvements delivered, not just logged",
		"Quarterly",
		None,
	),
	(
		"Backlog older than 30 days",
		"backlog_aged_30",
		"L",
		(10, 20, 30),
		{},
		DEMO_ANALYST,
		None,
		"Monthly",
		None,
	),
	(
		"ERP mean time to resolve",
		"mttr_business",
		"L",
		(720, 900, 1200),
		{"service": "ERP"},
		DEMO_APPS_OWNER,
		"Month-end close on time",
		"Monthly",
		"red",
	),
	(
		"ERP 90th percentile time to resolve",
		"mttr_p90_business",
		"L",
		(1800, 2160, 2880),
		{"service": "ERP"},
		DEMO_APPS_OWNER,
		"Month-end close on time",
		"Monthly",
		None,
	),
	(
		"Network resolution compliance",
		"resolution_compliance",
		"H",
		(95, 85, 65),
		{"service": "NET"},
		DEMO_OWNER,
		"Keep every office online",
		"Monthly",
		None,
	),
	(
		"Service Desk OLA compliance (email)",
		"resolution_compliance",
		"H",
		(85, 75, 55),
		{"service": "EMAIL", "agreement_type": "OLA", "team": "Service Desk"},
		DEMO_OWNER,
		"Staff can always reach customers",
		"Monthly",
		None,
	),
	(
		"Email reopen rate",
		"reopen_rate",
		"L",
		(5, 8, 12),
		{"service": "EMAIL"},
		DEMO_OWNER,
		"Staff can always reach customers",
		"Monthly",
		None,
	),
	(
		"Device time to first response",
		"mtta_business",
		"L",
		(120, 180, 240),
		{"service": "LAPTOP"},
		DEMO_OWNER,
		"New joiners productive on day one",
		"Monthly",
		None,
	),
	(
		"Device backlog",
		"backlog",
		"L",
		(6, 10, 15),
		{"service": "LAPTOP"},
		DEMO_OWNER,
		"New joiners productive on day one",
		"Monthly",
		None,
	),
	(
		"High-priority resolution compliance",
		"resolution_compliance",
		"H",
		(90, 80, 60),
		{"priority": "High"},
		DEMO_MANAGER,
		"Customers get what the SLAs promise",
		"Monthly",
		None,
	),
]


def make_kpis() -> dict:
	"""The demo KPIs, measured for their demo periods (replacing earlier demo measurements and the
	improvements they raised)."""
	from smo_extension.engine import kpi as engine
	from smo_extension.kpi import jobs
	from smo_extension.kpi import measure

	names = []
	for name, metric, way, (target, amber, red), scope, owner, objective, frequency, _colour in KPI_SPECS:
		existing = frappe.db.get_value("SMO KPI Definition", {"kpi_name": name}, "name")
		doc = upsert(
			"SMO KPI Definition",
			existing,
			{
				"kpi_name": name,
				"metric": metric,
				"direction": engine.HIGHER if way == "H" else engine.LOWER,
				"target": target,
				"amber_threshold": amber,
				"red_threshold": red,
				"frequency": frequency,
				"kpi_owner": owner,
				"active": 1,
				"business_objective": objective,
				**{f: scope.get(f) for f in engine.SCOPE_FIELDS},
			},
		)
		names.append(doc.name)
	measurements = frappe.get_all("SMO KPI Measurement", filters={"kpi": ("in", names)}, pluck="name")
	if measurements:
		for improvement in frappe.get_all(
			"SMO Improvement",
			filters={"raised_from_doctype": "SMO KPI Measurement", "raised_from": ("in", measurements)},
			pluck="name",
		):
			frappe.delete_doc("SMO Improvement", improvement, force=True, ignore_permissions=True)
		frappe.db.delete("SMO KPI Measurement", {"kpi": ("in", names)})
		frappe.db.delete("Version", {"ref_doctype": "SMO KPI Measurement", "docname": ("in", measurements)})

	now = ticket_sla.aware(now_datetime())
	timezone = measure.smo_timezone()
	wanted = {}
	for spec, name in zip(KPI_SPECS, names, strict=True):
		frequency = spec[7]
		periods = [engine.last_finished(frequency, now, timezone, jobs.GRACE)]
		while len(periods) < KPI_PERIODS[frequency]:
			periods.insert(0, periods[0].previous())
		wanted[name] = periods
	definitions = measure.load_definitions(names)
	values = {}
	for period, members in measure.batches(definitions, wanted):
		for name, result in measure.compute(members, measure.period_window(period, timezone)).items():
			values.setdefault(name, []).append(result.value)
	for spec, name in zip(KPI_SPECS, names, strict=True):
		doc = frappe.get_doc("SMO KPI Definition", name)
		current = (doc.target, doc.amber_threshold, doc.red_threshold)
		moved = calibrate(doc.direction, doc.unit, values[name], spec[8], *current)
		if moved != current:
			doc.update(dict(zip(("target", "amber_threshold", "red_threshold"), moved, strict=True)))
			doc.save(ignore_permissions=True)
	written = measure.measure_periods(measure.load_definitions(names), wanted)
	return {"kpis": len(names), "kpi_measurements": len(written)}


def calibrate(direction, unit, series, colour, target, amber, red) -> tuple[float, float, float]:
	"""Thresholds that give the latest value of `series` the RAG `colour` (None: any but Red) and no other
	period Red (when a threshold fits): the SMO's own where they do, else moved just enough, in steps of 1 (10 for minutes)."""
	from smo_extension.engine import kpi as engine

	if series[-1] is None:
		return target, amber, red
	wanted = {None: None, "green": engine.GREEN, "amber": engine.AMBER, "red": engine.RED}[colour]
	step = 10 if unit == engine.MINUTES else 1
	sign = 1 if direction == engine.LOWER else -1  # work as "lower is better" on sign x value
	v = sign * series[-1]
	earlier = [sign * x for x in series[:-1] if x is not None]
	t, a, r = (sign * x for x in (target, amber, red))

	def down(x):
		return step * math.floor(x / step)

	def up(x):
		return step * math.ceil(x / step)

	if wanted and engine.rag(v, engine.LOWER, t, a, r) != wanted:
		if wanted == engine.GREEN:  # meets the target
			t = up(v)
			a, r = t + 2 * step, t + 4 * step
		elif wanted == engine.AMBER:  # at or past amber, short of red
			a = down(v)
			t, r = a - 2 * step, a + 2 * step
		else:  # at or past red
			r = down(v)
			a, t = r - step, r - 3 * step
	if wanted == engine.RED:
		worst_before = max(earlier, default=None)
		if worst_before is not None and r <= worst_before < v:
			r = down(v) if down(v) > worst_before else v
	elif max([*earlier, v]) >= r:  # some period would be Red: move red past the worst of them
		r = up(max([*earlier, v])) + step
	values = tuple(sign * x for x in (t, a, r))
	values = tuple(max(x, 0) for x in values)
	if unit == engine.PERCENT:
		values = tuple(min(x, 100) for x in values)
	return tuple(float(x) for x in values)
