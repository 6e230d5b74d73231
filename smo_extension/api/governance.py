"""Whitelisted, typed API of the governance side for outside tools: policies due for review, PMO liaisons of
a service, the improvement register and the charter.

Each method checks the doctype's read permission first (SMO Manager, SMO Analyst and Service Owner read; agents
and portal users get a PermissionError) and lists through `frappe.get_list`, so role permissions apply. Nothing
returned carries the PMO connection's secret.
"""

import frappe
from frappe import _
from frappe.utils import add_days
from frappe.utils import cint
from frappe.utils import date_diff
from frappe.utils import getdate
from frappe.utils import now_datetime
from frappe.utils import today

from smo_extension.api import SMOArgumentError
from smo_extension.api import typed_whitelist
from smo_extension.pmo.sync import is_stale
from smo_extension.query import readable
from smo_extension.query import rows_by_parent
from smo_extension.smo.doctype.smo_policy.smo_policy import review_state
from smo_extension.smo.doctype.smo_policy.smo_policy import warning_days

MAX_WITHIN_DAYS = 3650
POLICY_FIELDS = "name title policy_code version document_type policy_owner approver framework_practice framework effective_from last_reviewed_on next_review_due".split()
LIAISON_FIELDS = "name service relationship transition_stage project_source project project_title pmo_contact smo_contact go_live_date hypercare_until readiness_percent project_status percent_complete expected_end last_synced_at last_sync_attempt_at sync_status sync_error project_missing".split()
IMPROVEMENT_FIELDS = "name title service source raised_from_doctype raised_from priority improvement_owner status target_date completed_on is_overdue expected_benefit measured_benefit".split()


@typed_whitelist()
def get_policies_due_for_review(
	within_days: int | None = None, policy_owner: str | None = None, framework: str | None = None
) -> list[dict]:
	"""Published documents (current versions) whose review is overdue or due within `within_days` (default:
	the reminder period of SMO Settings), soonest first, each with `review_state` and `days_until_due`."""
	frappe.has_permission("SMO Policy", "read", throw=True)
	on = getdate(today())
	if within_days is not None and not 0 <= within_days <= MAX_WITHIN_DAYS:
		frappe.throw(
			_("Within Days must be between 0 and {0}, not {1}.").format(MAX_WITHIN_DAYS, within_days),
			SMOArgumentError,
		)
	days = warning_days() if within_days is None else within_days
	filters = {
		"status": "Published",
		"is_superseded": 0,
		"next_review_due": ("<=", add_days(on, days)),
	}
	if policy_owner:
		filters["policy_owner"] = policy_owner
	if framework:
		filters["framework"] = framework
	rows = readable("SMO Policy", filters, POLICY_FIELDS, "next_review_due asc")
	for row in rows:
		row["review_state"] = review_state(row.next_review_due, on, days)
		row["days_until_due"] = date_diff(row.next_review_due, on)
	return rows


@typed_whitelist()
def get_service_liaisons(service: str, include_closed: bool = True) -> list[dict]:
	"""The PMO liaisons of one service with the project values last synced, their sync result, whether those
	values are stale (older than two sync intervals) and the readiness checklist."""
	frappe.has_permission("SMO PMO Liaison", "read", throw=True)
	if not frappe.db.exists("SMO Service", service):
		frappe.throw(_("Service {0} does not exist.").format(service), frappe.DoesNotExistError)
	filters = {"service": service}
	if not cint(include_closed):
		filters["transition_stage"] = ("!=", "Closed")
	rows = readable("SMO PMO Liaison", filters, LIAISON_FIELDS, "go_live_date asc, name asc")
	checklist = rows_by_parent(
		"SMO Liaison Checklist Item",
		"SMO PMO Liaison",
		[r.name for r in rows],
		["item", "mandatory", "done", "responsible", "due_date"],
	)
	now = now_datetime()
	for row in rows:
		row["checklist"] = checklist.get(row.name, [])
		row["stale"] = is_stale(row.last_synced_at, now)
	return rows


@typed_whitelist()
def get_improvements(
	service: str | None = None, overdue_only: bool = False, include_closed: bool = False
) -> list[dict]:
	"""The improvement register: open items (or all), for one service or every service, overdue first."""
	frappe.has_permission("SMO Improvement", "read", throw=True)
	filters = {}
	if service:
		filters["service"] = service
	if cint(overdue_only):
		filters["is_overdue"] = 1
	if not cint(include_closed):
		filters["status"] = ("in", ["Proposed", "Approved", "In Progress"])
	return readable(
		"SMO Improvement", filters, IMPROVEMENT_FIELDS, "is_overdue desc, target_date asc, name asc"
	)


@typed_whitelist()
def get_charter() -> dict:
	"""The SMO charter: type, vision, sponsor, funding, objectives, milestones (with `overdue`) and providers."""
	frappe.has_permission("SMO Charter", "read", throw=True)
	charter = frappe.get_cached_doc("SMO Charter")
	overdue = {row.name for row in charter.overdue_milestones()}

	def rows(table: str, fields: tuple[str, ...]) -> list[dict]:
		return [{field: row.get(field) for field in fields} for row in charter.get(table)]

	milestones = rows("milestones", ("milestone", "due_date", "status", "completed_on", "note"))
	for row, milestone in zip(charter.milestones, milestones, strict=True):
		milestone["overdue"] = row.name in overdue
	return {
		"smo_type": charter.smo_type,
		"vision": charter.vision,
		"sponsor": charter.sponsor,
		"approved_on": charter.approved_on,
		"funding_model": charter.funding_model,
		"annual_budget": charter.annual_budget,
		"objectives": rows("objectives", ("objective", "measure", "target", "objective_owner")),
		"milestones": milestones,
		"providers": rows("providers", ("provider_name", "provider_type", "relationship", "scope")),
	}
