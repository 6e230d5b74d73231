"""SMO Settings gained a switch per source (Judge Helpdesk Tickets, Judge ERPNext Issues): sites that had the
settings before keep judging Helpdesk's tickets. A Single's new Check reads 0 until it is set, and nobody can have
switched it off before this release, so it is switched on once."""

import frappe


def execute():
	frappe.db.set_single_value("SMO Settings", "judge_helpdesk_tickets", 1)
