"""Small helps for `frappe.qb`: a select list written as one line of names, multi-row INSERTs with the values as
driver parameters."""

from __future__ import annotations

from functools import lru_cache


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


def insert_rows(table, columns, rows: list[tuple], update: tuple[str, ...] = ()) -> None:
	"""INSERT (with `update`: ... ON DUPLICATE KEY UPDATE those columns) of many rows, built by frappe.qb with
	one placeholder per value and the values passed to the driver as parameters: the same statement as
	`.insert(*values)`, without pypika wrapping each of the thousands of values (which cost more than the
	database's own work). The statement of a shape (table, columns, row count, update) is built once."""
	import frappe

	shape = (table.get_table_name(), tuple(columns), len(rows), tuple(update))
	sql = cached_insert_query(*shape) if len(rows) <= CACHED_ROWS else insert_query(*shape)
	frappe.db.sql(sql, [value for row in rows for value in row])


# Statements of a ticket save (a few rows) are cached; the jobs' chunks of hundreds are built each time.
CACHED_ROWS = 16


@lru_cache(maxsize=128)
def cached_insert_query(
	table_name: str, columns: tuple[str, ...], count: int, update: tuple[str, ...]
) -> str:
	return insert_query(table_name, columns, count, update)


def insert_query(table_name: str, columns: tuple[str, ...], count: int, update: tuple[str, ...]) -> str:
	import frappe
	from pypika.terms import Parameter
	from pypika.terms import Values

	table = frappe.qb.Table(table_name)
	query = frappe.qb.into(table).columns(*columns)
	query.immutable = False  # build in place: pypika copies the whole query on every builder call otherwise
	placeholders = tuple(Parameter("%s") for _ in columns)
	for _row in range(count):
		query.insert(*placeholders)
	for column in update:
		query.on_duplicate_key_update(table[column], Values(table[column]))
	return query.get_sql()
