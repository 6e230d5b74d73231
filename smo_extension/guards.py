"""Requests to the SMO's own records checked before Frappe handles them (a `before_request` hook).

Frappe's REST layer builds a document from the request body before any hook of the document runs, and runs a
controller method by name before it checks the name: a table sent as a string or a method that does not exist
ends in a 500 and an Error Log entry there. For the SMO doctypes these are refused here, with a translated
error naming what is wrong. The filters of the SMO reports are checked here too (see report/filters.py).
"""

from __future__ import annotations

import json
from urllib.parse import unquote

import frappe
from frappe import _
from frappe.model import table_fields

from smo_extension.smo.report.filters import validate_report_request


class SMORequestError(frappe.ValidationError):
	pass


# Frappe's methods that read an SMO doctype without checking that the caller may read it.
UNCHECKED_READS = ("frappe.client.get_count",)
METHOD_PATHS = ("/api/method/", "/api/v1/method/", "/api/v2/method/")


def requested_method() -> str | None:
	"""The whitelisted method a request calls, by whichever route: `/api/method/<m>` (and API v1 / v2) or the
	old `cmd` form field of a request to the site's root."""
	request = getattr(frappe.local, "request", None)
	if request is None:
		return None
	for prefix in METHOD_PATHS:
		if request.path.startswith(prefix):
			return request.path[len(prefix) :].strip("/")
	cmd = frappe.form_dict.get("cmd")
	return cmd if isinstance(cmd, str) and not request.path.startswith("/api/") else None


def check_request() -> None:
	request = getattr(frappe.local, "request", None)
	if request is None:
		return
	method = requested_method()
	if method is None and not request.path.startswith("/api/"):
		return
	validate_report_request(method)
	if request.method in ("POST", "PUT") and request.path.startswith("/api/resource/"):
		check_resource_body(request)
	elif method in ("run_doc_method", "frappe.handler.run_doc_method"):
		check_doc_method()
	elif method in UNCHECKED_READS:
		check_unchecked_read()


def check_unchecked_read() -> None:
	"""`frappe.client.get_count` counts any doctype for anyone logged in (Frappe's own method checks nothing):
	on an SMO doctype the caller must be one who may read it (PERSONAS.md)."""
	doctype = frappe.form_dict.get("doctype")
	if not smo_doctype(doctype):
		return
	if not frappe.has_permission(doctype, "read"):
		frappe.throw(
			_("You may not read {0}.").format(_(doctype)), frappe.PermissionError, title=_("Not permitted")
		)
	if frappe.get_meta(doctype).issingle:  # Frappe's own method would fail on the missing table (a 500)
		frappe.throw(
			_("{0} is a single record: there is nothing to count.").format(_(doctype)), SMORequestError
		)


def smo_doctype(doctype) -> bool:
	return (
		isinstance(doctype, str)
		and doctype.startswith("SMO ")
		and bool(frappe.db.exists("DocType", {"name": doctype, "module": "SMO"}))
	)


def check_resource_body(request) -> None:
	parts = request.path[len("/api/resource/") :].split("/")
	doctype = unquote(parts[0]) if parts else ""
	if not smo_doctype(doctype):
		return
	try:
		body = request.get_json(silent=True)
	except Exception:
		body = None
	if body is None:
		body = dict(frappe.form_dict)
	if not isinstance(body, dict):
		frappe.throw(_("The request body must be an object of field names and values."), SMORequestError)
	check_shape(doctype, body)


def check_shape(doctype: str, values: dict, row: int | None = None) -> None:
	"""Tables are lists of objects; every other field takes one value (a table's rows, recursively)."""
	meta = frappe.get_meta(doctype)
	for fieldname, value in values.items():
		df = meta.get_field(fieldname)
		if df is None or value is None:
			continue
		label = frappe.bold(_(df.label or fieldname))
		prefix = _("Row {0}: ").format(row) if row else ""
		if df.fieldtype in table_fields:
			if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
				frappe.throw(
					_("{0}{1} must be a list of rows (objects), not {2}.").format(
						prefix, label, _(type(value).__name__)
					),
					SMORequestError,
				)
			for idx, child in enumerate(value, start=1):
				check_shape(df.options, child, idx)
		elif isinstance(value, list | dict):
			frappe.throw(
				_("{0}{1} takes one value, not a {2}.").format(prefix, label, _(type(value).__name__)),
				SMORequestError,
			)


def check_doc_method() -> None:
	"""run_doc_method on an SMO document: the method must be one of its whitelisted methods."""
	form = frappe.form_dict
	doctype = form.get("dt")
	if doctype is None and form.get("docs"):
		try:
			doctype = (
				json.loads(form.docs).get("doctype")
				if isinstance(form.docs, str)
				else form.docs.get("doctype")
			)
		except (ValueError, AttributeError):
			frappe.throw(_("The document sent with the call is not valid JSON."), SMORequestError)
	if not smo_doctype(doctype):
		return
	method = form.get("method")
	controller = frappe.get_doc({"doctype": doctype}).__class__
	fn = getattr(controller, method, None) if isinstance(method, str) else None
	if fn is None or fn not in frappe.whitelisted:
		frappe.throw(
			_("{0} has no action {1}.").format(_(doctype), frappe.bold(str(method)[:60])),
			frappe.DoesNotExistError,
		)
