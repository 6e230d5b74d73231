"""The one module of the app that knows Helpdesk's versions (1.15 → 1.28 and develop).

Every other module reads what differs between Helpdesk releases through here, and nothing else imports
`helpdesk.*` or names a field that only some releases have (a tier-1 test reads the sources for that). Each
difference is decided by **feature detection** — does the function, doctype or field exist — never by parsing a
version string, so a release that back-ports or renames a piece is handled by what it has.

| what differs | older shape | newer shape | here |
|---|---|---|---|
| a contact's customers | `helpdesk.utils.get_customer(contact)` over Contact's Dynamic Links (≤ 1.27) | `get_customers(user, contact, get_roles)` over HD Customer Member (≥ 1.28) | `contact_customers` |
| a customer's contacts | Dynamic Link Contact → HD Customer (≤ 1.27) | child table HD Customer Member (≥ 1.28) | `customer_contacts` (both, merged) |
| priority order | HD Ticket Priority `integer_value` (lower is more urgent) | `level` (Urgent, High, Medium, Low) (develop) | `priority_ranks` |
| list API | `columns=None`, `rows=None` accepted (1.15) | typed `columns: list = []`, `rows: list = []`, `filters: dict` (≥ 1.20) | `get_list_data` |
| ticket names | autoincrement integers (≤ 1.24) | naming series `.####`, text such as `"0058"` (≥ 1.25) | `ticket_name`, `ticket_as_sent` |
| Helpdesk's SLA fields on HD Ticket | `response_by`, `resolution_by`, `agreement_status` | also `first_response_failed_by`, `resolution_failed_by` (≥ 1.25) | `helpdesk_sla_fields` |
| HD Agent | `agent_name` optional (1.15) | `agent_name` mandatory (≥ 1.20) | `make_agent` |
| an SLA's condition | the Python `condition` alone (older SLAs) | `condition_json` beside it (the SLA page's conditions) | `helpdesk_slas` |

The functions named `*_from` decide from what they are given (a module, a list of field names, rows) and need no
site: tier 1 tests them over both shapes of every difference. `frappe` is imported inside the functions that
read the site, so this module imports without one.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from collections.abc import Sequence
from types import ModuleType

# Helpdesk's SLA fields on HD Ticket that the SMO writes on tickets it judges: every release has these ...
BASE_SLA_FIELDS = ("response_by", "resolution_by", "agreement_status")
# ... and from 1.25 on, the business seconds by which a stopped target was missed (the agent's "Failed by" badges).
FAILED_BY_FIELDS = ("first_response_failed_by", "resolution_failed_by")
# HD Ticket Priority's `level` options (develop), most urgent first.
LEVELS = ("Urgent", "High", "Medium", "Low")

TICKET = "HD Ticket"
PRIORITY = "HD Ticket Priority"
CUSTOMER_MEMBER = "HD Customer Member"


# ------------------------------------------------------------------------------------------- Helpdesk's code
def helpdesk_module(path: str) -> ModuleType:
	"""A module of Helpdesk (`helpdesk.…`): the only import of Helpdesk's code in the app."""
	if path != "helpdesk" and not path.startswith("helpdesk."):
		raise ValueError(path)
	return importlib.import_module(path)


def ticket_class() -> type:
	return helpdesk_module("helpdesk.helpdesk.doctype.hd_ticket.hd_ticket").HDTicket


def sla_class() -> type:
	return helpdesk_module(
		"helpdesk.helpdesk.doctype.hd_service_level_agreement.hd_service_level_agreement"
	).HDServiceLevelAgreement


def close_tickets_after_n_days() -> None:
	"""Helpdesk's daily auto-close of resolved tickets (every release has it on the ticket module)."""
	helpdesk_module("helpdesk.helpdesk.doctype.hd_ticket.hd_ticket").close_tickets_after_n_days()


# ------------------------------------------------------------------------------------------- list API
def list_data_arguments(filters=None, default_filters=None, columns=None, rows=None, **rest) -> dict:
	"""The arguments of `helpdesk.api.doc.get_list_data` in the shape every release accepts: since 1.20 its
	parameters are typed (`columns: list = []`, `rows: list = []`, `filters: dict`) and Frappe refuses None for
	them; 1.15 reads an empty list as it reads None."""
	return {
		"filters": filters if filters is not None else {},
		"default_filters": default_filters if default_filters is not None else {},
		"columns": columns if columns is not None else [],
		"rows": rows if rows is not None else [],
		**rest,
	}


