"""Values that do not fit their column are refused with a translated error before the database sees them.

Frappe checks the length of Data-like and Int fields itself; it does not check text columns (MariaDB TEXT holds
64 KiB and answers more with error 1406) nor decimal columns (decimal(21,9) answers a huge number with error
1264). `check_values` runs as a `validate` doc event of every SMO doctype, over the document and its child rows.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import flt

TEXT_BYTES = 65535  # MariaDB TEXT
LONG_TEXT_CHARS = 1_000_000  # rich text and long text: the app's own cap, far above any real document
DECIMAL_LIMIT = 10**12  # decimal(21,9) keeps 12 digits before the point
TEXT_TYPES = {"Small Text", "Text", "Attach", "Attach Image"}
LONG_TEXT_TYPES = {"Long Text", "Text Editor", "Code", "Markdown Editor", "HTML Editor"}
DECIMAL_TYPES = {"Float", "Currency", "Percent", "Duration"}


class SMOValueTooLargeError(frappe.ValidationError):
	pass


def check_values(doc, method=None) -> None:
	for row in [doc, *doc.get_all_children()]:
		check_row(row)


def check_row(row) -> None:
	for df in row.meta.fields:
		value = row.get(df.fieldname)
		if value is None or value == "":
			continue
		if df.fieldtype in TEXT_TYPES:
			size = len(str(value).encode())
			if size > TEXT_BYTES:
				too_large(row, df, _("{0} bytes; at most {1}").format(size, TEXT_BYTES))
		elif df.fieldtype in LONG_TEXT_TYPES:
			if len(str(value)) > LONG_TEXT_CHARS:
				too_large(row, df, _("{0} characters; at most {1}").format(len(str(value)), LONG_TEXT_CHARS))
		elif df.fieldtype in DECIMAL_TYPES:
			if abs(flt(value)) >= DECIMAL_LIMIT:
				too_large(row, df, _("{0}; it must be less than {1}").format(value, DECIMAL_LIMIT))


def too_large(row, df, detail: str) -> None:
	where = _("Row {0} of {1}: ").format(row.idx, _(row.parenttype)) if row.get("parenttype") else ""
	frappe.throw(
		_("{0}{1} is too large ({2}).").format(where, frappe.bold(_(df.label or df.fieldname)), detail),
		SMOValueTooLargeError,
		title=_("Value too large"),
	)
