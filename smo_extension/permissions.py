"""Who may do what in the SMO: the rules of `shared/PERSONAS.md` that role permissions alone cannot say.

Role permissions (each doctype's JSON) decide *whether* a role may read, write, create or delete a doctype.
The hooks here narrow that per record:

- a Service Owner writes only what they own (their services, the agreements of their services, their policies
  and improvements), judged on the stored record **and** on the new values, so nobody takes over a record by
  naming themselves its owner, and nobody hands their record to someone else;
- a Helpdesk agent reads the clocks of the tickets they may read, no others (`/api/resource`, Report Builder and
  `get_ticket_clocks` apply the same rule);
- the ticket's service is chosen by rules and agents, never by the portal customer (see `sla.ticket`).
"""

from __future__ import annotations

import frappe

SMO_MANAGER, SMO_ANALYST, SERVICE_OWNER = "SMO Manager", "SMO Analyst", "Service Owner"
AGENT_ROLES = ("Agent", "Agent Manager")
# ERPNext's support role (who works Issues), where ERPNext is installed.
ERPNEXT_SUPPORT = "Support Team"
# Who reads every clock and every report of the SMO, whatever the ticket.
SMO_STAFF = (SMO_MANAGER, SMO_ANALYST, SERVICE_OWNER)
WRITE_TYPES = ("write", "create", "delete", "submit", "cancel", "amend")


def roles_of(user: str | None = None) -> set[str]:
	return set(frappe.get_roles(user or frappe.session.user))


def is_smo_manager(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or SMO_MANAGER in roles_of(user)


def reads_all_clocks(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or bool(roles_of(user) & set(SMO_STAFF))


def may_analyse_service(service: str | None, user: str | None = None) -> bool:
	"""What-if replays and other analyses of one service's agreements: SMO Managers and Analysts, and the
	service's own owner."""
	user = user or frappe.session.user
	if user == "Administrator":
		return True
	roles = roles_of(user)
	if roles & {SMO_MANAGER, SMO_ANALYST}:
		return True
	return SERVICE_OWNER in roles and bool(service) and service_owner_of(service) == user


def may_choose_service(user: str | None = None) -> bool:
	"""Agents and SMO staff set a ticket's service by hand; portal customers never do."""
	user = user or frappe.session.user
	if user == "Administrator":
		return True
	return bool(roles_of(user) & {*AGENT_ROLES, SMO_MANAGER, "System Manager", ERPNEXT_SUPPORT})


# ------------------------------------------------------------------------------------------- ownership
def service_owner_of(service: str | None) -> str | None:
	return frappe.db.get_value("SMO Service", service, "service_owner") if service else None


# doctype -> how to find the person who owns a record from its values: (field, resolver of the field's value)
OWNERSHIP = {
	"SMO Service": ("service_owner", None),
	"SMO Service Level Agreement": ("service", service_owner_of),
	"SMO Policy": ("policy_owner", None),
	"SMO Improvement": ("improvement_owner", None),
}


def owner_from(doctype: str, value: str | None) -> str | None:
	_field, resolve = OWNERSHIP[doctype]
	return resolve(value) if resolve else value


def stored_owner(doc) -> str | None:
	"""The owner as the database has it (None for a record not saved yet)."""
	if doc.get("__islocal") or not doc.name or not frappe.db.exists(doc.doctype, doc.name):
		return None
	field, _resolve = OWNERSHIP[doc.doctype]
	return owner_from(doc.doctype, frappe.db.get_value(doc.doctype, doc.name, field))


def owns(doc, user: str) -> bool:
	"""The user owns the record as stored and as it would be saved."""
	field, _resolve = OWNERSHIP[doc.doctype]
	if owner_from(doc.doctype, doc.get(field)) != user:
		return False
	is_new = doc.get("__islocal") or not doc.name or not frappe.db.exists(doc.doctype, doc.name)
	return bool(is_new) or stored_owner(doc) == user


def has_owner_permission(doc, ptype=None, user=None, debug=False) -> bool:
	"""has_permission hook of the owned doctypes. Reading follows the role permissions; writing is for SMO
	Managers, and for a Service Owner only on what they own (before and after the change)."""
	user = user or frappe.session.user
	if ptype not in WRITE_TYPES or user == "Administrator":
		return True
	roles = roles_of(user)
	if SMO_MANAGER in roles:
		return True
	if SERVICE_OWNER in roles:
		return owns(doc, user) or approves(doc, user)
	return True  # any other role's write permission comes from the role table alone (none today)


def approves(doc, user: str) -> bool:
	"""The named approver of a policy in review moves it on (Approve, Send Back); the controller lets them
	change nothing else (`SMOPolicy.validate_editor`)."""
	if doc.doctype != "SMO Policy" or doc.get("__islocal") or doc.get("approver") != user:
		return False
	stored = frappe.db.get_value("SMO Policy", doc.name, ["approver", "status"], as_dict=True)
	return bool(stored and stored.approver == user and stored.status == "In Review")


def set_read_only_onload(doc) -> None:
	"""The desk form knows only role permissions: tell it when this user may not edit this record, so the
	form opens read-only instead of failing on save (the record's JS calls frm.disable_form())."""
	doc.set_onload("smo_read_only", not frappe.has_permission(doc.doctype, "write", doc))
	# the field that says who owns the record: only an SMO Manager changes it (the form shows it read-only)
	locked = doc.doctype in OWNERSHIP and not (
		frappe.session.user == "Administrator" or SMO_MANAGER in roles_of(frappe.session.user)
	)
	doc.set_onload("smo_locked_fields", [OWNERSHIP[doc.doctype][0]] if locked else [])


# ------------------------------------------------------------------------------------------- clocks
def match_condition(doctype: str, user: str) -> str:
	"""The condition under which `user` reads records of `doctype` (its permission query and the user's user
	permissions), as SQL over `tab<doctype>`; empty when they read every record."""
	from frappe.model.db_query import DatabaseQuery

	return DatabaseQuery(doctype, user=user).build_match_conditions(as_condition=True)


def ticket_sla_query(user: str | None = None) -> str:
	"""permission_query_conditions of SMO Ticket SLA: SMO staff read every clock, everyone else the clocks of
	the tickets they may read. (Frappe's contract for these hooks is an SQL condition string.)"""
	user = user or frappe.session.user
	if reads_all_clocks(user):
		return ""
	from smo_extension import erpnext_compat

	sources = erpnext_compat.ticket_doctypes()
	parts, unrestricted = [], []
	for doctype in sources:
		if not frappe.has_permission(doctype, "read", user=user):
			continue  # no role reads this source: none of its clocks
		condition = match_condition(doctype, user)
		if not condition:
			unrestricted.append(doctype)
		inner = f"select `tab{doctype}`.`name` from `tab{doctype}`" + (
			f" where {condition}" if condition else ""
		)
		parts.append(
			f"(`tabSMO Ticket SLA`.`ticket_doctype` = {frappe.db.escape(doctype)} "
			f"and `tabSMO Ticket SLA`.`ticket` in ({inner}))"
		)
	if unrestricted == sources:
		return ""
	return "(" + " or ".join(parts) + ")" if parts else "1=0"


def ticket_sla_permission(doc, ptype=None, user=None, debug=False) -> bool:
	"""has_permission of SMO Ticket SLA: the same rule for one record."""
	user = user or frappe.session.user
	if reads_all_clocks(user):
		return True
	doctype = doc.get("ticket_doctype") or "HD Ticket"
	if doctype not in ("HD Ticket", "Issue"):
		return False
	return bool(doc.get("ticket") and frappe.has_permission(doctype, "read", doc=str(doc.ticket), user=user))
