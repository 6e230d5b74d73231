import frappe


def execute():
	"""The SLA Compliance report now reads covering indexes; the narrower index they replace only costs writes."""
	if frappe.db.has_index("tabSMO Ticket SLA", "service_resolution_stopped_at_index"):
		frappe.db.sql_ddl("ALTER TABLE `tabSMO Ticket SLA` DROP INDEX `service_resolution_stopped_at_index`")
