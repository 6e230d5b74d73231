"""The time ledger of a ticket's SLA resolution clock: its business time split by team and assigned agent (pure
part in `engine.ledger`), and the handoffs between teams.

The ledger is computed as of the clock's last evaluation (`evaluated_at`: the ticket's last tracked change, or
the scan's last check of the clock), with the calendar of the agreement that judged it, so the segments add up
to the elapsed time the clock shows, to the second; a running clock's segments end where its elapsed time does.
Agents come from the `agent` events the app records from Helpdesk's ToDo assignments (`sla.assignment`).
"""

from __future__ import annotations

from datetime import datetime

import frappe
from frappe.utils import now_datetime

from smo_extension.engine.ledger import Handoff
from smo_extension.engine.ledger import Segment
from smo_extension.engine.ledger import handoffs
from smo_extension.engine.ledger import time_ledger
from smo_extension.engine.replay import TicketEvent
from smo_extension.sla.config import agreement_spec
from smo_extension.sla.config import get_config
from smo_extension.sla.ticket import HD_TICKET
from smo_extension.sla.ticket import TICKET_SLA
from smo_extension.sla.ticket import aware
from smo_extension.sla.ticket import load_events
from smo_extension.sla.ticket import naive


def sla_clock(ticket: str, doctype: str = HD_TICKET):
	"""The ticket's SLA clock row (at most one: one SLA judges a ticket), or None."""
	rows = frappe.get_all(
		TICKET_SLA,
		filters={"ticket_doctype": doctype, "ticket": ticket, "agreement_type": "SLA"},
		fields="agreement evaluated_at resolution_elapsed_minutes resolution_target_minutes resolution_state resolution_stopped_at".split(),
		order_by="agreement asc",
		limit=1,
	)
	return rows[0] if rows else None


def ticket_ledger(ticket: str, doctype: str = HD_TICKET) -> list[dict]:
	"""The segments of the ticket's (or Issue's) SLA resolution clock; [] when it has no SLA clock."""
	clock = sla_clock(ticket, doctype)
	if clock is None:
		return []
	config = get_config()
	spec = agreement_spec(clock.agreement, config)
	if spec is None:
		return []
	creation = frappe.db.get_value(doctype, ticket, "creation")
	segments = time_ledger(
		opened_at=aware(creation),
		events=load_events([ticket], doctype=doctype).get(ticket, []),
		calendar=spec.calendar,
		now=as_of(clock),
	)
	return [segment_row(s) for s in segments]


def as_of(clock) -> datetime:
	now = aware(now_datetime())
	return min(aware(clock.evaluated_at), now) if clock.get("evaluated_at") else now


def segment_row(segment: Segment) -> dict:
	return {
		"team": segment.team,
		"agent": segment.agent,
		"from": naive(segment.start),
		"to": naive(segment.end),
		"business_seconds": segment.business_us / 1_000_000,
		"paused_seconds": segment.paused_us / 1_000_000,
	}


def ledgers(clocks: list, config=None) -> dict[str, tuple[list[Segment], list[Handoff], list[TicketEvent]]]:
	"""Segments and handoffs of many tickets' SLA clocks (rows with ticket, agreement, evaluated_at, creation)."""
	config = config or get_config()
	specs: dict[str, object] = {}
	events: dict = {}
	for doctype in {c.get("ticket_doctype") or HD_TICKET for c in clocks}:
		events.update(
			load_events(
				[c.ticket for c in clocks if (c.get("ticket_doctype") or HD_TICKET) == doctype],
				doctype=doctype,
			)
		)
	out = {}
	for clock in clocks:
		if clock.agreement not in specs:
			specs[clock.agreement] = agreement_spec(clock.agreement, config)
		spec = specs[clock.agreement]
		if spec is None:
			continue
		log = events.get(clock.ticket, [])
		kwargs = {
			"opened_at": aware(clock.creation),
			"events": log,
			"calendar": spec.calendar,
			"now": as_of(clock),
		}
		out[clock.ticket] = (time_ledger(**kwargs), handoffs(**kwargs), log)
	return out
