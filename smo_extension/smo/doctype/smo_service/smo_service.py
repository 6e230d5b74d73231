# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from smo_extension.engine.graph import find_cycle
from smo_extension.permissions import set_read_only_onload
from smo_extension.sla.config import clear_config_cache

# The statuses each lifecycle stage allows.
STAGE_STATUSES = {
	"Pipeline": ("Design", "Transition"),
	"Catalog": ("Live", "Retiring"),
	"Retired": ("Retired",),
}


class SMOServiceError(frappe.ValidationError):
	pass


class SMOService(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from smo_extension.smo.doctype.smo_service_customer.smo_service_customer import SMOServiceCustomer
		from smo_extension.smo.doctype.smo_service_dependency.smo_service_dependency import (
			SMOServiceDependency,
		)
		from smo_extension.smo.doctype.smo_service_objective.smo_service_objective import SMOServiceObjective

		business_objectives: DF.Table[SMOServiceObjective]
		category: DF.Data | None
		criticality: DF.Literal["Low", "Medium", "High", "Critical"]
		customers: DF.TableMultiSelect[SMOServiceCustomer]
		depends_on: DF.Table[SMOServiceDependency]
		description: DF.TextEditor | None
		last_reviewed_on: DF.Date | None
		lifecycle_stage: DF.Literal["Pipeline", "Catalog", "Retired"]
		next_review_date: DF.Date | None
		service_code: DF.Data
		service_name: DF.Data
		service_owner: DF.Link | None
		service_owner_name: DF.Data | None
		service_type: DF.Literal["Business", "Technical", "Supporting"]
		status: DF.Literal["Design", "Transition", "Live", "Retiring", "Retired"]
		support_team: DF.Link | None

	# end: auto-generated types
	def onload(self):
		set_read_only_onload(self)

	def validate(self):
		self.validate_stage_and_status()
		self.validate_dependencies()
		self.validate_customers()

	def on_update(self):
		clear_config_cache()
		if self.has_value_changed("lifecycle_stage") and self.lifecycle_stage == "Retired":
			self.report_open_tickets()

	def on_trash(self):
		clear_config_cache()

	def validate_stage_and_status(self):
		allowed = STAGE_STATUSES.get(self.lifecycle_stage, ())
		if self.status not in allowed:
			frappe.throw(
				_("Status {0} does not fit lifecycle stage {1}: use one of {2}.").format(
					_(self.status), _(self.lifecycle_stage), ", ".join(_(s) for s in allowed)
				),
				SMOServiceError,
			)

	def validate_dependencies(self):
		seen = set()
		for row in self.depends_on:
			if row.service == self.name:
				frappe.throw(_("Service {0} cannot depend on itself.").format(self.name), SMOServiceError)
			if row.service in seen:
				frappe.throw(
					_("Service {0} is listed twice in Depends On.").format(row.service), SMOServiceError
				)
			seen.add(row.service)
		if not self.name or not seen:
			return
		edges: dict[str, list[str]] = {}
		for parent, service in frappe.get_all(
			"SMO Service Dependency",
			filters={"parenttype": "SMO Service", "parent": ("!=", self.name)},
			fields=["parent", "service"],
			as_list=True,
		):
			edges.setdefault(parent, []).append(service)
		edges[self.name] = list(seen)
		cycle = find_cycle(edges, self.name)
		if cycle:
			frappe.throw(
				_("These dependencies make a cycle: {0}.").format(" → ".join(cycle)),
				SMOServiceError,
				title=_("Dependency cycle"),
			)

	def validate_customers(self):
		customers = [row.customer for row in self.customers]
		if len(customers) != len(set(customers)):
			frappe.throw(_("A customer is listed twice."), SMOServiceError)

	def report_open_tickets(self):
		open_tickets = frappe.db.count(
			"HD Ticket", {"smo_service": self.name, "status_category": ("in", ["Open", "Paused"])}
		)
		if open_tickets:
			frappe.msgprint(
				_(
					"{0} open tickets still belong to this service: their clocks keep running; new tickets "
					"cannot choose it."
				).format(open_tickets),
				alert=True,
			)