def get_list_data(**kwargs) -> dict:
	return helpdesk_module("helpdesk.api.doc").get_list_data(**list_data_arguments(**kwargs))


def get_quick_filters(doctype: str, show_customer_portal_fields: bool = False) -> list:
	return helpdesk_module("helpdesk.api.doc").get_quick_filters(
		doctype=doctype, show_customer_portal_fields=show_customer_portal_fields
	)


def default_agent_columns() -> list[str]:
	"""The keys of the columns Helpdesk's agent ticket list shows when the agent has no view of their own."""
	return [c["key"] for c in ticket_class().default_list_data(False)["columns"]]


# ------------------------------------------------------------------------------------------- customers
def customers_from(utils: ModuleType, user: str) -> list[str]:
	"""The HD Customers of `user` by Helpdesk's own rule: `get_customers(user=...)` where the release has it
	(≥ 1.28, HD Customer Member), else `get_customer(contact)` (a contact's name or e-mail; the portal user's id
	is their e-mail)."""
	if hasattr(utils, "get_customers"):
		return [str(c) for c in utils.get_customers(user=user)]
	return [str(c) for c in utils.get_customer(user)]


def contact_customers(user: str) -> list[str]:
	if not user or user == "Guest":
		return []
	return customers_from(helpdesk_module("helpdesk.utils"), user)


def merge_emails(*groups: Iterable[str | None]) -> list[str]:
	"""One sorted list of distinct, non-empty e-mail addresses."""
	return sorted({e for group in groups for e in group if e})


def customer_contacts(customer: str) -> list[str]:
	"""E-mail addresses of the customer's contacts, in either model: Contacts linked to the HD Customer by
	Dynamic Link (every release; what 1.28 migrates from) and the HD Customer's members (≥ 1.28, the child table
	HD Customer Member). Both are read, so a contact added before or after an upgrade counts."""
	import frappe

	contact = frappe.qb.DocType("Contact")
	link = frappe.qb.DocType("Dynamic Link")
	linked = (
		frappe.qb.from_(contact)
		.join(link)
		.on((link.parent == contact.name) & (link.parenttype == "Contact"))
		.select(contact.email_id)
		.distinct()
		.where((link.link_doctype == "HD Customer") & (link.link_name == customer))
		.run(pluck=True)
	)
	members: list[str] = []
	if frappe.db.exists("DocType", CUSTOMER_MEMBER):
		member = frappe.qb.DocType(CUSTOMER_MEMBER)
		members = (
			frappe.qb.from_(member)
			.join(contact)
			.on(contact.name == member.contact_name)
			.select(contact.email_id)
			.distinct()
			.where((member.parenttype == "HD Customer") & (member.parent == customer))
			.run(pluck=True)
		)
	return merge_emails(linked, members)


# ------------------------------------------------------------------------------------------- priorities
def priority_order_field_from(fieldnames: Iterable[str]) -> str:
	"""`integer_value` where HD Ticket Priority has it (≤ 1.28), else `level` (develop)."""
	return "integer_value" if "integer_value" in set(fieldnames) else "level"


def priority_ranks_from(field: str, rows: Sequence[tuple[str, object]]) -> dict[str, int]:
	"""Each priority's rank, 0 the most urgent: by `integer_value` ascending (Helpdesk's Urgent 100 … Low 400),
	or by `level` in the order Urgent, High, Medium, Low; ties and unknown levels by name."""
	if field == "integer_value":
		key = lambda row: (row[1] is None, row[1] or 0, str(row[0]))  # noqa: E731
	else:
		key = lambda row: (  # noqa: E731
			LEVELS.index(row[1]) if row[1] in LEVELS else len(LEVELS),
			str(row[0]),
		)
	return {str(row[0]): rank for rank, row in enumerate(sorted(rows, key=key))}


def priority_ranks() -> dict[str, int]:
	"""Helpdesk's priorities on this site, each with its rank (0 the most urgent)."""
	import frappe

	field = priority_order_field_from(f.fieldname for f in frappe.get_meta(PRIORITY).fields)
	rows = frappe.get_all(PRIORITY, fields=["name", field], as_list=True)
	return priority_ranks_from(field, rows)


def priority_values_from(fieldnames: Iterable[str], rank: int) -> dict:
	"""The ordering value a new HD Ticket Priority needs (it is mandatory in every release): `integer_value`
	(Helpdesk's steps of 100) or the `level` of that rank."""
	field = priority_order_field_from(fieldnames)
	if field == "integer_value":
		return {"integer_value": (rank + 1) * 100}
	return {"level": LEVELS[min(rank, len(LEVELS) - 1)]}


