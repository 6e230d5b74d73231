"""The one module of the app that knows ERPNext (15.x): its Issue, Customer, Supplier, Contract and Project.

ERPNext is optional. Every other module asks `installed()` before it touches an ERPNext doctype, and nothing else
names ERPNext's doctypes or fields (as `helpdesk_compat` is for Helpdesk). On a site without ERPNext nothing of
this shows: the Issue hooks return at once, the fields that link to ERPNext's doctypes are custom fields made
only where ERPNext is installed (`custom_fields`), and the reports' Source filter has one source.

| ERPNext | what the SMO reads |
|---|---|
| Issue `status` | Open, Replied → running; On Hold → paused; Resolved, Closed → stopped (`STATUS_CATEGORY`) |
| Issue `first_responded_on` | the response |
| Issue `priority` (Issue Priority) | the priority, by name (Low / Medium / High as Helpdesk names them) |
| Issue `customer` (Customer) | the HD Customer linked to it (`smo_erpnext_customer`), else the one of the same name |
| Issue `response_by`, `sla_resolution_by`, `agreement_status` | written with the SMO's answer (`SLA_FIELDS`) |
| Contract `party_type`, `party_name`, `start_date`, `end_date` | what an agreement rests on |
| Project `status`, `percent_complete`, `expected_end_date` | the local PMO liaison (`pmo.sync`) |
"""

from __future__ import annotations

APP = "erpnext"
ISSUE = "Issue"
CUSTOMER = "Customer"
CONTRACT = "Contract"

# Issue status → the engine's status category.
STATUS_CATEGORY = {
	"Open": "Open",
	"Replied": "Open",
	"On Hold": "Paused",
	"Resolved": "Resolved",
	"Closed": "Resolved",
}
# ERPNext's SLA fields on Issue that tell the SMO's answer on Issues it judges (SMO name → Issue field).
SLA_FIELDS = {
	"response_by": "response_by",
	"resolution_by": "sla_resolution_by",
	"agreement_status": "agreement_status",
}
# Issue's agreement_status has no "Paused": a paused clock shows the target it waits on.
AGREEMENT_STATUSES = ("First Response Due", "Resolution Due", "Fulfilled", "Failed")
# The field on HD Customer that names its ERPNext Customer (a custom field, made where ERPNext is installed).
CUSTOMER_LINK = "smo_erpnext_customer"


def status_category(status: str | None) -> str | None:
	return STATUS_CATEGORY.get(status or "")


def agreement_status(helpdesk_status: str, response_running: bool) -> str:
	"""The SMO's state in Issue's agreement_status options (no Paused there)."""
	if helpdesk_status in AGREEMENT_STATUSES:
		return helpdesk_status
	return "First Response Due" if response_running else "Resolution Due"


def issue_values(values: dict) -> dict:
	"""Helpdesk-named SLA values (response_by, resolution_by, agreement_status) under Issue's field names."""
	out = {}
	for name, value in values.items():
		if name in SLA_FIELDS:
			out[SLA_FIELDS[name]] = value
	return out


def contract_problem(contract: dict, valid_from, valid_to) -> str | None:
	"""Why an agreement valid from `valid_from` to `valid_to` (dates or None: open-ended) cannot rest on
	`contract` ({start_date, end_date}), as a code: "starts_before", "outlives", "open_ended", or None."""
	start, end = contract.get("start_date"), contract.get("end_date")
	if start and valid_from and valid_from < start:
		return "starts_before"
	if end and not valid_to:
		return "open_ended"
	if end and valid_to and valid_to > end:
		return "outlives"
	return None


# ------------------------------------------------------------------------------------------- the site
def installed() -> bool:
	"""ERPNext is installed on this site (cached per request)."""
	import frappe

	flag = getattr(frappe.local, "smo_erpnext", None)
	if flag is None:
		flag = frappe.local.smo_erpnext = APP in frappe.get_installed_apps()
	return flag


def ticket_doctypes() -> list[str]:
	"""The documents the SMO can judge on this site: Helpdesk's HD Ticket, and ERPNext's Issue where ERPNext is
	installed (what the clocks' `ticket_doctype` can say)."""
	return ["HD Ticket", *([ISSUE] if installed() else [])]


def hd_customer(customer: str | None) -> str | None:
	"""The HD Customer that is ERPNext Customer `customer` for the SMO: the one linked to it, else the one of the
	same name; None when there is neither."""
	import frappe

	if not customer:
		return None
	cache = getattr(frappe.local, "smo_hd_customers", None)
	if cache is None:
		cache = frappe.local.smo_hd_customers = {}
	if customer not in cache:
		linked = None
		if frappe.get_meta("HD Customer").has_field(CUSTOMER_LINK):
			linked = frappe.db.get_value("HD Customer", {CUSTOMER_LINK: customer}, "name")
		if not linked and frappe.db.exists("HD Customer", customer):
			linked = customer
		cache[customer] = linked
	return cache[customer]


def erpnext_customers(hd_customer_name: str) -> list[str]:
	"""The ERPNext Customers that are `hd_customer_name` for the SMO (its link, or the same name)."""
	import frappe

	if not installed() or not hd_customer_name:
		return []
	names = set()
	if frappe.get_meta("HD Customer").has_field(CUSTOMER_LINK):
		linked = frappe.db.get_value("HD Customer", hd_customer_name, CUSTOMER_LINK)
		if linked:
			names.add(linked)
	if frappe.db.exists(CUSTOMER, hd_customer_name):
		names.add(hd_customer_name)
	return sorted(names)


def match_customers() -> dict[str, list[str]]:
	"""Link each HD Customer without a link to the ERPNext Customer of the same name. Returns {"linked": [...],
	"unmatched": [HD Customers with no Customer of that name]}."""
	import frappe

	out: dict[str, list[str]] = {"linked": [], "unmatched": []}
	if not installed() or not frappe.get_meta("HD Customer").has_field(CUSTOMER_LINK):
		return out
	customers = set(frappe.get_all(CUSTOMER, pluck="name"))
	for name, link in frappe.get_all("HD Customer", fields=["name", CUSTOMER_LINK], as_list=True):
		if link:
			continue
		if name in customers:
			frappe.db.set_value("HD Customer", name, CUSTOMER_LINK, name, update_modified=False)
			out["linked"].append(name)
		else:
			out["unmatched"].append(name)
	return out


def contract(name: str) -> dict | None:
	import frappe

	if not name or not installed():
		return None
	return frappe.db.get_value(
		CONTRACT, name, ["name", "party_type", "party_name", "start_date", "end_date", "status"], as_dict=True
	)
