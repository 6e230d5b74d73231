"""Typed filters of the SMO reports.

Each report declares its filters (`FILTERS = {"from_date": Date("From Date"), ...}`) and cleans what it is given
with `clean_filters` before it queries anything: a list where a date belongs, an option the report does not know,
a name that does not exist, each gets a translated `SMOReportFilterError` (HTTP 417) naming the filter. A report
whose filters must also be checked together (a period, who may see the chosen record) has a
`validate_filters(filters)` that its `execute` calls too.

Frappe's report runner logs every exception a report raises as an Error Log ("Report Error"), so a request to
run an SMO report has its filters checked once more *before* the runner starts (`validate_report_request`,
a `before_request` hook): a bad filter is the user's mistake, answered with a clear message, not an error to log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field

import frappe
from frappe import _
from frappe.utils import getdate

MAX_FILTER_LENGTH = 140
REPORT_METHODS = (
	"frappe.desk.query_report.run",
	"frappe.desk.query_report.export_query",
	"frappe.desk.query_report.background_enqueue_run",
)


class SMOReportFilterError(frappe.ValidationError):
	pass


@dataclass(frozen=True)
class Filter:
	label: str
	required: bool = field(default=False, kw_only=True)

	def clean(self, fieldname: str, value):
		if value is None or value == "":
			if self.required:
				self.fail(_("is required"))
			return None
		if not isinstance(value, str | int | float) or isinstance(value, bool):
			self.fail(_("must be a single value, not {0}").format(_(type(value).__name__)))
		value = str(value).strip()
		if len(value) > MAX_FILTER_LENGTH:
			self.fail(_("is too long ({0} characters; at most {1})").format(len(value), MAX_FILTER_LENGTH))
		return self.convert(value)

	def convert(self, value: str):
		return value

	def fail(self, reason: str):
		frappe.throw(
			_("Filter {0} {1}.").format(frappe.bold(_(self.label)), reason),
			SMOReportFilterError,
			title=_("Invalid filter"),
		)


@dataclass(frozen=True)
class Date(Filter):
	def convert(self, value: str):
		try:
			return getdate(value)
		except Exception:
			self.fail(_("must be a date (YYYY-MM-DD), not {0}").format(frappe.bold(value)))


@dataclass(frozen=True)
class Select(Filter):
	options: tuple[str, ...] = ()

	def convert(self, value: str):
		if value not in self.options:
			self.fail(
				_("must be one of {0}, not {1}").format(
					", ".join(_(o) for o in self.options), frappe.bold(value)
				)
			)
		return value


@dataclass(frozen=True)
class Link(Filter):
	doctype: str = ""

	def convert(self, value: str):
		if not frappe.db.exists(self.doctype, value):
			frappe.throw(
				_("Filter {0}: {1} {2} does not exist.").format(
					frappe.bold(_(self.label)), _(self.doctype), frappe.bold(value)
				),
				frappe.DoesNotExistError,
			)
		return value


@dataclass(frozen=True)
class Check(Filter):
	def convert(self, value: str):
		if value not in ("0", "1", "true", "false", "True", "False"):
			self.fail(_("must be 0 or 1, not {0}").format(frappe.bold(value)))
		return 1 if value in ("1", "true", "True") else 0


def parse_filters(filters) -> dict:
	if filters is None or filters == "":
		return {}
	if isinstance(filters, str):
		try:
			filters = json.loads(filters)
		except ValueError:
			frappe.throw(_("The report filters are not valid JSON."), SMOReportFilterError)
	if not isinstance(filters, dict):
		frappe.throw(
			_("The report filters must be an object of filter names and values, not {0}.").format(
				_(type(filters).__name__)
			),
			SMOReportFilterError,
		)
	return filters


def clean_filters(filters, spec: dict[str, Filter]) -> frappe._dict:
	"""The filters the report knows, each converted to its type (dates as dates, checks as 0/1); unknown keys
	are dropped (Frappe's report view adds some of its own)."""
	filters = parse_filters(filters)
	cleaned = frappe._dict(
		{fieldname: f.clean(fieldname, filters.get(fieldname)) for fieldname, f in spec.items()}
	)
	if cleaned.get("from_date") and cleaned.get("to_date") and cleaned.from_date > cleaned.to_date:
		from smo_extension.sla.period import SMOPeriodError

		frappe.throw(
			_("{0} ({1}) is after {2} ({3}): the period ends before it starts.").format(
				_(spec["from_date"].label), cleaned.from_date, _(spec["to_date"].label), cleaned.to_date
			),
			SMOPeriodError,
			title=_("Invalid period"),
		)
	return cleaned


def report_module(report_name: str):
	"""The module of a standard SMO Script Report, or None for any other report."""
	if not isinstance(report_name, str) or len(report_name) > MAX_FILTER_LENGTH:
		return None
	if not frappe.db.exists("Report", report_name):
		return None
	module, is_standard = frappe.get_cached_value("Report", report_name, ["module", "is_standard"])
	if module != "SMO" or is_standard != "Yes":
		return None
	name = frappe.scrub(report_name)
	return frappe.get_module(f"smo_extension.smo.report.{name}.{name}")


def validate_report_request(method: str | None) -> None:
	"""before_request (guards.py, which tells the method by any of its routes): the filters of an SMO report,
	checked before Frappe's report runner is entered."""
	if method not in REPORT_METHODS:
		return
	report_name = frappe.form_dict.get("report_name")
	module = report_module(report_name)
	if module is None or not hasattr(module, "FILTERS"):
		return
	if not frappe.get_cached_doc("Report", report_name).is_permitted():
		return  # the runner answers with its own permission error
	filters = clean_filters(frappe.form_dict.get("filters"), module.FILTERS)
	check = getattr(module, "validate_filters", None)
	if check is not None:
		check(filters)  # what no single filter can say: a period, who may see the chosen record


# The documents the SMO judges, as the reports' Source filter offers them (blank: both).
SOURCE_OPTIONS = ("HD Ticket", "Issue")


def sources(filters) -> list[str]:
	"""The source doctypes a report reads: the one the Source filter names, else HD Ticket and, where ERPNext is
	installed, Issue."""
	from smo_extension import erpnext_compat

	available = erpnext_compat.ticket_doctypes()
	chosen = filters.get("source") if filters else None
	if chosen:
		return [chosen] if chosen in available else []  # Issues on a site without ERPNext: none
	return available