def priority_values(rank: int) -> dict:
	import frappe

	return priority_values_from((f.fieldname for f in frappe.get_meta(PRIORITY).fields), rank)


# ------------------------------------------------------------------------------------------- tickets
def ticket_name(value) -> str:
	"""A ticket's name as the database keys it: always text (`58` for an autoincrement ticket, `"0058"` for a
	named one); never `int()` a ticket name, `"0058"` is not `"58"`."""
	return str(value).strip()


def autoincrement_from(autoname: str | None) -> bool:
	return (autoname or "").strip().lower() == "autoincrement"


def ticket_as_sent(name: str):
	"""A ticket's name as Helpdesk's own pages send it: a number where HD Ticket is autoincrement (≤ 1.24),
	the text otherwise."""
	import frappe

	name = ticket_name(name)
	if autoincrement_from(frappe.get_meta(TICKET).autoname) and name.isdigit():
		return int(name)
	return name


def helpdesk_sla_fields_from(fieldnames: Iterable[str]) -> tuple[str, ...]:
	"""Helpdesk's SLA fields of HD Ticket that the SMO keeps in step, on a release whose HD Ticket has
	`fieldnames`."""
	have = set(fieldnames)
	return BASE_SLA_FIELDS + tuple(f for f in FAILED_BY_FIELDS if f in have)


def failed_by_values(fields: Iterable[str], response: int | None, resolution: int | None) -> dict:
	"""The "failed by" values (business seconds over the response and resolution targets) under the names of
	the release's fields; nothing on a release without them."""
	have = set(fields)
	return {f: v for f, v in zip(FAILED_BY_FIELDS, (response, resolution), strict=True) if f in have}


def helpdesk_sla_fields() -> tuple[str, ...]:
	"""Read off HD Ticket's meta once per meta (a ticket save asks twice; a changed doctype has a new meta)."""
	import frappe

	meta = frappe.get_meta(TICKET)
	fields = meta.__dict__.get("_smo_sla_fields")
	if fields is None:
		fields = meta._smo_sla_fields = helpdesk_sla_fields_from(f.fieldname for f in meta.fields)
	return fields


# ------------------------------------------------------------------------------------------- Helpdesk's SLAs
SLA = "HD Service Level Agreement"
HOLIDAY_LIST = "HD Service Holiday List"
SLA_FIELDS = (
	"name",
	"enabled",
	"default_sla",
	"start_date",
	"end_date",
	"apply_sla_for_resolution",
	"condition",
	"holiday_list",
	"modified",
)
# When Helpdesk's SLA started counting a ticket (set when it is made; every release 1.15 → 1.28).
SLA_START = "service_level_agreement_creation"
# What Helpdesk stored on a ticket about its own SLA (every release 1.15 → 1.28 has these fields).
TICKET_SLA_FIELDS = (
	"sla",
	"priority",
	"response_by",
	"resolution_by",
	"first_responded_on",
	"resolution_date",
	"agreement_status",
)


def helpdesk_slas(enabled_only: bool = True) -> list[dict]:
	"""Helpdesk's SLAs as plain dicts, read only: their priorities (`response_time` / `resolution_time` in
	seconds), working days (`start_time` / `end_time` as seconds after midnight) and `condition_json` where the
	release has the field (the Python `condition` alone otherwise)."""
	import frappe

	have = {f.fieldname for f in frappe.get_meta(SLA).fields}
	wanted = [f for f in SLA_FIELDS if f in have or f in ("name", "modified")]
	if "condition_json" in have:
		wanted.append("condition_json")
	filters = {"enabled": 1} if enabled_only else {}
	slas = frappe.get_all(SLA, filters=filters, fields=wanted, order_by="default_sla asc, name asc")
	names = [s.name for s in slas] or [""]
	priorities = frappe.get_all(
		"HD Service Level Priority",
		filters={"parenttype": SLA, "parent": ("in", names)},
		fields=["parent", "idx", "priority", "response_time", "resolution_time", "default_priority"],
		order_by="idx asc",
	)
	days = frappe.get_all(
		"HD Service Day",
		filters={"parenttype": SLA, "parent": ("in", names)},
		fields=["parent", "idx", "workday", "start_time", "end_time"],
		order_by="idx asc",
	)
	out = []
	for sla in slas:
		row = dict(sla)
		row.setdefault("condition_json", None)
		row["priorities"] = [dict(p) for p in priorities if p.parent == sla.name]
		row["days"] = [
			{**d, "start_time": seconds_of(d.start_time), "end_time": seconds_of(d.end_time)}
			for d in days
			if d.parent == sla.name
		]
		out.append(row)
	return out


