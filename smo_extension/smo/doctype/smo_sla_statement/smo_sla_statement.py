# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""A customer's SLA statement of one month: written by `smo_extension.sla.statement` (generate, send), printed
by the print format of the same name from the snapshot it keeps."""

import json

import frappe
from frappe import _
from frappe.model.document import Document

from smo_extension.api import typed_whitelist
from smo_extension.permissions import is_smo_manager
from smo_extension.sla import statement


class SMOSLAStatement(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		breaches: DF.Int
		customer: DF.Link
		generated_on: DF.Datetime | None
		month: DF.Data
		pdf_file: DF.Attach | None
		recipients: DF.SmallText | None
		resolution_compliance: DF.Percent
		response_compliance: DF.Percent
		sent_on: DF.Datetime | None
		snapshot: DF.LongText | None
		status: DF.Literal["Generated", "Sent", "No Contacts"]
		tickets: DF.Int

	# end: auto-generated types
	def before_print(self, settings=None):
		"""The print format reads what the statement showed when it was generated."""
		self.statement = frappe._dict(json.loads(self.snapshot or "{}"))

	def on_trash(self):
		statement.remove_files(self)

	@typed_whitelist()
	def send_to_contacts(self) -> str:
		"""E-mail this statement to the customer's contacts now; returns the statement's status."""
		if not is_smo_manager():
			frappe.throw(_("Only an SMO Manager can send a statement."), frappe.PermissionError)
		if not statement.contacts_of(self.customer):
			frappe.throw(
				_("Customer {0} has no contact with an e-mail address: add one, then send again.").format(
					frappe.bold(self.customer)
				),
				statement.SMOStatementNoContactsError,
				title=_("No contacts"),
			)
		return statement.send(self)
