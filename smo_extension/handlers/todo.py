"""doc_events of Frappe's ToDo: Helpdesk assigns tickets with ToDos; each change of a ticket's assignees is
recorded for the time ledger (`smo_extension.sla.assignment`). No-ops while SMO Settings `enabled` is off."""

from smo_extension.sla import assignment


def on_update(doc, method=None):
	assignment.on_todo_change(doc, "on_update")


def on_trash(doc, method=None):
	assignment.on_todo_change(doc, "on_trash")
