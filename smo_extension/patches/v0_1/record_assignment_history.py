"""Time ledger: the assignment history of tickets that were assigned before assignments were recorded as SMO
Ticket Events, taken from their ToDos (see `smo_extension.sla.assignment`). Only tickets that have an event log
already: the others get theirs, assignments included, from `jobs.backfill`."""

import frappe

from smo_extension.sla.assignment import TICKET
from smo_extension.sla.assignment import history_from_todos
from smo_extension.sla.ticket import TICKET_EVENT
from smo_extension.sla.ticket import insert_events

CHUNK = 500


def execute():
	todo = frappe.qb.DocType("ToDo")
	event = frappe.qb.DocType(TICKET_EVENT)
	recorded = frappe.qb.from_(event).select(event.ticket).where(event["field"] == "agent")
	# tickets not backfilled yet get their assignments with the rest of their history (jobs.backfill)
	judged = frappe.qb.from_(event).select(event.ticket).where(event["field"] != "agent")
	tickets = [
		str(r[0])
		for r in frappe.qb.from_(todo)
		.select(todo.reference_name)
		.distinct()
		.where(
			(todo.reference_type == TICKET)
			& todo.reference_name.notin(recorded)
			& todo.reference_name.isin(judged)
		)
		.run()
	]
	for start in range(0, len(tickets), CHUNK):
		for ticket, history in history_from_todos(tickets[start : start + CHUNK]).items():
			if frappe.db.exists(TICKET, ticket):
				insert_events(ticket, [(when, "agent", value) for when, value in history], source="Backfill")
