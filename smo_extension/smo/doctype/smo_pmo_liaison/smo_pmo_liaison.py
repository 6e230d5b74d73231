# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""A service <-> project link kept with the PMO: what the project does to the service, the transition stage,
go-live and hypercare (the window in which the hypercare agreement judges the service's tickets), the
readiness checklist, and the project's status as last synced (smo_extension.pmo)."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt
from frappe.utils import getdate

from smo_extension.api import typed_whitelist
from smo_extension.engine.windows import DayRange
from smo_extension.engine.windows import find_overlap
from smo_extension.permissions import is_smo_manager
from smo_extension.pmo import sync
from smo_extension.pmo.errors import SMOLiaisonError
from smo_extension.sla import hypercare
from smo_extension.sla.config import clear_config_cache

AFTER_GO_LIVE = ("Hypercare", "Closed")


class SMOHypercareWindowError(SMOLiaisonError):
	"""The hypercare window is incomplete or ends before it starts."""


class SMOHypercareOverlapError(SMOLiaisonError):
	"""Two hypercare windows of one service share a day."""


class SMOHypercareAgreementError(SMOLiaisonError):
	"""The hypercare agreement is not an SLA of the liaison's service marked For Hypercare."""


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
		hypercare_agreement: DF.Link | None
		hypercare_ended_on: DF.Date | None
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
		smo_contact_name: DF.Data | None
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
		self.validate_hypercare()
		self.validate_local_project()
		self.set_readiness()
		self.validate_readiness()
		self.keep_synced_values()

	def on_update(self):
		"""A moved window changes which agreement judges the tickets opened on the changed days: the cached
		config is dropped and their running clocks recomputed in the background."""
		clear_config_cache()
		before = self.get_doc_before_save()
		if before is not None and before.service != self.service:
			# the window left the old service: its tickets go back to normal operation
			count = hypercare.enqueue_recompute(before.service, hypercare.days_to_recompute(before, None))
			ranges = hypercare.days_to_recompute(None, self)
		else:
			count, ranges = 0, hypercare.days_to_recompute(before, self)
		if not ranges and not count:
			return
		count += hypercare.enqueue_recompute(self.service, ranges)
		old, new = hypercare.window_of(before), hypercare.window_of(self)
		if old is None and new is None:
			return
		source = _("the PMO sync") if self.flags.smo_from_sync else frappe.session.user
		self.add_comment(
			"Info",
			_(
				"Hypercare window changed by {0}: from {1} to {2}. The running clocks of {3} tickets opened on "
				"the changed days are recomputed in the background; stopped clocks keep their judgement until "
				"an SMO Manager runs Repair Clocks on the agreement."
			).format(source, hypercare.describe(old), hypercare.describe(new), count),
		)

	def on_trash(self):
		clear_config_cache()
		ranges = hypercare.days_to_recompute(self, None)
		hypercare.enqueue_recompute(self.service, ranges)

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
			frappe.throw(_("Set the go-live date before the end of hypercare."), SMOHypercareWindowError)
		if self.hypercare_until and getdate(self.hypercare_until) < getdate(self.go_live_date):
			frappe.throw(
				_(
					"Hypercare Until ({0}) is before the go-live date ({1}): the window would end before it starts."
				).format(
					frappe.format(self.hypercare_until, "Date"), frappe.format(self.go_live_date, "Date")
				),
				SMOHypercareWindowError,
			)
		if self.transition_stage in AFTER_GO_LIVE and not self.go_live_date:
			frappe.throw(
				_("A liaison in stage {0} needs its go-live date.").format(_(self.transition_stage)),
				SMOLiaisonError,
			)

	def validate_hypercare(self):
		"""The hypercare agreement is an SLA of this service marked For Hypercare; a liaison entering stage
		Hypercare names it and the end of its window; two windows of one service never share a day."""
		entering = self.transition_stage == "Hypercare" and (
			self.is_new() or self.has_value_changed("transition_stage")
		)
		if entering and not self.hypercare_agreement:
			frappe.throw(
				_("Name the hypercare agreement that judges the tickets of {0} during hypercare.").format(
					frappe.bold(self.service)
				),
				SMOHypercareAgreementError,
			)
		if (entering or self.hypercare_agreement) and not self.hypercare_until:
			frappe.throw(
				_("Set Hypercare Until: the hypercare window of {0} needs its last day.").format(
					frappe.bold(self.service)
				),
				SMOHypercareWindowError,
			)
		if self.hypercare_agreement:
			self.validate_hypercare_agreement()
		window = self.window()
		if window is None:
			return
		others = []
		for other in frappe.get_all(
			"SMO PMO Liaison",
			filters={
				"service": self.service,
				"name": ("!=", self.name or ""),
				"hypercare_agreement": ("is", "set"),
				"go_live_date": ("is", "set"),
				"hypercare_until": ("is", "set"),
			},
			fields=["name", "go_live_date", "hypercare_until"],
			order_by="go_live_date asc",
		):
			if getdate(other.hypercare_until) >= getdate(other.go_live_date):
				others.append(
					(other.name, DayRange(getdate(other.go_live_date), getdate(other.hypercare_until)))
				)
		clash = find_overlap(window, others)
		if clash:
			frappe.throw(
				_(
					"The hypercare window {0} overlaps the window {1} of {2} for service {3}: one day is "
					"judged by one hypercare agreement only."
				).format(
					hypercare.describe(window),
					hypercare.describe(clash[1]),
					frappe.bold(clash[0]),
					self.service,
				),
				SMOHypercareOverlapError,
				title=_("Overlapping hypercare"),
			)

	def validate_hypercare_agreement(self):
		agreement = frappe.db.get_value(
			"SMO Service Level Agreement",
			self.hypercare_agreement,
			["service", "agreement_type", "is_hypercare", "customer"],
			as_dict=True,
		)
		if agreement is None:
			frappe.throw(
				_("Agreement {0} does not exist.").format(frappe.bold(self.hypercare_agreement)),
				SMOHypercareAgreementError,
			)
		if agreement.service != self.service:
			frappe.throw(
				_(
					"Agreement {0} belongs to service {1}, not {2}: choose a hypercare agreement of {2}."
				).format(frappe.bold(self.hypercare_agreement), agreement.service, self.service),
				SMOHypercareAgreementError,
			)
		if agreement.agreement_type != "SLA" or not agreement.is_hypercare:
			frappe.throw(
				_("Agreement {0} is not an SLA marked For Hypercare.").format(
					frappe.bold(self.hypercare_agreement)
				),
				SMOHypercareAgreementError,
			)

	def window(self) -> DayRange | None:
		"""This liaison's hypercare days, whatever its stage (for the overlap check)."""
		if not (self.hypercare_agreement and self.go_live_date and self.hypercare_until):
			return None
		return DayRange(getdate(self.go_live_date), getdate(self.hypercare_until))

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
		"""Going live needs the mandatory items done; leaving hypercare for Closed does not ask again."""
		if self.transition_stage not in AFTER_GO_LIVE or not self.has_value_changed("transition_stage"):
			return
		before = self.get_doc_before_save()
		if before is not None and before.transition_stage in AFTER_GO_LIVE:
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
