# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate
from frappe.utils import now_datetime
from frappe.utils import today

from smo_extension.api import typed_whitelist
from smo_extension.erpnext_links import fill_supplier
from smo_extension.erpnext_links import validate_contract
from smo_extension.permissions import is_smo_manager
from smo_extension.permissions import may_analyse_service
from smo_extension.permissions import set_read_only_onload
from smo_extension.sla.config import clear_config_cache


class SMOAgreementError(frappe.ValidationError):
	pass


class SMOServiceLevelAgreement(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from smo_extension.smo.doctype.smo_agreement_target.smo_agreement_target import SMOAgreementTarget

		agreement_name: DF.Data
		agreement_type: DF.Literal["SLA", "OLA", "UC"]
		at_risk_percent: DF.Percent
		calendar: DF.Link | None
		compliance_target: DF.Percent
		customer: DF.Link | None
		is_hypercare: DF.Check
		last_repaired_by: DF.Link | None
		last_repaired_by_name: DF.Data | None
		last_repaired_on: DF.Datetime | None
		service: DF.Link
		status: DF.Literal["Draft", "Active", "Expired"]
		supplier: DF.Data | None
		targets: DF.Table[SMOAgreementTarget]
		team: DF.Link | None
		valid_from: DF.Date
		valid_to: DF.Date | None
		version: DF.Int

	# end: auto-generated types
	def validate(self):
		fill_supplier(self)  # from the ERPNext Supplier or Contract, where ERPNext is installed
		self.validate_parties()
		self.validate_dates()
		validate_contract(self)
		self.validate_targets()
		if self.status == "Active":
			self.validate_activation()
		self.bump_version()

	def on_update(self):
		clear_config_cache()
		if self.status != "Active":
			return
		from smo_extension.sla import jobs

		if self.flags.smo_activated and self.is_hypercare:
			# a hypercare SLA judges only the tickets opened inside the windows of liaisons that name it
			from smo_extension.sla.hypercare import tickets_in_windows_of

			jobs.enqueue_chunks(tickets_in_windows_of(self.name), include_stopped=True)
		elif self.flags.smo_activated:
			jobs.enqueue_activation(self.service, self.valid_from)
		elif self.flags.smo_recompute:
			jobs.enqueue_recompute(agreement=self.name)
			if self.flags.smo_hypercare_changed:
				from smo_extension.sla.hypercare import tickets_in_windows_of

				jobs.enqueue_chunks(tickets_in_windows_of(self.name))

	def on_trash(self):
		clear_config_cache()
		if frappe.db.exists("SMO Ticket SLA", {"agreement": self.name}):
			frappe.throw(
				_("Agreement {0} has judged tickets: set it to Expired instead of deleting it.").format(
					self.name
				),
				SMOAgreementError,
			)

	def validate_parties(self):
		if self.agreement_type == "OLA" and not self.team:
			frappe.throw(_("An OLA names the internal team that owes it."), SMOAgreementError)
		if self.agreement_type == "UC" and not self.supplier:
			frappe.throw(_("An underpinning contract names its supplier."), SMOAgreementError)
		if self.agreement_type != "SLA":
			self.customer = None
		if self.agreement_type != "OLA":
			self.team = None
		if self.agreement_type != "SLA":
			self.is_hypercare = 0
		if self.is_hypercare and self.customer:
			frappe.throw(
				_(
					"A hypercare SLA judges every customer of the service during hypercare: leave Customer empty."
				),
				SMOAgreementError,
			)
		self.validate_hypercare_use()

	def validate_hypercare_use(self):
		"""An agreement that liaisons name for hypercare stays a hypercare SLA of their service."""
		before = self.get_doc_before_save()
		if before is None or (bool(before.is_hypercare), before.service) == (
			bool(self.is_hypercare),
			self.service,
		):
			return
		naming = frappe.get_all("SMO PMO Liaison", filters={"hypercare_agreement": self.name}, pluck="name")
		if naming:
			frappe.throw(
				_(
					"PMO liaison {0} names this agreement for the hypercare of service {1}: keep it For "
					"Hypercare and of that service."
				).format(", ".join(frappe.bold(n) for n in naming), before.service),
				SMOAgreementError,
			)

	def validate_dates(self):
		if self.valid_to and getdate(self.valid_to) < getdate(self.valid_from):
			frappe.throw(
				_("Valid To ({0}) is before Valid From ({1}).").format(self.valid_to, self.valid_from),
				SMOAgreementError,
			)
		if not 0 < (self.compliance_target or 0) <= 100:
			frappe.throw(_("The compliance target must be more than 0% and at most 100%."), SMOAgreementError)
		if self.at_risk_percent and not 0 < self.at_risk_percent < 100:
			frappe.throw(_("At-Risk Share must be more than 0% and less than 100%."), SMOAgreementError)

	def validate_targets(self):
		seen = set()
		for row in self.targets:
			if row.priority in seen:
				frappe.throw(
					_("Priority {0} has two targets: keep one.").format(frappe.bold(row.priority)),
					SMOAgreementError,
				)
			seen.add(row.priority)
			if (row.response_minutes or 0) <= 0 or (row.resolution_minutes or 0) < 0:
				frappe.throw(
					_(
						"Row {0}: the response target must be more than zero minutes, the resolution target "
						"zero (no resolution target) or more."
					).format(row.idx),
					SMOAgreementError,
				)
			if row.resolution_minutes and row.response_minutes > row.resolution_minutes:
				frappe.throw(
					_("Row {0}: the response target cannot be longer than the resolution target.").format(
						row.idx
					),
					SMOAgreementError,
				)

	def onload(self):
		from smo_extension.settings import get_settings

		self.set_onload("coverage_gap", self.coverage_gap())
		set_read_only_onload(self)
		# the form's "What if…" action (smo_extension.api.sla.what_if checks again)
		self.set_onload(
			"may_what_if", self.agreement_type in ("SLA", "OLA") and may_analyse_service(self.service)
		)
		# an empty At-Risk Share means the settings' share: the form says which one
		self.set_onload("settings_at_risk_percent", get_settings().at_risk_percent)

	def coverage_gap(self) -> list[str]:
		"""Ticket priorities this agreement has no target for (a UC judges no ticket, so it has none)."""
		if self.agreement_type == "UC":
			return []
		return sorted(
			set(frappe.get_all("HD Ticket Priority", pluck="name")) - {r.priority for r in self.targets}
		)

	def validate_activation(self):
		"""Only a complete, current agreement becomes Active: a ticket priority without a target is an error
		when it is activated, not a crash at ticket save. A priority added to Helpdesk later does not block
		editing an Active agreement: the form shows the gap, and tickets at that priority say they have no
		target."""
		was_active = (self.get_doc_before_save() or frappe._dict()).get("status") == "Active"
		if was_active:
			return
		if self.valid_to and getdate(self.valid_to) < getdate(today()):
			frappe.throw(
				_("This agreement ended on {0}: it cannot be activated.").format(self.valid_to),
				SMOAgreementError,
			)
		missing = self.coverage_gap()
		if missing:
			frappe.throw(
				_("Add targets for every ticket priority before activating: {0} missing.").format(
					", ".join(frappe.bold(p) for p in missing)
				),
				SMOAgreementError,
				title=_("Targets missing"),
			)

	def bump_version(self):
		"""The version goes up on every change to an Active agreement's targets or calendar; running clocks are
		then recomputed in the background (stopped ones keep the version that judged them)."""
		self.flags.smo_activated = self.flags.smo_recompute = False  # flags outlive a save on the same object
		before = self.get_doc_before_save()
		if self.status != "Active":
			return
		if before is None or before.status != "Active":
			# newly Active: the tickets of its service get judged by it (see on_update)
			self.flags.smo_activated = True
			return

		def terms(doc):
			return (
				doc.calendar,
				doc.at_risk_percent,
				bool(doc.is_hypercare),
				sorted((r.priority, r.response_minutes, r.resolution_minutes) for r in doc.targets),
			)

		if terms(before) != terms(self):
			self.version = (before.version or 1) + 1
			self.flags.smo_recompute = True
			# judging inside hypercare windows only, or no longer only there: those tickets change too
			self.flags.smo_hypercare_changed = bool(before.is_hypercare) != bool(self.is_hypercare)

	@typed_whitelist()
	def repair_clocks(self) -> int:
		"""Recompute every clock of this agreement, stopped ones too, and record who asked and when."""
		if not is_smo_manager():
			frappe.throw(
				_("Only an SMO Manager can repair the clocks of an agreement."), frappe.PermissionError
			)
		from smo_extension.sla.jobs import recompute_agreement

		count = recompute_agreement(self.name, include_stopped=True)
		self.db_set({"last_repaired_by": frappe.session.user, "last_repaired_on": now_datetime()})
		self.add_comment("Info", _("Repaired {0} clocks of this agreement.").format(count))
		return count


def expire_agreements() -> None:
	"""Daily: Active agreements past their Valid To become Expired."""
	for name in frappe.get_all(
		"SMO Service Level Agreement",
		filters={"status": "Active", "valid_to": ("<", today())},
		pluck="name",
	):
		doc = frappe.get_doc("SMO Service Level Agreement", name)
		doc.status = "Expired"
		doc.save(ignore_permissions=True)
