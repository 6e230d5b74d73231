"""The one place site-tier tests make their records."""

from contextlib import contextmanager

import frappe

from smo_extension import helpdesk_compat

MANAGER = "smo.manager@example.com"
ANALYST = "smo.analyst@example.com"
OWNER = "service.owner@example.com"
OTHER_OWNER = "other.owner@example.com"
AGENT = "smo.agent@example.com"
HELPDESK_ADMIN = "helpdesk.admin@example.com"
PORTAL = "smo.portal@example.com"
PORTAL_CUSTOMER = "_SMO Portal Customer"

_USERS = {
	MANAGER: ("SMO Manager",),
	ANALYST: ("SMO Analyst",),
	OWNER: ("Service Owner",),
	OTHER_OWNER: ("Service Owner",),
	AGENT: ("Agent",),
	HELPDESK_ADMIN: ("Agent Manager", "System Manager"),
	PORTAL: (),
}
_AGENTS = (AGENT, HELPDESK_ADMIN)
_password: list[str] = []


def test_password() -> str:
	"""The test users' password: made anew in every test process, never stored anywhere but the site."""
	if not _password:
		_password.append(frappe.generate_hash(length=20))
	return _password[0]


def make_user(
	email: str, roles: tuple[str, ...] = (), first_name: str | None = None, last_name: str = ""
) -> None:
	"""A test person with `roles` (a Website User without) and this process's test password; made when missing,
	given the roles it lacks otherwise."""
	from frappe.utils.password import update_password

	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first_name or email.split("@")[0].replace(".", " ").title(),
				"last_name": last_name,
				"send_welcome_email": 0,
				"user_type": "System User" if roles else "Website User",
			}
		).insert(ignore_permissions=True)
	missing = [role for role in roles if role not in frappe.get_roles(email)]
	if missing:
		frappe.get_doc("User", email).add_roles(*missing)
	update_password(email, test_password())


def ensure_test_users() -> None:
	for email, roles in _USERS.items():
		make_user(email, roles)
		if email in _AGENTS:
			helpdesk_compat.make_agent(email)
	make_portal_contact()
	frappe.db.commit()  # nosemgrep: test users outlive one test's rollback


def make_portal_contact() -> None:
	"""The portal user is the contact of an HD Customer, as Helpdesk's customer portal has it. Frappe may
	have made a Contact for the new website user already: that one gets the link to the customer."""
	make_customer(PORTAL_CUSTOMER)
	contact = frappe.db.get_value("Contact", {"email_id": PORTAL}, "name")
	if not contact:
		doc = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": "Portal",
				"last_name": "Customer",
				"email_ids": [{"email_id": PORTAL, "is_primary": 1}],
				"user": PORTAL,
			}
		)
		contact = doc.insert(ignore_permissions=True).name
	elif not frappe.db.get_value("Contact", contact, "user"):
		frappe.db.set_value("Contact", contact, "user", PORTAL)
	helpdesk_compat.add_customer_contact(PORTAL_CUSTOMER, contact)


def make_ticket(subject: str = "SMO test ticket", **fields) -> "frappe.model.document.Document":
	ticket = frappe.get_doc(
		{
			"doctype": "HD Ticket",
			"subject": subject,
			"description": "Raised by the smo_extension tests.",
			"raised_by": "customer@example.com",
			**fields,
		}
	)
	ticket.insert(ignore_permissions=True)
	return ticket


def set_settings(**values) -> None:
	settings = frappe.get_single("SMO Settings")
	settings.update(values)
	settings.flags.ignore_permissions = True
	settings.save()


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def make_calendar(
	name: str = "_Test Weekdays",
	timezone: str | None = None,
	windows: dict[str, list[tuple[str, str]]] | None = None,
	holidays: list[str] = (),
) -> "frappe.model.document.Document":
	"""A calendar, Mon-Fri 09:00-17:00 in the site's time zone unless told otherwise. Replaces one of the
	same name."""
	if frappe.db.exists("SMO Business Calendar", name):
		frappe.delete_doc("SMO Business Calendar", name, force=True, ignore_permissions=True)
	if windows is None:
		windows = {day: [("09:00", "17:00")] for day in WEEKDAYS[:5]}
	doc = frappe.get_doc(
		{
			"doctype": "SMO Business Calendar",
			"calendar_name": name,
			"timezone": timezone or frappe.utils.get_system_timezone(),
			"windows": [
				{"weekday": day, "start_time": start, "end_time": end}
				for day, spans in windows.items()
				for start, end in spans
			],
			"holidays": [{"holiday_date": d, "description": "holiday"} for d in holidays],
		}
	)
	return doc.insert(ignore_permissions=True)


def make_team(name: str) -> str:
	if not frappe.db.exists("HD Team", name):
		frappe.get_doc({"doctype": "HD Team", "team_name": name}).insert(ignore_permissions=True)
	return name


