"""The one place site-tier tests make their records."""

import frappe

MANAGER = "smo.manager@example.com"
ANALYST = "smo.analyst@example.com"
OWNER = "service.owner@example.com"
AGENT = "smo.agent@example.com"
PORTAL = "smo.portal@example.com"

_USERS = {
	MANAGER: ("SMO Manager",),
	ANALYST: ("SMO Analyst",),
	OWNER: ("Service Owner",),
	AGENT: ("Agent",),
	PORTAL: (),
}


def ensure_test_users() -> None:
	for email, roles in _USERS.items():
		if not frappe.db.exists("User", email):
			user = frappe.get_doc(
				{
					"doctype": "User",
					"email": email,
					"first_name": email.split("@")[0].replace(".", " ").title(),
					"send_welcome_email": 0,
					"user_type": "System User" if roles else "Website User",
				}
			)
			user.insert(ignore_permissions=True)
			if roles:
				user.add_roles(*roles)
		if email == AGENT and not frappe.db.exists("HD Agent", email):
			frappe.get_doc({"doctype": "HD Agent", "user": email, "is_active": 1}).insert(
				ignore_permissions=True
			)
	frappe.db.commit()  # nosemgrep: test users outlive one test's rollback


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
