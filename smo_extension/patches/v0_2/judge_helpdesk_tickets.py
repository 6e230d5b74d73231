"""SMO Settings gained a switch per source: sites that had the settings before keep judging Helpdesk's tickets
(a Single's new Check reads 0 until it is saved)."""

import frappe


def execute():
	singles = frappe.qb.DocType("Singles")
	stored = (
		frappe.qb.from_(singles)
		.select(singles.value)
		.where((singles.doctype == "SMO Settings") & (singles.field == "judge_helpdesk_tickets"))
		.run()
	)
	if not stored:
		frappe.db.set_single_value("SMO Settings", "judge_helpdesk_tickets", 1)
