"""Values that do not fit their field are refused with a translated error before anything uses them.

The REST API hands a controller what the client sent: "abc" for a number, "2026-99-99" for a date, a list for
a name. Frappe casts or checks some of it only after the controller's `validate` ran, and not at all for text
columns (MariaDB TEXT holds 64 KiB and answers more with error 1406), decimal columns (error 1264 for a huge
number) or dates (a malformed date reaches the database). `prepare_values` runs as the `before_validate` doc event
of every SMO doctype, over the document and its child rows: it refuses what does not fit, with the field's
label, and gives the controller numbers as numbers.
"""

from __future__ import annotations

import re
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import get_datetime
from frappe.utils import get_time
from frappe.utils import getdate

TEXT_BYTES = 65535  # MariaDB TEXT
LONG_TEXT_CHARS = 1_000_000  # rich text and long text: the app's own cap, far above any real document
DECIMAL_LIMIT = 10**12  # decimal(21,9) keeps 12 digits before the point
INT_LIMIT = 2**31 - 1
TEXT_TYPES = {"Small Text", "Text", "Attach", "Attach Image"}
LONG_TEXT_TYPES = {"Long Text", "Text Editor", "Code", "Markdown Editor", "HTML Editor"}
DECIMAL_TYPES = {"Float", "Currency", "Percent", "Duration"}
INT_TYPES = {"Int", "Check"}
SCALAR_TYPES = {"Data", "Link", "Dynamic Link", "Select", "Autocomplete", "Read Only", "Phone", "Color"}
NUMBER = re.compile(r"^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$")
WHOLE = re.compile(r"^\s*-?\d+\s*$")


class SMOValueTooLargeError(frappe.ValidationError):
	pass


class SMOInvalidValueError(frappe.ValidationError):
	pass


def prepare_values(doc, method=None) -> None:
	for row in [doc, *doc.get_all_children()]:
		for df in row.meta.fields:
			value = row.get(df.fieldname)
			if value is None or value == "":
				continue
			prepared = prepare(row, df, value)
			if prepared is not value:
				row.set(df.fieldname, prepared)


def prepare(row, df, value):
	fieldtype = df.fieldtype
	if fieldtype in INT_TYPES:
		return whole_number(row, df, value)
	if fieldtype in DECIMAL_TYPES:
		return decimal(row, df, value)
	if fieldtype in ("Date", "Datetime", "Time"):
		return moment(row, df, value)
	if fieldtype in SCALAR_TYPES | TEXT_TYPES | LONG_TEXT_TYPES and not isinstance(value, str | int | float):
		invalid(row, df, _("must be text, not {0}").format(_(type(value).__name__)))
	if fieldtype == "Select":
		options = [o for o in (df.options or "").split("\n") if o]
		if options and str(value).strip() not in options:
			invalid(row, df, _("must be one of {0}, not {1}").format(", ".join(_(o) for o in options), value))
	if fieldtype in TEXT_TYPES:
		size = len(str(value).encode())
		if size > TEXT_BYTES:
			too_large(row, df, _("{0} bytes; at most {1}").format(size, TEXT_BYTES))
	elif fieldtype in LONG_TEXT_TYPES and len(str(value)) > LONG_TEXT_CHARS:
		too_large(row, df, _("{0} characters; at most {1}").format(len(str(value)), LONG_TEXT_CHARS))
	return value


def whole_number(row, df, value):
	if isinstance(value, bool):
		return int(value)
	if isinstance(value, float) and value.is_integer():
		value = int(value)
	if isinstance(value, str) and WHOLE.match(value):
		value = int(value)
	if not isinstance(value, int):
		invalid(row, df, _("must be a whole number, not {0}").format(frappe.bold(str(value)[:40])))
	if abs(value) > INT_LIMIT:
		too_large(row, df, _("{0}; at most {1}").format(value, INT_LIMIT))
	return value


def decimal(row, df, value):
	if isinstance(value, bool) or not (
		isinstance(value, int | float) or (isinstance(value, str) and NUMBER.match(value))
	):
		invalid(row, df, _("must be a number, not {0}").format(frappe.bold(str(value)[:40])))
	number = float(value)
	if number != number or abs(number) >= DECIMAL_LIMIT:  # NaN, infinity, too many digits
		too_large(row, df, _("{0}; it must be less than {1}").format(value, DECIMAL_LIMIT))
	return value if isinstance(value, int | float) else number


# The end of the day as people write it; the app stores a window that ends at midnight as 00:00.
END_OF_DAY = re.compile(r"^\s*24:00(:00)?\s*$")
# Time fields where "24:00" means the end of the day (a window's end); elsewhere it is refused, saying how to
# write midnight.
DAY_END_FIELDS = ("end_time",)


def moment(row, df, value):
	if isinstance(value, date | datetime | time | timedelta):
		return value
	if not isinstance(value, str):
		invalid(row, df, _("must be a date or time, not {0}").format(_(type(value).__name__)))
	if df.fieldtype == "Time" and END_OF_DAY.match(value):
		if df.fieldname in DAY_END_FIELDS:
			return "00:00:00"
		invalid(row, df, _("must be HH:MM, not 24:00: write 00:00 for midnight"))
	try:
		parsed = {"Date": getdate, "Datetime": get_datetime, "Time": get_time}[df.fieldtype](value)
	except Exception:
		parsed = None
	if parsed is None or (isinstance(parsed, date) and not 1000 <= parsed.year <= 9999):
		frappe.clear_last_message()
		expected = {"Date": "YYYY-MM-DD", "Datetime": "YYYY-MM-DD HH:MM:SS", "Time": "HH:MM"}[df.fieldtype]
		invalid(row, df, _("must be {0}, not {1}").format(expected, frappe.bold(value[:40])))
	return value


def where(row) -> str:
	if not row.get("parenttype"):
		return ""
	table = frappe.get_meta(row.parenttype).get_label(row.parentfield) or row.parentfield
	return _("Row {0} of {1}: ").format(row.idx, _(table))


def invalid(row, df, detail: str) -> None:
	frappe.throw(
		_("{0}{1} {2}.").format(where(row), frappe.bold(_(df.label or df.fieldname)), detail),
		SMOInvalidValueError,
		title=_("Invalid value"),
	)


def too_large(row, df, detail: str) -> None:
	frappe.throw(
		_("{0}{1} is too large ({2}).").format(where(row), frappe.bold(_(df.label or df.fieldname)), detail),
		SMOValueTooLargeError,
		title=_("Value too large"),
	)