def seconds_of(value) -> int | None:
	"""A Time value (timedelta or "HH:MM[:SS]") as seconds after midnight."""
	if value is None or value == "":
		return None
	if hasattr(value, "total_seconds"):
		return int(value.total_seconds())
	parts = [int(float(p)) for p in str(value).split(":")]
	parts += [0] * (3 - len(parts))
	return parts[0] * 3600 + parts[1] * 60 + parts[2]


def holiday_list(name: str | None) -> dict | None:
	"""An HD Service Holiday List with its dated holidays (weekly offs among them, flagged)."""
	import frappe

	if not name or not frappe.db.exists(HOLIDAY_LIST, name):
		return None
	doc = frappe.db.get_value(
		HOLIDAY_LIST, name, ["name", "from_date", "to_date", "weekly_off"], as_dict=True
	)
	doc["holidays"] = frappe.get_all(
		"HD Holiday",
		filters={"parenttype": HOLIDAY_LIST, "parent": name},
		fields=["holiday_date", "description", "weekly_off"],
		order_by="holiday_date asc",
	)
	return dict(doc)


def ticket_sla_values(tickets: list[str]) -> dict[str, dict]:
	"""What Helpdesk stored on `tickets` about its own SLA, by ticket name."""
	import frappe

	rows = frappe.get_all(
		TICKET,
		filters={"name": ("in", tickets or [""])},
		fields=["name", *TICKET_SLA_FIELDS],
	)
	return {ticket_name(r.name): dict(r) for r in rows}


# ------------------------------------------------------------------------------------------- agents
def agent_values(user: str, full_name: str | None = None) -> dict:
	"""An HD Agent for `user`: `agent_name` is mandatory from 1.20 on and accepted by every release."""
	return {"doctype": "HD Agent", "user": user, "agent_name": full_name or user, "is_active": 1}


def make_agent(user: str, full_name: str | None = None):
	"""The user's HD Agent, made when missing."""
	import frappe

	if frappe.db.exists("HD Agent", user):
		return frappe.get_doc("HD Agent", user)
	if not full_name:
		full_name = frappe.db.get_value("User", user, "full_name")
	return frappe.get_doc(agent_values(user, full_name)).insert(ignore_permissions=True)


def add_customer_contact(customer: str, contact: str) -> None:
	"""Make `contact` one of `customer`'s contacts in the release's model: the Contact's Dynamic Link to the HD
	Customer (every release), and a row of HD Customer Member (≥ 1.28)."""
	import frappe

	doc = frappe.get_doc("Contact", contact)
	if not any(link.link_doctype == "HD Customer" and link.link_name == customer for link in doc.links):
		doc.append("links", {"link_doctype": "HD Customer", "link_name": customer})
		doc.save(ignore_permissions=True)
	if not frappe.db.exists("DocType", CUSTOMER_MEMBER):
		return
	holder = frappe.get_doc("HD Customer", customer)
	table = next((f.fieldname for f in holder.meta.get_table_fields() if f.options == CUSTOMER_MEMBER), None)
	if table and not any(row.contact_name == contact for row in holder.get(table)):
		holder.append(table, {"contact_name": contact})
		holder.save(ignore_permissions=True)


# ------------------------------------------------------------------------------------------- Helpdesk's tests
# Helpdesk's own test modules that must pass with the app installed and enabled (run by ./run-tests, tier 2).
HELPDESK_TEST_MODULES = (
	"helpdesk.helpdesk.doctype.hd_ticket.test_hd_ticket",
	"helpdesk.helpdesk.doctype.hd_service_level_agreement.test_hd_service_level_agreement",
)


def helpdesk_test_modules() -> list[ModuleType]:
	"""Helpdesk's own test modules. Some releases (1.15.x) write them for Frappe 16's `IntegrationTestCase`;
	on a Frappe 15 without it the name is given Frappe 15's `FrappeTestCase` (what it is there) for the run."""
	import frappe.tests
	from frappe.tests.utils import FrappeTestCase

	if not hasattr(frappe.tests, "IntegrationTestCase"):
		frappe.tests.IntegrationTestCase = FrappeTestCase
	return [helpdesk_module(path) for path in HELPDESK_TEST_MODULES]
