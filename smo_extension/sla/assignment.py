"""Who is assigned to a ticket, over time, for the time ledger.

Helpdesk 1.15 assigns tickets through Frappe's ToDo: `frappe.desk.form.assign_to.add` (the agent UI, the
assignment rules, `HD Ticket.assign_agent`) inserts an Open ToDo for the user; removing an assignment sets it
Cancelled (closing it, Closed); the ToDo then writes the open assignees into the ticket's `_assign` with
`db.set_value`, so neither the ticket's save nor its Version history sees the change. So the app listens to the
ToDos: each change of a ticket's open ToDos appends an `agent` event to its SMO Ticket Event log, whose value is
the assignees (user ids, sorted, comma-separated). Tickets assigned before that get their history from their
ToDos (assigned when the ToDo was made; unassigned when a Cancelled or Closed ToDo last changed).
"""

from __future__ import annotations

from datetime import datetime

import frappe
from frappe.utils import now_datetime

from smo_extension.engine.replay import AGENT
from smo_extension.query import fields
from smo_extension.settings import is_enabled
from smo_extension.settings import judges_issues
from smo_extension.sla.ticket import TICKET_EVENT
from smo_extension.sla.ticket import insert_events

TICKET = "HD Ticket"
ISSUE = "Issue"
CLOSED = ("Cancelled", "Closed")
MAX_VALUE = 140  # the event value's column


def on_todo_change(doc, method=None) -> None:
	"""doc_events of ToDo (on_update, on_trash): record the ticket's (or judged Issue's) assignees when they
	changed."""
	doctype = doc.get("reference_type")
	if not doc.get("reference_name") or not is_enabled():
		return
	if doctype != TICKET and not (doctype == ISSUE and judges_issues()):
		return
	record_assignees(
		str(doc.reference_name), leaving=doc.name if method == "on_trash" else None, doctype=doctype
	)


def record_assignees(
	ticket: str, leaving: str | None = None, when: datetime | None = None, doctype: str = TICKET
) -> bool:
	"""Append an `agent` event when the ticket's open assignees differ from the last recorded ones. `leaving`:
	a ToDo being deleted (still in the table while its on_trash runs)."""
	value = agent_value(open_assignees(ticket, leaving, doctype))
	if value == last_agent_value(ticket, doctype):
		return False
	insert_events(ticket, [(when or now_datetime(), AGENT, value)], source="Assignment", doctype=doctype)
	return True


def open_assignees(ticket: str, leaving: str | None = None, doctype: str = TICKET) -> list[str]:
	todo = frappe.qb.DocType("ToDo")
	query = (
		frappe.qb.from_(todo)
		.select(todo.allocated_to)
		.where(
			(todo.reference_type == doctype)
			& (todo.reference_name == ticket)
			& todo.status.notin(CLOSED)
			& todo.allocated_to.isnotnull()
			& (todo.allocated_to != "")
		)
	)
	if leaving:
		query = query.where(todo.name != leaving)
	return sorted({r[0] for r in query.run()})


def last_agent_value(ticket: str, doctype: str = TICKET) -> str | None:
	event = frappe.qb.DocType(TICKET_EVENT)
	rows = (
		frappe.qb.from_(event)
		.select(event["value"])
		.where((event.ticket == ticket) & (event.ticket_doctype == doctype) & (event["field"] == AGENT))
		.orderby(event.event_time, order=frappe.qb.desc)
		.orderby(event.creation, order=frappe.qb.desc)
		.limit(1)
		.run()
	)
	return rows[0][0] if rows else None


def agent_value(users: list[str]) -> str | None:
	"""The assignees as one event value: sorted user ids, comma-separated; those that do not fit the column
	are counted ("a@x, b@x +2")."""
	if not users:
		return None
	kept: list[str] = []
	for index, user in enumerate(users):
		rest = len(users) - index - 1
		candidate = ", ".join([*kept, user])
		suffix = f" +{rest}" if rest else ""
		if len(candidate + suffix) > MAX_VALUE and kept:
			return ", ".join(kept) + f" +{len(users) - len(kept)}"
		kept.append(user)
	return ", ".join(kept)[:MAX_VALUE]


def history_from_todos(tickets: list[str]) -> dict[str, list[tuple[datetime, str | None]]]:
	"""(when, assignees) at each change, per ticket, from all of its ToDos: a ToDo assigns its user from its
	creation and, once Cancelled or Closed, unassigns them when it last changed."""
	if not tickets:
		return {}
	todo = frappe.qb.DocType("ToDo")
	rows = (
		frappe.qb.from_(todo)
		.select(*fields(todo, "reference_name allocated_to status creation modified"))
		.where(
			(todo.reference_type == TICKET)
			& todo.reference_name.isin([str(t) for t in tickets])
			& todo.allocated_to.isnotnull()
			& (todo.allocated_to != "")
		)
		.run(as_dict=True)
	)
	changes: dict[str, list[tuple[datetime, int, str]]] = {}
	for row in rows:
		name = str(row.reference_name)
		changes.setdefault(name, []).append((row.creation, 1, row.allocated_to))
		if row.status in CLOSED:
			changes[name].append((max(row.modified, row.creation), -1, row.allocated_to))
	out: dict[str, list[tuple[datetime, str | None]]] = {}
	for name, items in changes.items():
		held: dict[str, int] = {}
		history: list[tuple[datetime, str | None]] = []
		for when, step, user in sorted(items, key=lambda item: (item[0], -item[1])):
			held[user] = held.get(user, 0) + step
			value = agent_value(sorted(u for u, n in held.items() if n > 0))
			if history and history[-1][0] == when:
				history[-1] = (when, value)
			elif not history or history[-1][1] != value:
				history.append((when, value))
		if history and history[0][1] is None:
			history.pop(0)
		out[name] = history
	return out
