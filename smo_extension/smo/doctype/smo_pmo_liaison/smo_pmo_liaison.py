# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""A service <-> project link kept with the PMO: what the project does to the service, the transition stage,
go-live and hypercare, the readiness checklist, and the project's status as last synced (smo_extension.pmo)."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, getdate

from smo_extension.api import typed_whitelist
from smo_extension.permissions import is_smo_manager
from smo_extension.pmo import sync

AFTER_GO_LIVE = ("Hypercare", "Closed")


class SMOLiaisonError(frappe.ValidationError):
	pass


class SMOPMOLiaison(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from smo_extension.smo.doctype.smo_liaison_checklist_item.smo_liaison_checklist_item import (
			SMOLiaisonChecklistItem,
		)

		expected_end: DF.Date | None
		go_live_date: DF.Date | None
		hypercare_until: DF.Date | None
		last_sync_attempt_at: DF.Datetime | None
		last_synced_at: DF.Datetime | None
		percent_complete: DF.Percent
		pmo_contact: DF.Data | None
		project: DF.Data
		project_missing: DF.Check
		project_source: DF.Literal["PMO Site", "This Site"]
		project_status: DF.Data | None
		project_title: DF.Data | None
		readiness_checklist: DF.Table[SMOLiaisonChecklistItem]
		readiness_percent: DF.Percent
		relationship: DF.Literal["New Service", "Change to Service", "Retirement", "Hypercare"]
		service: DF.Link
		smo_contact: DF.Link | None
		sync_error: DF.SmallText | None
		sync_status: DF.Literal[
			"", "OK", "Credentials Rejected", "Not Found", "Unavailable", "Bad Response", "Error"
		]
		transition_stage: DF.Literal["Planning", "Build", "Transition", "Hypercare", "Closed"]

	# end: auto-generated types
	def validate(self):
		self.project = (self.project or "").strip()
		self.validate_unique()
		self.validate_dates()
		self.validate_local_project()
		self.set_readiness()
		self.validate_readiness()
		self.keep_synced_values()

	def validate_unique(self):
		duplicate = frappe.db.get_value(
			"SMO PMO Liaison",
			{
				"service": self.service,
				"project_source": self.project_source,
				"project": self.project,
				"relationship": self.relationship,
				"name": ("!=", self.name or ""),
			},
		)
		if duplicate:
			frappe.throw(
				_("{0} already links service {1} to project {2} as {3}.").format(
					duplicate, self.service, self.project, _(self.relationship)
				),
				SMOLiaisonError,
			)

	def validate_dates(self):
		if self.hypercare_until and not self.go_live_date:
			frappe.throw(_("Set the go-live date before the end of hypercare."), SMOLiaisonError)
		if self.hypercare_until and getdate(self.hypercare_until) < getdate(self.go_live_date):
			frappe.throw(
				_("Hypercare Until ({0}) is before the go-live date ({1}).").format(
					frappe.format(self.hypercare_until, "Date"), frappe.format(self.go_live_date, "Date")
				),
				SMOLiaisonError,
			)
		if self.transition_stage in AFTER_GO_LIVE and not self.go_live_date:
			frappe.throw(
				_("A liaison in stage {0} needs its go-live date.").format(_(self.transition_stage)),
				SMOLiaisonError,
			)

	def validate_local_project(self):
		if self.project_source != sync.LOCAL:
			return
		if not sync.local_projects_available():
			frappe.throw(
				_("ERPNext is not installed on this site: choose PMO Site for project {0}.").format(
					self.project
				),
				SMOLiaisonError,
			)
		if not frappe.db.exists("Project", self.project):
			frappe.throw(_("Project {0} does not exist on this site.").format(self.project), SMOLiaisonError)

	def set_readiness(self):
		mandatory = [row for row in self.readiness_checklist if row.mandatory]
		self.readiness_percent = (
			flt(100.0 * sum(1 for row in mandatory if row.done) / len(mandatory), 1) if mandatory else None
		)

	def validate_readiness(self):
		if self.transition_stage not in AFTER_GO_LIVE or not self.has_value_changed("transition_stage"):
			return
		open_items = [row.item for row in self.readiness_checklist if row.mandatory and not row.done]
		if open_items:
			frappe.throw(
				_("Finish the mandatory readiness items before {0}: {1}.").format(
					_(self.transition_stage), ", ".join(frappe.bold(item) for item in open_items)
				),
				SMOLiaisonError,
				title=_("Not ready"),
			)

	def keep_synced_values(self):
		"""The sync owns the project values: a form save never overwrites them with what the browser had.
		Pointing the liaison at another project clears them."""
		before = self.get_doc_before_save()
		if before is None:
			fields = (
				*sync.SYNCED_FIELDS,
				"last_sync_attempt_at",
				"sync_status",
				"sync_error",
				"project_missing",
			)
			for field in fields:
				self.set(field, None)
			return
		if (before.project, before.project_source) != (self.project, self.project_source):
			for field in (*sync.SYNCED_FIELDS, "last_sync_attempt_at", "sync_status", "sync_error"):
				self.set(field, None)
			self.project_missing = 0
			return
		for field in (
			*sync.SYNCED_FIELDS,
			"last_sync_attempt_at",
			"sync_status",
			"sync_error",
			"project_missing",
		):
			self.set(field, before.get(field))

	@typed_whitelist()
	def sync_now(self) -> dict:
		"""Read the project now; returns the liaison's sync status and error."""
		if not is_smo_manager():
			frappe.throw(_("Only an SMO Manager can sync a liaison by hand."), frappe.PermissionError)
		status = sync.sync_liaison(self.name)
		return frappe.db.get_value(
			"SMO PMO Liaison", self.name, ["sync_status", "sync_error", "last_synced_at"], as_dict=True
		) | {"status": status}
