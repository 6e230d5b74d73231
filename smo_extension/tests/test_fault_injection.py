"""Fault injection: each multi-step operation is made to fail at each of its steps in turn (the step itself is
patched to raise, never the database), and afterwards the database is as before or as after, never between;
no file is missing or orphaned on disk; no e-mail is queued twice or for a rolled-back change; and running the
operation again finishes it.

Statements: generate / regenerate (snapshot, render, each File, the link to the PDF, the old PDF's removal, and
a failure later in the same request after all of them), the monthly job (one customer failing in any step while
the others go on) and sending.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import contextmanager
from unittest.mock import patch

import frappe
from frappe.model.document import Document

from smo_extension.sla import statement
from smo_extension.tests.factories import PORTAL_CUSTOMER
from smo_extension.tests.test_statements import MONTH, OTHER, StatementTestCase, with_outgoing_account


class Boom(Exception):
	"""The injected fault."""


def boom(*args, **kwargs):
	raise Boom("injected fault")


def pdf_files(customer: str, month: str) -> dict[str, tuple[str, str | None]]:
	"""Every File of the customer's statement of `month` (on the statement and on the customer): name ->
	(URL, sha1 of the bytes on disk, None when they are missing)."""
	name = statement.statement_name(customer, month)
	out = {}
	for doctype, parent in ((statement.STATEMENT, name), ("HD Customer", customer)):
		for row in frappe.get_all(
			"File",
			filters={
				"attached_to_doctype": doctype,
				"attached_to_name": parent,
				"file_name": ("like", f"%{month}%"),
			},
			fields=["name", "file_url"],
		):
			path = frappe.get_doc("File", row.name).get_full_path()
			digest = hashlib.sha1(open(path, "rb").read()).hexdigest() if os.path.exists(path) else None
			out[row.name] = (row.file_url, digest)
	return out


def files_on_disk() -> set[str]:
	folder = frappe.get_site_path("private", "files")
	return {f for f in os.listdir(folder) if f.startswith("SLA Statement")}


def statement_row(customer: str, month: str) -> dict:
	return frappe.db.get_value(
		statement.STATEMENT,
		statement.statement_name(customer, month),
		["status", "generated_on", "snapshot", "pdf_file", "sent_on"],
		as_dict=True,
	)


@contextmanager
def fail_on_insert_of(doctype: str, attached_to: str):
	"""The insert of a File attached to a record of `attached_to` fails (the first one of that kind)."""
	real = Document.insert

	def insert(self, *args, **kwargs):
		if self.doctype == doctype and self.get("attached_to_doctype") == attached_to:
			raise Boom(f"injected fault on the {doctype} of the {attached_to}")
		return real(self, *args, **kwargs)

	with patch.object(Document, "insert", insert):
		yield


class TestStatementFaults(StatementTestCase):
	def setUp(self):
		super().setUp()
		self.state = (statement_row(PORTAL_CUSTOMER, MONTH), pdf_files(PORTAL_CUSTOMER, MONTH))
		self.disk = files_on_disk()
		self.assertTrue(all(digest for _url, digest in self.state[1].values()), self.state)

	def assertUntouched(self, step: str):
		"""The statement, its Files and their bytes as before the failed attempt; no new bytes on disk."""
		self.assertEqual(statement_row(PORTAL_CUSTOMER, MONTH), self.state[0], step)
		self.assertEqual(pdf_files(PORTAL_CUSTOMER, MONTH), self.state[1], step)
		self.assertEqual(files_on_disk(), self.disk, f"{step}: files left on disk")

	def steps(self):
		"""(what fails, a context that makes it fail) for each step of regenerating a statement."""
		return [
			("the snapshot", patch.object(statement, "build_snapshot", boom)),
			("the PDF", patch.object(statement, "render_pdf", boom)),
			("the statement's File", fail_on_insert_of("File", statement.STATEMENT)),
			("the customer's File", fail_on_insert_of("File", "HD Customer")),
			("the old PDF's removal", patch.object(statement, "remove_files", boom)),
		]

	def test_regenerating_fails_at_each_step_and_the_old_statement_stays_whole(self):
		for step, fault in self.steps():
			with self.subTest(step=step):
				with fault, self.assertRaises(Boom):
					statement.generate(PORTAL_CUSTOMER, MONTH)
				frappe.db.rollback()
				self.assertUntouched(step)

	def test_a_failure_later_in_the_same_request_leaves_the_old_statement_whole(self):
		"""All steps done, then the request fails (what the operator found: the old PDF was gone)."""
		statement.generate(PORTAL_CUSTOMER, MONTH)
		frappe.db.rollback()
		self.assertUntouched("after the last step")

	def test_again_after_a_failure_finishes_it(self):
		with patch.object(statement, "render_pdf", boom), self.assertRaises(Boom):
			statement.generate(PORTAL_CUSTOMER, MONTH)
		frappe.db.rollback()
		doc = statement.generate(PORTAL_CUSTOMER, MONTH)
		frappe.db.commit()  # nosemgrep: the old PDF's bytes leave the disk only when this commits
		after = pdf_files(PORTAL_CUSTOMER, MONTH)
		self.assertEqual(len(after), 2, after)  # one on the statement, one on the customer
		self.assertTrue(all(digest for _url, digest in after.values()), after)
		self.assertEqual(doc.pdf_file, frappe.db.get_value(statement.STATEMENT, doc.name, "pdf_file"))
		self.assertNotEqual(set(after), set(self.state[1]))
		old_urls = {url for url, _digest in self.state[1].values()} - {url for url, _digest in after.values()}
		for url in old_urls:  # the old PDF's bytes went with the commit
			self.assertFalse(os.path.exists(frappe.get_site_path(url.lstrip("/"))), url)
		self.assertEqual(len(files_on_disk()), len(self.disk), "one PDF replaced by one")


class TestMonthlyJobFaults(StatementTestCase):
	def test_one_customer_failing_at_any_step_leaves_no_half_statement_and_no_orphan(self):
		month = "2026-03"
		for step, fault in (
			("the PDF", patch.object(statement, "render_pdf", boom)),
			("the customer's File", fail_on_insert_of("File", "HD Customer")),
			("the old PDF's removal", patch.object(statement, "remove_files", boom)),
		):
			with self.subTest(step=step):
				before = (statement_row(OTHER, month), pdf_files(OTHER, month))
				disk = files_on_disk()
				# one customer's step in the job's savepoint, as `send_monthly_statements` runs it
				with fault:
					result = statement.guarded(
						OTHER, month, lambda: statement.generate(OTHER, month), "generate"
					)
				self.assertEqual(result, "Error")
				self.assertEqual((statement_row(OTHER, month), pdf_files(OTHER, month)), before, step)
				self.assertEqual(files_on_disk(), disk, f"{step}: orphaned bytes on disk")
				frappe.db.rollback()

	def test_sending_fails_after_queueing_and_nothing_is_sent_for_it(self):
		with_outgoing_account(self)
		name = statement.statement_name(OTHER, MONTH)
		doc = frappe.get_doc(statement.STATEMENT, name)
		queued = frappe.db.count("Email Queue", {"reference_name": name})
		real = Document.db_set

		def db_set(self, *args, **kwargs):
			if self.doctype == statement.STATEMENT:
				raise Boom("injected fault while marking the statement sent")
			return real(self, *args, **kwargs)

		with patch.object(Document, "db_set", db_set), self.assertRaises(Boom):
			statement.send(doc)
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Email Queue", {"reference_name": name}), queued)
		self.assertNotEqual(frappe.db.get_value(statement.STATEMENT, name, "status"), statement.SENT)
		self.assertEqual(statement.send(frappe.get_doc(statement.STATEMENT, name)), statement.SENT)
		self.assertEqual(frappe.db.count("Email Queue", {"reference_name": name}), queued + 1)
		frappe.db.rollback()
