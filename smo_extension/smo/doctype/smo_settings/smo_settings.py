# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

import re
from urllib.parse import urlsplit

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint

# what the adapters read lives one level down; the names stay here for callers of the controller module
from smo_extension.settings import drives_helpdesk_sla  # noqa: F401
from smo_extension.settings import get_settings  # noqa: F401
from smo_extension.settings import is_enabled  # noqa: F401

# Defaults of the governance and PMO fields, also written on migrate to sites that had the settings before.
GOVERNANCE_DEFAULTS = {
	"forbid_self_approval": 1,
	"policy_review_warning_days": 30,
	"pmo_sync_interval_minutes": 60,
	"pmo_timeout_seconds": 10,
	"customer_sla_wins_in_hypercare": 1,
}
# Defaults of later SLA fields, written on migrate to sites that had the settings before.
SLA_DEFAULTS = {"drive_helpdesk_sla": 1}
MIN_SYNC_INTERVAL = 15
MAX_TIMEOUT = 120
# a Frappe fieldname: what the PMO's Project list is asked for
FIELDNAME = re.compile(r"[a-z_][a-z0-9_]{0,63}")


class SMOSettingsError(frappe.ValidationError):
	pass


class SMOSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		at_risk_percent: DF.Percent
		customer_sla_wins_in_hypercare: DF.Check
		default_calendar: DF.Link | None
		defer_clock_writes: DF.Check
		drive_helpdesk_sla: DF.Check
		enabled: DF.Check
		forbid_self_approval: DF.Check
		pmo_api_key: DF.Password | None
		pmo_api_secret: DF.Password | None
		pmo_base_url: DF.Data | None
		pmo_go_live_field: DF.Data | None
		pmo_hypercare_end_field: DF.Data | None
		pmo_sync_interval_minutes: DF.Int
		pmo_timeout_seconds: DF.Int
		policy_review_warning_days: DF.Int

	# end: auto-generated types
	def validate(self):
		if not 0 < (self.at_risk_percent or 0) < 100:
			frappe.throw(
				_("At-Risk Share must be more than 0% and less than 100%, not {0}%.").format(
					self.at_risk_percent
				),
				SMOSettingsError,
			)
		self.validate_governance()
		self.validate_pmo_connection()

	def validate_governance(self):
		for field, default in GOVERNANCE_DEFAULTS.items():
			if self.get(field) is None:
				self.set(field, default)
		if cint(self.policy_review_warning_days) < 0:
			frappe.throw(_("The review reminder cannot be a negative number of days."), SMOSettingsError)

	def validate_pmo_connection(self):
		self.pmo_base_url = (self.pmo_base_url or "").strip().rstrip("/")
		if self.pmo_base_url:
			parts = urlsplit(self.pmo_base_url)
			if parts.scheme not in ("http", "https") or not parts.hostname:
				frappe.throw(
					_("PMO Site URL must start with https:// or http://, e.g. https://pmo.example.com."),
					SMOSettingsError,
				)
			if parts.username or parts.password:
				frappe.throw(
					_("PMO Site URL must not contain a user name or password: use the API key and secret."),
					SMOSettingsError,
				)
		if cint(self.pmo_sync_interval_minutes) < MIN_SYNC_INTERVAL:
			frappe.throw(
				_("Sync Every must be at least {0} minutes, not {1}.").format(
					MIN_SYNC_INTERVAL, cint(self.pmo_sync_interval_minutes)
				),
				SMOSettingsError,
			)
		for field in ("pmo_go_live_field", "pmo_hypercare_end_field"):
			value = (self.get(field) or "").strip()
			self.set(field, value or None)
			if value and not FIELDNAME.fullmatch(value):
				frappe.throw(
					_(
						"{0} must be a field name of the PMO's Project such as custom_go_live_date, not {1}."
					).format(_(self.meta.get_label(field)), frappe.bold(value)),
					SMOSettingsError,
				)
		if not 1 <= cint(self.pmo_timeout_seconds) <= MAX_TIMEOUT:
			frappe.throw(
				_("Timeout must be between 1 and {0} seconds, not {1}.").format(
					MAX_TIMEOUT, cint(self.pmo_timeout_seconds)
				),
				SMOSettingsError,
			)

	def onload(self):
		"""Where ERPNext is installed, the form lists the HD Customers linked to no ERPNext Customer."""
		from smo_extension import erpnext_compat

		if erpnext_compat.installed() and frappe.get_meta("HD Customer").has_field(
			erpnext_compat.CUSTOMER_LINK
		):
			self.set_onload(
				"smo_unmatched_customers",
				frappe.get_all(
					"HD Customer",
					filters={erpnext_compat.CUSTOMER_LINK: ("is", "not set")},
					pluck="name",
					order_by="name asc",
				),
			)

	def on_update(self):
		from smo_extension.sla.config import clear_config_cache

		clear_config_cache()
		self.follow_helpdesk_switch()
		self.follow_issue_switch()
		if self.has_value_changed("prepared_reports_from"):
			from smo_extension.scale import decide_prepared_reports

			decide_prepared_reports(threshold=self.prepared_reports_from)
		if self.has_value_changed("defer_clock_writes") and not self.defer_clock_writes:
			# what deferred saves left is written now, in the background, not a minute later
			frappe.enqueue("smo_extension.sla.jobs.flush_deferred", queue="long", enqueue_after_commit=True)

	def follow_issue_switch(self):
		"""Judging ERPNext Issues switched on: the Issues that have no SMO events yet are judged from their
		history, in the background after the commit (ERPNext's records are read, and only their SMO fields and
		SLA fields written)."""
		from smo_extension import erpnext_compat

		before = self.get_doc_before_save()
		was = bool(before and before.enabled and before.get("judge_erpnext_issues"))
		now = bool(self.enabled and self.get("judge_erpnext_issues"))
		if was or not now or not erpnext_compat.installed():
			return
		frappe.enqueue("smo_extension.sla.jobs.backfill_issues", queue="long", enqueue_after_commit=True)

	def follow_helpdesk_switch(self):
		"""Turning the SMO (or its Helpdesk SLA display) on writes the SMO's answer into Helpdesk's SLA fields
		of every ticket with an SMO SLA clock; turning it off gives those tickets Helpdesk's own SLA back. In
		the background, after the commit."""
		before = self.get_doc_before_save()
		if before is None:
			return
		was = bool(before.enabled and before.drive_helpdesk_sla)
		now = bool(self.enabled and self.drive_helpdesk_sla)
		if was == now:
			return
		from smo_extension.sla import jobs

		if now:
			jobs.enqueue_chunks(jobs.tickets_with_sla_clocks())
		else:
			jobs.enqueue_helpdesk_restore()


def set_governance_defaults() -> None:
	"""Sites that saved the settings before the governance fields existed get their defaults (a single keeps
	only stored values, so JSON defaults do not reach them)."""
	defaults = {**GOVERNANCE_DEFAULTS, **SLA_DEFAULTS}
	singles = frappe.qb.DocType("Singles")
	stored = {
		row[0]
		for row in frappe.qb.from_(singles)
		.select(singles.field)
		.where((singles.doctype == "SMO Settings") & singles.field.isin(list(defaults)))
		.run()
	}
	for field, default in defaults.items():
		if field not in stored:
			frappe.db.set_single_value("SMO Settings", field, default)
	frappe.clear_document_cache("SMO Settings", "SMO Settings")
