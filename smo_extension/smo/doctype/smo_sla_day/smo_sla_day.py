# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class SMOSLADay(Document):
	"""One day's rollup of the SLA clocks of one scope (source, service, agreement, priority, customer, team,
	operation) and metric; written by `smo_extension.sla.rollup` only."""


def on_doctype_update():
	frappe.db.add_index("SMO SLA Day", ["metric", "day"])