def make_customer(name: str) -> str:
	if not frappe.db.exists("HD Customer", name):
		frappe.get_doc({"doctype": "HD Customer", "customer_name": name}).insert(ignore_permissions=True)
	return name


def make_service(code: str = "_TST", **fields) -> "frappe.model.document.Document":
	values = {
		"doctype": "SMO Service",
		"service_code": code,
		"service_name": fields.pop("service_name", f"Service {code}"),
		"lifecycle_stage": "Catalog",
		"status": "Live",
		**fields,
	}
	if frappe.db.exists("SMO Service", code):
		doc = frappe.get_doc("SMO Service", code)
		doc.update(values)
		return doc.save(ignore_permissions=True)
	return frappe.get_doc(values).insert(ignore_permissions=True)


# response minutes, resolution minutes per priority
DEFAULT_TARGETS = {"Urgent": (15, 60), "High": (30, 240), "Medium": (60, 480), "Low": (120, 960)}


def make_agreement(
	name: str,
	service: str,
	agreement_type: str = "SLA",
	targets: dict[str, tuple[int, int]] | None = None,
	status: str = "Active",
	valid_from: str = "2020-01-01",
	**fields,
) -> "frappe.model.document.Document":
	if frappe.db.exists("SMO Service Level Agreement", name):
		frappe.db.delete("SMO Ticket SLA", {"agreement": name})
		frappe.delete_doc("SMO Service Level Agreement", name, force=True, ignore_permissions=True)
	doc = frappe.get_doc(
		{
			"doctype": "SMO Service Level Agreement",
			"agreement_name": name,
			"agreement_type": agreement_type,
			"service": service,
			"status": status,
			"valid_from": valid_from,
			"compliance_target": 95,
			"targets": [
				{"priority": p, "response_minutes": r, "resolution_minutes": s}
				for p, (r, s) in (targets or DEFAULT_TARGETS).items()
			],
			**fields,
		}
	)
	return doc.insert(ignore_permissions=True)


def make_budget_alert(
	service: str, agreement: str, period_start: str = "2026-03-01", **fields
) -> "frappe.model.document.Document":
	"""An SMO Budget Alert as the daily error budget job writes it (nobody else may)."""
	from smo_extension.sla.budget import alert_name

	doc = frappe.get_doc(
		{
			"doctype": "SMO Budget Alert",
			"service": service,
			"agreement": agreement,
			"period_start": period_start,
			"projected_compliance": fields.pop("projected_compliance", 60),
			"target": fields.pop("target", 90),
			**fields,
		}
	)
	doc.flags.smo_system = True
	return doc.insert(
		ignore_permissions=True, set_name=alert_name(agreement, frappe.utils.getdate(period_start))
	)


def clocks_of(ticket: str) -> dict[str, "frappe._dict"]:
	"""The SMO Ticket SLA rows of a ticket, keyed by agreement."""
	rows = frappe.get_all("SMO Ticket SLA", filters={"ticket": ticket}, fields=["*"])
	return {r.agreement: r for r in rows}


def events_of(ticket: str) -> list[tuple]:
	return list(
		frappe.get_all(
			"SMO Ticket Event",
			filters={"ticket": ticket},
			fields=["event_time", "field", "value"],
			order_by="event_time asc, creation asc",
			as_list=True,
		)
	)


# ---- governance: policies, improvements, PMO liaisons -----------------------------------------------------
POLICY_PATH = ("Draft", "In Review", "Approved", "Published", "Retired")
PMO_URL = "https://pmo.example.com"
PMO_KEY = "smo-api-key"
PMO_SECRET = "pmo-s3cret-DO-NOT-LEAK"


def make_policy(
	code: str | None = None,
	version: str = "1.0",
	status: str = "Draft",
	policy_owner: str = OWNER,
	approver: str = MANAGER,
	effective_from: str | None = "2026-01-01",
	review_every_months: int = 12,
	**fields,
) -> "frappe.model.document.Document":
	"""A policy walked through the lifecycle to `status` by the current user (Administrator: every role).
	The code is unique per call unless given."""
	doc = frappe.get_doc(
		{
			"doctype": "SMO Policy",
			"title": fields.pop("title", f"Policy {code or ''}".strip()),
			"policy_code": code or f"_POL-{frappe.generate_hash(length=8)}",
			"version": version,
			"document_type": fields.pop("document_type", "Policy"),
			"policy_owner": policy_owner,
			"approver": approver,
			"effective_from": effective_from,
			"review_every_months": review_every_months,
			"policy_text": fields.pop("policy_text", "<p>The text of the policy.</p>"),
			**fields,
		}
	).insert(ignore_permissions=True)
	for step in POLICY_PATH[1 : POLICY_PATH.index(status) + 1]:
		doc.status = step
		doc.save(ignore_permissions=True)
	return doc


def make_improvement(title: str = "_Test improvement", **fields) -> "frappe.model.document.Document":
	return frappe.get_doc(
		{"doctype": "SMO Improvement", "title": title, "source": fields.pop("source", "Review"), **fields}
	).insert(ignore_permissions=True)


