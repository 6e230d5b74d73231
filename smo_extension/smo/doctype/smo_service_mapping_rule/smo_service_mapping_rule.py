# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from smo_extension.sla.config import clear_config_cache


class SMOMappingRuleError(frappe.ValidationError):
	pass


class SMOServiceMappingRule(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		catch_all: DF.Check
		customer: DF.Link | None
		enabled: DF.Check
		sequence: DF.Int
		service: DF.Link
		team: DF.Link | None
		ticket_type: DF.Link | None

	# end: auto-generated types
	def validate(self):
		# issue_type and project: custom fields, where ERPNext is installed (a rule for ERPNext Issues)
		issue_conditions = bool(self.get("issue_type") or self.get("project"))
		if issue_conditions and (self.ticket_type or self.team):
			frappe.throw(
				_(
					"A rule maps either Helpdesk tickets (ticket type, team) or ERPNext Issues (issue type, "
					"project), not both: make two rules."
				),
				SMOMappingRuleError,
			)
		conditions = bool(self.ticket_type or self.team or self.customer or issue_conditions)
		if self.catch_all and conditions:
			frappe.throw(
				_("A catch-all rule sends every ticket: leave ticket type, team and customer empty."),
				SMOMappingRuleError,
			)
		if not self.catch_all and not conditions:
			frappe.throw(
				_(
					"A mapping rule needs at least one condition: ticket type, team or customer (or tick Every "
					"Ticket for a catch-all)."
				),
				SMOMappingRuleError,
			)
		if frappe.db.get_value("SMO Service", self.service, "lifecycle_stage") == "Retired":
			frappe.throw(
				_("Service {0} is retired: rules cannot send tickets to it.").format(self.service),
				SMOMappingRuleError,
			)

	def on_update(self):
		clear_config_cache()

	def on_trash(self):
		clear_config_cache()
