# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""The frameworks and practices a register entry can serve: ITIL 4's 34 practices and the ISO/IEC 20000-1:2018
clauses 4-10, shipped as `framework_practices.json` and loaded on install and every migrate."""

import json
from pathlib import Path

import frappe
from frappe.model.document import Document

DATA_FILE = Path(__file__).with_name("framework_practices.json")
FIELDS = ("practice_name", "framework", "category", "clause", "sequence")


class SMOFrameworkPractice(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category: DF.Data | None
		clause: DF.Data | None
		description: DF.SmallText | None
		framework: DF.Literal["ITIL 4", "ISO/IEC 20000-1:2018", "Other"]
		is_standard: DF.Check
		practice_code: DF.Data
		practice_name: DF.Data
		sequence: DF.Int
	# end: auto-generated types
	pass


def shipped_practices() -> list[dict]:
	return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def load_framework_practices() -> int:
	"""Insert the shipped practices that are missing and bring shipped ones up to date; records a site added
	itself are left alone. Returns how many records were inserted or changed."""
	existing = {
		row.name: row
		for row in frappe.get_all(
			"SMO Framework Practice", filters={"is_standard": 1}, fields=["name", *FIELDS]
		)
	}
	changed = 0
	for practice in shipped_practices():
		code = practice["practice_code"]
		values = {field: practice.get(field) for field in FIELDS}
		current = existing.get(code)
		if current is None:
			if frappe.db.exists("SMO Framework Practice", code):
				continue  # a site record with the same code: theirs
			frappe.get_doc(
				{"doctype": "SMO Framework Practice", "practice_code": code, "is_standard": 1, **values}
			).insert(ignore_permissions=True)
			changed += 1
		elif any((current.get(k) or None) != (v or None) for k, v in values.items()):
			frappe.db.set_value("SMO Framework Practice", code, values)
			changed += 1
	return changed
