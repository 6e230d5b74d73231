"""A believable SMO on a site: `bench --site <site> execute smo_extension.demo.make_demo`.

Calendars, teams, customers, a catalog of services with dependencies and objectives, SLAs and OLAs, mapping
rules, and a few hundred tickets spread over the last four months with real-looking timelines (responses,
waits on the customer, reopenings, some late). Ticket timelines are written as SMO events and replayed by the
same code the hooks use. Running it again replaces the demo tickets and leaves everything else as it is.
"""

import random
from datetime import date, datetime, timedelta

import frappe
from frappe.utils import add_days, now_datetime

from smo_extension.engine.calendar import BusinessCalendar
from smo_extension.sla import jobs
from smo_extension.sla import ticket as ticket_sla
from smo_extension.sla.config import calendar_windows, clear_config_cache

DEMO_PREFIX = "[demo]"
DEMO_AGENT = "agent.demo@example.com"
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
	clear_config_cache()
	made = make_tickets(tickets, days, rng, calendar)
	frappe.db.commit()  # nosemgrep: a bench execute command, committed once at the end
	return {"tickets": made, "services": len(SERVICES)}


def upsert(doctype: str, name: str, values: dict) -> "frappe.model.document.Document":
	if frappe.db.exists(doctype, name):
		doc = frappe.get_doc(doctype, name)
		doc.update(values)
		return doc.save(ignore_permissions=True)
	return frappe.get_doc({"doctype": doctype, **values}).insert(ignore_permissions=True)


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
	if not frappe.db.exists("User", DEMO_AGENT):
		agent = frappe.get_doc(
			{
				"doctype": "User",
				"email": DEMO_AGENT,
				"first_name": "Marco",
				"last_name": "Agent",
				"send_welcome_email": 0,
			}
		).insert(ignore_permissions=True)
		agent.add_roles("Agent")
	if not frappe.db.exists("HD Agent", DEMO_AGENT):
		frappe.get_doc({"doctype": "HD Agent", "user": DEMO_AGENT, "is_active": 1}).insert(
			ignore_permissions=True
		)
	owner = "service.owner.demo@example.com"
	if not frappe.db.exists("User", owner):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": owner,
				"first_name": "Giulia",
				"last_name": "Owner",
				"send_welcome_email": 0,
			}
		).insert(ignore_permissions=True)
		user.add_roles("Service Owner")


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
				"service_owner": "service.owner.demo@example.com",
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
			compliance_target=95 if code != "NET" else 98,
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
	late = rng.random() < 0.12
	work = resolution_target * (rng.uniform(1.05, 1.8) if late else rng.uniform(0.15, 0.9))
	status, category = "Open", "Open"
	resolved_at = None
	if responded < now:
		ev(responded, "first_response", str(ticket_sla.naive(responded)))
		cursor, done = responded, business(calendar, opened, responded)
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
	frappe.db.set_value(
		"HD Ticket",
		name,
		{
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
	frappe.db.delete("SMO Ticket Event", {"ticket": name})
	ticket_sla.insert_events(
		name, [(ticket_sla.naive(w), f, v) for w, f, v in sorted(events, key=lambda e: e[0])]
	)
	return name


def business(calendar: BusinessCalendar, start: datetime, end: datetime) -> float:
	return calendar.business_seconds(start, end)