def make_liaison(
	service: str, project: str = "PROJ-0001", relationship: str = "Change to Service", **fields
) -> "frappe.model.document.Document":
	return frappe.get_doc(
		{
			"doctype": "SMO PMO Liaison",
			"service": service,
			"project": project,
			"relationship": relationship,
			"project_source": fields.pop("project_source", "PMO Site"),
			**fields,
		}
	).insert(ignore_permissions=True)


def set_pmo_connection(
	base_url: str = PMO_URL, api_key: str = PMO_KEY, api_secret: str = PMO_SECRET, **values
) -> None:
	set_settings(pmo_base_url=base_url, pmo_api_key=api_key, pmo_api_secret=api_secret, **values)


@contextmanager
def frozen(when: str, tick: bool = False):
	"""The clock stopped at `when` in site time (FrappeTestCase.freeze_time, usable outside a test method)."""
	import pytz
	from freezegun import freeze_time

	zone = pytz.timezone(frappe.utils.get_system_timezone())
	with freeze_time(zone.localize(frappe.utils.get_datetime(when)).astimezone(pytz.utc), tick=tick):
		yield


# ---- hypercare and statements -------------------------------------------------------------------------------
# Stricter than DEFAULT_TARGETS: Medium is resolved within 2 business hours during hypercare.
HYPERCARE_TARGETS = {"Urgent": (5, 30), "High": (10, 60), "Medium": (15, 120), "Low": (30, 240)}


def make_hypercare(
	service: str,
	go_live_date: str,
	hypercare_until: str,
	agreement: str | None = None,
	project: str | None = None,
	**fields,
) -> "frappe.model.document.Document":
	"""A liaison of `service` in stage Hypercare whose window is go-live to `hypercare_until`, judged by a
	hypercare SLA (made with HYPERCARE_TARGETS unless an existing `agreement` is named)."""
	if agreement is None:
		agreement = f"{service} Hypercare SLA"
		make_agreement(
			agreement,
			service,
			targets=HYPERCARE_TARGETS,
			is_hypercare=1,
			calendar=fields.pop("calendar", None),
			compliance_target=98,
		)
	return make_liaison(
		service,
		project=project or f"PROJ-HC-{frappe.generate_hash(length=6)}",
		relationship="Hypercare",
		transition_stage="Hypercare",
		go_live_date=go_live_date,
		hypercare_until=hypercare_until,
		hypercare_agreement=agreement,
		**fields,
	)


# ---- KPIs ---------------------------------------------------------------------------------------------------
def make_kpi(
	metric: str = "resolution_compliance",
	target: float = 95,
	amber: float = 90,
	red: float = 85,
	direction: str | None = None,
	**fields,
) -> "frappe.model.document.Document":
	"""A KPI definition; the direction defaults to the metric's usual one, the name is unique per call."""
	from smo_extension.engine.kpi import METRICS

	return frappe.get_doc(
		{
			"doctype": "SMO KPI Definition",
			"kpi_name": fields.pop("kpi_name", f"_KPI {metric} {frappe.generate_hash(length=6)}"),
			"metric": metric,
			"direction": direction or METRICS[metric].direction,
			"target": target,
			"amber_threshold": amber,
			"red_threshold": red,
			"frequency": fields.pop("frequency", "Monthly"),
			**fields,
		}
	).insert(ignore_permissions=True)


def remove_imported() -> None:
	"""Every record Import from Helpdesk made (agreements with their clocks, calendars, rules, services, with their
	child rows) and the Helpdesk verdicts it recorded: tests that import leave the site as they found it."""
	from smo_extension.sla.adopt import SOURCE
	from smo_extension.sla.config import clear_config_cache

	imported = {"imported_from": ("like", f"{SOURCE}%")}
	services = frappe.get_all("SMO Service", filters=imported, pluck="name")
	if services:
		t = frappe.qb.DocType("HD Ticket")
		frappe.qb.update(t).set(t.smo_service, None).set(t.smo_service_by_rule, 0).where(
			t.smo_service.isin(services)
		).run()
	for doctype in (
		"SMO Service Mapping Rule",
		"SMO Service Level Agreement",
		"SMO Business Calendar",
		"SMO Service",
	):
		names = frappe.get_all(doctype, filters=imported, pluck="name")
		if not names:
			continue
		if doctype == "SMO Service Level Agreement":
			frappe.db.delete("SMO Ticket SLA", {"agreement": ("in", names)})
		for table in frappe.get_meta(doctype).get_table_fields():
			frappe.db.delete(table.options, {"parenttype": doctype, "parent": ("in", names)})
		frappe.db.delete(doctype, {"name": ("in", names)})
	frappe.db.delete("SMO Helpdesk Verdict")
	clear_config_cache()
	frappe.local.cache = {}  # this process's copy of the cached config too
	frappe.db.commit()  # nosemgrep
