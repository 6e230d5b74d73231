import frappe

# doctype -> (link to User, the field that shows the person's full name)
PEOPLE = {
	"SMO Service": (("service_owner", "service_owner_name"),),
	"SMO Policy": (("policy_owner", "policy_owner_name"), ("approver", "approver_name")),
	"SMO Improvement": (("improvement_owner", "improvement_owner_name"),),
	"SMO Charter Objective": (("objective_owner", "objective_owner_name"),),
	"SMO PMO Liaison": (("smo_contact", "smo_contact_name"),),
	"SMO Service Level Agreement": (("last_repaired_by", "last_repaired_by_name"),),
}


def execute():
	"""People show as full names: records saved before the name fields existed get them from their user."""
	user = frappe.qb.DocType("User")
	for doctype, pairs in PEOPLE.items():
		table = frappe.qb.DocType(doctype)
		for link, name in pairs:
			(
				frappe.qb.update(table)
				.join(user)
				.on(user.name == table[link])
				.set(table[name], user.full_name)
				.where(table[name].isnull() | (table[name] == ""))
				.run()
			)
	sponsor = frappe.db.get_single_value("SMO Charter", "sponsor")
	if sponsor and not frappe.db.get_single_value("SMO Charter", "sponsor_name"):
		frappe.db.set_single_value(
			"SMO Charter", "sponsor_name", frappe.db.get_value("User", sponsor, "full_name") or sponsor
		)
	if not frappe.db.get_single_value("SMO Charter", "budget_currency"):
		frappe.db.set_single_value("SMO Charter", "budget_currency", frappe.db.get_default("currency") or "")
