# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class SMOHelpdeskVerdictError(frappe.ValidationError):
	pass


class SMOHelpdeskVerdict(Document):
	"""What Helpdesk's own SLA had stored on a ticket (due dates, first response, resolution, status) before
	the SMO drove those fields: the Helpdesk side of the import's comparison, kept through the switch-over.
	Written by the import only (`smo_extension.sla.adopt.record_verdicts`)."""

	def validate(self):
		if not self.flags.smo_system:
			frappe.throw(
				_("Helpdesk verdicts are recorded by Import from Helpdesk only."), SMOHelpdeskVerdictError
			)
