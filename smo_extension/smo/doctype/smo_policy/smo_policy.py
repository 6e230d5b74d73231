# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""The register of policies, processes, procedures, standards and guidelines.

Each version is its own record, named `<policy code>-v<version>`; a new version names the one it `supersedes`.
Publishing it retires the previous one and marks it superseded, without touching its text.
"""

from __future__ import annotations

from datetime import date

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days
from frappe.utils import add_months
from frappe.utils import cint
from frappe.utils import getdate
from frappe.utils import today

from smo_extension.api import typed_whitelist
from smo_extension.permissions import set_read_only_onload
from smo_extension.query import fields
from smo_extension.settings import get_settings
from smo_extension.settings import is_enabled

DRAFT, IN_REVIEW, APPROVED, PUBLISHED, RETIRED = "Draft", "In Review", "Approved", "Published", "Retired"
FROZEN_WHEN_PUBLISHED = tuple(
	"title policy_code version document_type framework_practice policy_owner approver effective_from review_every_months policy_text attachment".split()
)
# The moves a document may make (the workflow "SMO Policy Lifecycle" shows the same ones as actions).
TRANSITIONS = {
	DRAFT: (IN_REVIEW,),
	IN_REVIEW: (APPROVED, DRAFT),
	APPROVED: (PUBLISHED, DRAFT),
	PUBLISHED: (RETIRED,),
	RETIRED: (),
}
MANAGER_ONLY = (PUBLISHED, RETIRED)
MANAGER = "SMO Manager"

OVERDUE, DUE_SOON = "Overdue", "Due Soon"
MIN_REVIEW_MONTHS, MAX_REVIEW_MONTHS = 1, 120
MAX_NAME_LENGTH = 140
DEFAULT_WARNING_DAYS = 30


class SMOPolicyError(frappe.ValidationError):
	pass


class SMOPolicyTransitionError(frappe.ValidationError):
	"""A status move the lifecycle does not allow, or not to this user."""


# ------------------------------------------------------------------------------------------- pure helpers
def next_review_date(last_reviewed_on, effective_from, review_every_months: int | None) -> date | None:
	"""(Last review, or else the effective date) plus the review period."""
	base = last_reviewed_on or effective_from
	if not base or cint(review_every_months) <= 0:
		return None
	return getdate(add_months(getdate(base), cint(review_every_months)))


def review_state(next_review_due, on: date, warning_days: int) -> str:
	"""Overdue once the due date has passed, Due Soon within `warning_days` of it, else ''."""
	if not next_review_due:
		return ""
	due = getdate(next_review_due)
	if due < on:
		return OVERDUE
	if due <= getdate(add_days(on, warning_days)):
		return DUE_SOON
	return ""


def forbid_self_approval() -> bool:
	value = get_settings().get("forbid_self_approval")
	return True if value is None else bool(cint(value))


def warning_days() -> int:
	value = get_settings().get("policy_review_warning_days")
	return DEFAULT_WARNING_DAYS if value is None else max(cint(value), 0)


def is_manager(user: str | None = None) -> bool:
	return MANAGER in frappe.get_roles(user)


# ------------------------------------------------------------------------------------------- controller
class SMOPolicy(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from smo_extension.smo.doctype.smo_policy_service.smo_policy_service import SMOPolicyService

		approver: DF.Link | None
		approver_name: DF.Data | None
		attachment: DF.Attach | None
		document_type: DF.Literal["Policy", "Process", "Procedure", "Standard", "Guideline"]
		effective_from: DF.Date | None
		framework: DF.Data | None
		framework_practice: DF.Link | None
		is_superseded: DF.Check
		last_reviewed_on: DF.Date | None
		next_review_due: DF.Date | None
		policy_code: DF.Data
		policy_owner: DF.Link
		policy_owner_name: DF.Data | None
		policy_text: DF.TextEditor | None
		retired_on: DF.Date | None
		review_every_months: DF.Int
		review_state_notified: DF.Data | None
		services: DF.TableMultiSelect[SMOPolicyService]
		status: DF.Literal["Draft", "In Review", "Approved", "Published", "Retired"]
		superseded_by: DF.Link | None
		supersedes: DF.Link | None
		title: DF.Data
		version: DF.Data

	# end: auto-generated types
	def onload(self):
		set_read_only_onload(self)

	def before_insert(self):
		self.inherit_from_previous_version()

	def autoname(self):
		self.policy_code = (self.policy_code or "").strip()
		self.version = (self.version or "").strip()
		if not self.policy_code or not self.version:
			frappe.throw(
				_("Set the Policy Code and the Version: they make the record's name."), SMOPolicyError
			)
		self.name = f"{self.policy_code}-v{self.version}"
		if len(self.name) > MAX_NAME_LENGTH:
			frappe.throw(
				_("Policy Code and Version make a name of {0} characters; keep them under {1}.").format(
					len(self.name), MAX_NAME_LENGTH
				),
				SMOPolicyError,
			)
		if frappe.db.exists("SMO Policy", self.name):
			frappe.throw(
				_("Version {0} of {1} already exists: give the new version another number.").format(
					self.version, self.policy_code
				),
				SMOPolicyError,
			)

	def validate(self):
		self.validate_editor()
		self.validate_superseded_is_frozen()
		self.validate_published_is_frozen()
		self.validate_previous_version()
		self.validate_review_period()
		self.validate_dates()
		self.validate_approver()
		self.validate_transition()
		self.next_review_due = next_review_date(
			self.last_reviewed_on, self.effective_from, self.review_every_months
		)

	def on_update(self):
		if self.status == PUBLISHED and self.has_value_changed("status") and self.supersedes:
			self.supersede_previous()

	# -- validation
	def inherit_from_previous_version(self):
		if not self.supersedes:
			return
		code = frappe.db.get_value("SMO Policy", self.supersedes, "policy_code")
		if code and not self.policy_code:
			self.policy_code = code

	def validate_superseded_is_frozen(self):
		before = self.get_doc_before_save()
		if before and before.is_superseded:
			frappe.throw(
				_("{0} was superseded by {1}: it stays as it was published.").format(
					self.name, before.superseded_by
				),
				SMOPolicyError,
			)

	def changed_content(self, before) -> list[str]:
		changed = [f for f in FROZEN_WHEN_PUBLISHED if str(before.get(f) or "") != str(self.get(f) or "")]
		if [r.service for r in before.services] != [r.service for r in self.services]:
			changed.append("services")
		return changed

	def validate_editor(self):
		"""Someone who does not own the document and is not an SMO Manager edits it only as its approver
		(permissions.approves): they move the status, and change nothing of its content."""
		before = self.get_doc_before_save()
		user = frappe.session.user
		if not before or self.flags.ignore_permissions or is_manager(user) or before.policy_owner == user:
			return
		changed = self.changed_content(before)
		if changed:
			frappe.throw(
				_("As the approver of {0} you can approve it or send it back, not change {1}.").format(
					self.name, ", ".join(_(self.meta.get_label(f)) for f in changed)
				),
				frappe.PermissionError,
			)

	def validate_published_is_frozen(self):
		"""A Published or Retired document keeps its content: changes go into a new version. Its review dates,
		its retirement and its status (through the transitions) may still change."""
		before = self.get_doc_before_save()
		if not before or before.status not in (PUBLISHED, RETIRED):
			return
		changed = self.changed_content(before)
		if changed:
			frappe.throw(
				_("{0} is {1}: make a new version to change {2}.").format(
					self.name, _(before.status), ", ".join(_(self.meta.get_label(f)) for f in changed)
				),
				SMOPolicyError,
				title=_("Published documents are frozen"),
			)

	def validate_previous_version(self):
		if not self.supersedes:
			return
		if self.supersedes == self.name:
			frappe.throw(_("A version cannot supersede itself."), SMOPolicyError)
		previous = frappe.db.get_value(
			"SMO Policy", self.supersedes, ["policy_code", "superseded_by", "policy_owner"], as_dict=True
		)
		if not previous:
			return  # the link check names it
		if (
			self.is_new()
			and not self.flags.ignore_permissions
			and previous.policy_owner != frappe.session.user
			and not is_manager()
		):
			frappe.throw(
				_("Only the owner of {0} ({1}) or an SMO Manager can start its next version.").format(
					self.supersedes, previous.policy_owner
				),
				frappe.PermissionError,
			)
		if previous.policy_code != self.policy_code:
			frappe.throw(
				_(
					"{0} belongs to policy code {1}: a new version keeps the code of the one it supersedes."
				).format(self.supersedes, previous.policy_code),
				SMOPolicyError,
			)
		if previous.superseded_by and previous.superseded_by != self.name:
			frappe.throw(
				_("{0} was already superseded by {1}.").format(self.supersedes, previous.superseded_by),
				SMOPolicyError,
			)

	def validate_review_period(self):
		months = cint(self.review_every_months)
		if not MIN_REVIEW_MONTHS <= months <= MAX_REVIEW_MONTHS:
			frappe.throw(
				_("Review Every must be between {0} and {1} months, not {2}.").format(
					MIN_REVIEW_MONTHS, MAX_REVIEW_MONTHS, months
				),
				SMOPolicyError,
				title=_("Review period"),
			)

	def validate_dates(self):
		if (
			self.effective_from
			and self.retired_on
			and getdate(self.effective_from) > getdate(self.retired_on)
		):
			frappe.throw(
				_("Effective From ({0}) is after Retired On ({1}).").format(
					frappe.format(self.effective_from, "Date"), frappe.format(self.retired_on, "Date")
				),
				SMOPolicyError,
			)
		if self.last_reviewed_on and getdate(self.last_reviewed_on) > getdate(today()):
			frappe.throw(
				_("Last Reviewed On ({0}) is in the future.").format(
					frappe.format(self.last_reviewed_on, "Date")
				),
				SMOPolicyError,
			)

	def validate_approver(self):
		if self.approver and self.approver == self.policy_owner and forbid_self_approval():
			frappe.throw(
				_(
					"{0} owns this document and cannot also approve it: SMO Settings forbid self-approval."
				).format(self.approver),
				SMOPolicyError,
				title=_("Self-approval"),
			)

	def validate_transition(self):
		before = self.get_doc_before_save()
		old = before.status if before else None
		new = self.status
		if old is None:
			if new != DRAFT:
				frappe.throw(
					_("A new document starts as {0}, not {1}.").format(_(DRAFT), _(new)),
					SMOPolicyTransitionError,
				)
			return
		if old == new:
			return
		if new not in TRANSITIONS.get(old, ()):
			frappe.throw(
				_("A document in status {0} cannot move to {1}.").format(_(old), _(new)),
				SMOPolicyTransitionError,
			)
		user = frappe.session.user
		if new in MANAGER_ONLY and not is_manager(user):
			frappe.throw(
				_("Only an SMO Manager can move a document to {0}.").format(_(new)),
				SMOPolicyTransitionError,
				title=_("Not permitted"),
			)
		if new == APPROVED:
			self.validate_approval_by(user)
		if new in (APPROVED, PUBLISHED) and not self.approver:
			frappe.throw(_("Name the approver before the document is {0}.").format(_(new)), SMOPolicyError)
		if new == PUBLISHED and not self.effective_from:
			frappe.throw(_("Set Effective From before publishing."), SMOPolicyError)
		if new == RETIRED and not self.retired_on:
			self.retired_on = today()
			self.validate_dates()

	def validate_approval_by(self, user: str):
		if user == self.policy_owner and forbid_self_approval():
			frappe.throw(
				_("{0} owns this document and cannot approve it: SMO Settings forbid self-approval.").format(
					user
				),
				SMOPolicyTransitionError,
				title=_("Self-approval"),
			)
		if user != self.approver and not is_manager(user):
			frappe.throw(
				_("Only the approver ({0}) or an SMO Manager can approve this document.").format(
					self.approver or _("not set")
				),
				SMOPolicyTransitionError,
				title=_("Not permitted"),
			)

	# -- side effects
	def supersede_previous(self):
		"""The previous version stays readable as it was: retired, marked superseded, text untouched."""
		previous = frappe.db.get_value("SMO Policy", self.supersedes, ["retired_on", "status"], as_dict=True)
		if not previous:
			return
		frappe.db.set_value(
			"SMO Policy",
			self.supersedes,
			{
				"is_superseded": 1,
				"superseded_by": self.name,
				"status": RETIRED,
				"retired_on": previous.retired_on or self.effective_from or today(),
				"review_state_notified": "",
			},
		)
		frappe.get_doc("SMO Policy", self.supersedes).add_comment(
			"Info", _("Superseded by version {0} ({1}).").format(self.version, self.name)
		)

	# -- actions
	def require_owner_or_manager(self, action: str) -> None:
		"""Document actions act on the stored record, not on what the caller sent (the desk posts the whole
		document with the call), and only for its owner or an SMO Manager."""
		self.reload()
		if frappe.session.user != self.policy_owner and not is_manager():
			frappe.throw(
				_("Only the owner ({0}) or an SMO Manager can {1}.").format(self.policy_owner, action),
				frappe.PermissionError,
			)

	@typed_whitelist()
	def mark_reviewed(self, reviewed_on: str | None = None) -> str | None:
		"""The owner or an SMO Manager records a review of a published document: the next review moves on."""
		self.require_owner_or_manager(_("record a review"))
		if self.status != PUBLISHED or self.is_superseded:
			frappe.throw(_("Only the published version is reviewed on its cycle."), SMOPolicyError)
		try:
			reviewed = getdate(reviewed_on or today())
		except Exception:
			frappe.throw(
				_("Reviewed On must be a date (YYYY-MM-DD), not {0}.").format(reviewed_on), SMOPolicyError
			)
		self.last_reviewed_on = reviewed
		self.save(ignore_permissions=True)
		self.add_comment(
			"Info",
			_("Reviewed on {0}; next review due {1}.").format(
				frappe.format(self.last_reviewed_on, "Date"), frappe.format(self.next_review_due, "Date")
			),
		)
		return str(self.next_review_due) if self.next_review_due else None

	@typed_whitelist()
	def make_new_version(self, version: str) -> str:
		"""A Draft copy of this document, to be reviewed and published as `version`; returns its name."""
		frappe.has_permission("SMO Policy", "create", throw=True)
		self.require_owner_or_manager(_("make a new version"))
		if self.is_superseded:
			frappe.throw(
				_("{0} was superseded by {1}: start from that one.").format(self.name, self.superseded_by),
				SMOPolicyError,
			)
		draft = frappe.db.get_value("SMO Policy", {"supersedes": self.name}, "name")
		if draft:
			frappe.throw(_("{0} already supersedes this version.").format(draft), SMOPolicyError)
		new = frappe.copy_doc(self)
		new.update(
			{
				"version": version,
				"status": DRAFT,
				"supersedes": self.name,
				"is_superseded": 0,
				"superseded_by": None,
				"effective_from": None,
				"last_reviewed_on": None,
				"retired_on": None,
				"review_state_notified": None,
			}
		)
		new.insert()
		return new.name


# ------------------------------------------------------------------------------------------- daily job
def notify_policy_reviews(on: date | None = None) -> int:
	"""Daily: the owner of each published document whose review falls due within the warning period, or is
	overdue, gets one notification per state change (Due Soon, then Overdue). Returns notifications sent."""
	if not is_enabled():
		return 0
	on = getdate(on or today())
	days = warning_days()
	p = frappe.qb.DocType("SMO Policy")
	rows = (
		frappe.qb.from_(p)
		.select(*fields(p, "name title version policy_owner next_review_due review_state_notified"))
		.where(
			(p.status == PUBLISHED)
			& (p.is_superseded == 0)
			& (
				(p.next_review_due <= add_days(on, days))
				| (p.review_state_notified.isnotnull() & (p.review_state_notified != ""))
			)
		)
		.run(as_dict=True)
	)
	sent = 0
	for row in rows:
		state = review_state(row.next_review_due, on, days)
		if state == (row.review_state_notified or ""):
			continue
		if state and row.policy_owner:
			send_review_notification(row, state)
			sent += 1
		frappe.db.set_value("SMO Policy", row.name, "review_state_notified", state, update_modified=False)
	return sent


def send_review_notification(row, state: str) -> None:
	due = frappe.format(row.next_review_due, "Date")
	if state == OVERDUE:
		subject = _("Review overdue: {0} (version {1}) was due on {2}").format(row.title, row.version, due)
	else:
		subject = _("Review due soon: {0} (version {1}) is due on {2}").format(row.title, row.version, due)
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": row.policy_owner,
			"type": "Alert",
			"document_type": "SMO Policy",
			"document_name": row.name,
			"subject": subject,
			"email_content": _("Review the document and record it with Mark Reviewed."),
		}
	).insert(ignore_permissions=True)
