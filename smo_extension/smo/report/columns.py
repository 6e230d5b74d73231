"""Columns of the SMO reports.

Frappe's report runner drops every row whose Link column points at a record the user may not read, and refuses
the whole report when the user may not read the linked doctype at all. SMO staff read the SMO's records, not
every ticket, customer or team of Helpdesk; so a column that names such a record is a Link only for a user who
reads every record of that doctype, and plain text for everyone else. The rows are the same for both.
"""

from __future__ import annotations

import frappe
from frappe import _

from smo_extension.permissions import match_condition


def column(label: str, fieldname: str, fieldtype: str = "Data", width: int = 120, **extra) -> dict:
	"""A report column: what every SMO report's `get_columns` is made of."""
	return {"label": label, "fieldname": fieldname, "fieldtype": fieldtype, "width": width, **extra}


def link_column(label: str, fieldname: str, doctype: str, width: int = 140, **extra) -> dict:
	fieldtype = "Link" if reads_every(doctype, frappe.session.user) else "Data"
	made = column(label, fieldname, fieldtype, width, **extra)
	if fieldtype == "Link":
		made["options"] = doctype
	return made


def reads_every(doctype: str, user: str) -> bool:
	"""The user reads every record of `doctype`: no permission query, no user permission narrows it."""
	if not frappe.has_permission(doctype, "read", user=user):
		return False
	try:
		return not match_condition(doctype, user)
	except frappe.PermissionError:
		return False


def full_names(users) -> dict[str, str]:
	"""User -> full name for a report's people columns, in one query (unknown users keep their id)."""
	users = sorted({u for u in users if u})
	if not users:
		return {}
	user = frappe.qb.DocType("User")
	rows = frappe.qb.from_(user).select(user.name, user.full_name).where(user.name.isin(users)).run()
	return {name: full_name or name for name, full_name in rows}


def count_summary(label: str, value: int) -> dict:
	"""A report summary count that is bad when it is not zero (breaches, overdue, below target): red, else green."""
	return {"label": label, "value": value, "datatype": "Int", "indicator": "Red" if value else "Green"}


def summary(label: str, value, indicator: str = "Blue", datatype: str = "Int") -> dict:
	"""A report summary figure in one of the colours Frappe paints (Green, Red, Blue)."""
	return {"label": label, "value": value, "datatype": datatype, "indicator": indicator}


def percent_summary(label: str, value: float | None, good: bool) -> dict:
	"""A percentage figure, green when `good` and red otherwise; "n/a" when there is nothing to count."""
	if value is None:
		return summary(label, _("n/a"), "Green" if good else "Red", "Data")
	return summary(label, value, "Green" if good else "Red", "Percent")


def chart(labels: list, datasets: dict[str, list], kind: str = "bar", **options) -> dict:
	"""A Frappe chart: `datasets` maps each series' name to its values, in order (colours, bar options and the
	like in `options`)."""
	return {
		"data": {"labels": labels, "datasets": [{"name": n, "values": v} for n, v in datasets.items()]},
		"type": kind,
		**options,
	}
