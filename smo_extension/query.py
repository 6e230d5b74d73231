"""A small help for `frappe.qb`: a select list written as one line of names."""

from __future__ import annotations


def fields(table, names: str) -> list:
	"""`table.a, table.b, …` for the space-separated `names`, in that order."""
	return [table[name] for name in names.split()]


def readable(doctype: str, filters: dict, fields: list[str], order_by: str) -> list:
	"""Every record of `doctype` the user may read that matches `filters` (Frappe's get_list, no page limit)."""
	import frappe

	return frappe.get_list(doctype, filters=filters, fields=fields, order_by=order_by, limit_page_length=0)


def rows_by_parent(child: str, parenttype: str, parents: list[str], fields: list[str]) -> dict[str, list]:
	"""The child-table rows of `parents` (records just read with the user's permissions), per parent, in their
	order on the form."""
	import frappe

	out: dict[str, list] = {}
	if not parents:
		return out
	for row in frappe.get_all(
		child,
		filters={"parenttype": parenttype, "parent": ("in", list(parents))},
		fields=["parent", *fields],
		order_by="parent asc, idx asc",
	):
		out.setdefault(row.pop("parent"), []).append(row)
	return out
