"""The SMO's guided setup: Frappe's own Module Onboarding "SMO" on the workspace, its steps completing when their
record exists (not when somebody clicks through them): a default calendar in SMO Settings, a service (made by
hand or by Import from Helpdesk), an agreement, a mapping rule, a KPI, a user with the Service Owner role.

`refresh` runs when any of those records is saved and after every migrate; it only writes when a step's state
changes. A fresh site shows the onboarding to SMO Managers; a site with every record (the demo site) has it
complete, and Frappe then shows it no more.
"""

from __future__ import annotations

import frappe

ONBOARDING = "SMO"
SERVICE_OWNER = "Service Owner"


def service_owner_exists() -> bool:
	user = frappe.qb.DocType("User")
	role = frappe.qb.DocType("Has Role")
	return bool(
		frappe.qb.from_(role)
		.join(user)
		.on(user.name == role.parent)
		.select(role.parent)
		.where(
			(role.parenttype == "User")
			& (role.role == SERVICE_OWNER)
			& (user.enabled == 1)
			& user.name.notin(("Administrator", "Guest"))
		)
		.limit(1)
		.run()
	)


def any_of(doctype: str):
	return lambda: bool(frappe.get_all(doctype, limit=1, pluck="name"))


# step -> whether its record exists
STEPS = {
	"SMO Default Calendar": lambda: bool(frappe.db.get_single_value("SMO Settings", "default_calendar")),
	"SMO Import or First Service": any_of("SMO Service"),
	"SMO First Agreement": any_of("SMO Service Level Agreement"),
	"SMO Mapping Rule": any_of("SMO Service Mapping Rule"),
	"SMO First KPI": any_of("SMO KPI Definition"),
	"SMO Invite Service Owner": service_owner_exists,
}


def states() -> dict[str, bool]:
	return {step: check() for step, check in STEPS.items()}


def refresh() -> dict[str, bool]:
	"""Each step complete exactly when its record exists; the onboarding complete when every step is."""
	if not frappe.db.exists("Module Onboarding", ONBOARDING):
		return {}
	done = states()
	stored = dict(
		frappe.get_all(
			"Onboarding Step",
			filters={"name": ("in", list(STEPS))},
			fields=["name", "is_complete"],
			as_list=True,
		)
	)
	for step, complete in done.items():
		if step in stored and bool(stored[step]) != complete:
			frappe.db.set_value("Onboarding Step", step, "is_complete", int(complete), update_modified=False)
	if bool(frappe.db.get_value("Module Onboarding", ONBOARDING, "is_complete")) != all(done.values()):
		frappe.db.set_value(
			"Module Onboarding", ONBOARDING, "is_complete", int(all(done.values())), update_modified=False
		)
	return done


def on_record_change(doc=None, method=None) -> None:
	if (
		doc is not None
		and doc.doctype == "User"
		and not doc.has_value_changed("enabled")
		and not any(r.role == SERVICE_OWNER for r in doc.get("roles") or [])
	):
		return  # a user save that cannot touch the last step
	refresh()
