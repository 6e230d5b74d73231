"""Whitelisted, typed API of the service catalog for outside tools: services with their agreements.

Whoever may read SMO Service gets it (Helpdesk agents and the SMO roles); everyone else, portal users
included, gets a PermissionError. Lists go through `frappe.get_list`, so role and user permissions apply.
"""

import frappe
from frappe import _

from smo_extension.api import SMOArgumentError
from smo_extension.api import typed_whitelist
from smo_extension.permissions import reads_all_clocks
from smo_extension.query import readable
from smo_extension.query import rows_by_parent

LIFECYCLE_STAGES = ("Pipeline", "Catalog", "Retired")
SERVICE_FIELDS = "name service_name category lifecycle_stage status service_type criticality service_owner support_team last_reviewed_on next_review_date".split()
AGREEMENT_FIELDS = "name agreement_type status service customer team supplier valid_from valid_to compliance_target version".split()


@typed_whitelist()
def get_service_catalog(
	lifecycle_stage: str | None = "Catalog", include_agreements: bool = True
) -> list[dict]:
	"""The services in `lifecycle_stage` (all stages when empty), each with its Active agreements and their
	targets per priority."""
	frappe.has_permission("SMO Service", "read", throw=True)
	if lifecycle_stage and lifecycle_stage not in LIFECYCLE_STAGES:
		frappe.throw(
			_("Lifecycle Stage must be one of {0}, not {1}.").format(
				", ".join(_(s) for s in LIFECYCLE_STAGES), lifecycle_stage
			),
			SMOArgumentError,
		)
	filters = {"lifecycle_stage": lifecycle_stage} if lifecycle_stage else {}
	services = readable("SMO Service", filters, SERVICE_FIELDS, "service_name asc")
	if include_agreements:
		attach_agreements(services)
	return services


@typed_whitelist()
def get_service(service: str) -> dict:
	"""One service with its Active agreements and their targets."""
	frappe.has_permission("SMO Service", "read", throw=True)
	if not frappe.db.exists("SMO Service", service):
		frappe.throw(_("Service {0} does not exist.").format(service), frappe.DoesNotExistError)
	frappe.has_permission("SMO Service", "read", doc=service, throw=True)
	rows = frappe.get_list("SMO Service", filters={"name": service}, fields=SERVICE_FIELDS)
	attach_agreements(rows)
	return rows[0]


def attach_agreements(services: list[dict]) -> None:
	for service in services:
		service["agreements"] = []
	if not services or not frappe.has_permission("SMO Service Level Agreement", "read"):
		return
	by_service = {s["name"]: s for s in services}
	agreements = readable(
		"SMO Service Level Agreement",
		{"service": ("in", list(by_service)), "status": "Active"},
		AGREEMENT_FIELDS,
		"agreement_type asc, name asc",
	)
	targets = rows_by_parent(
		"SMO Agreement Target",
		"SMO Service Level Agreement",
		[a.name for a in agreements],
		["priority", "response_minutes", "resolution_minutes"],
	)
	for agreement in agreements:
		agreement["targets"] = targets.get(agreement.name, [])
		by_service[agreement.service]["agreements"].append(agreement)


@typed_whitelist()
def search_customers(
	doctype: str = "HD Customer",
	txt: str = "",
	searchfield: str | None = None,
	start: int = 0,
	page_len: int = 20,
	filters: dict | str | None = None,
) -> list[tuple[str]]:
	"""Customer names for the customer filter of the SMO reports (a Link filter's search): SMO staff may not
	read Helpdesk's customer records, but they filter their reports by customer."""
	if not (reads_all_clocks() or frappe.has_permission("HD Customer", "read")):
		frappe.throw(_("Not permitted to search customers."), frappe.PermissionError)
	customer = frappe.qb.DocType("HD Customer")
	return (
		frappe.qb.from_(customer)
		.select(customer.name)
		.where(customer.name.like(f"%{txt}%"))
		.orderby(customer.name)
		.limit(max(1, min(page_len, 100)))
		.offset(max(0, start))
		.run()
	)
