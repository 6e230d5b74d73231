"""Background work on clocks: the 5-minute scan, recomputes after agreement or calendar changes, repairs,
and the backfill of tickets that existed before the app."""

from __future__ import annotations

import json
from datetime import datetime
from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import get_datetime
from frappe.utils import now_datetime
from pypika.terms import Case

from smo_extension import erpnext_compat
from smo_extension import helpdesk_compat
from smo_extension import scaleout
from smo_extension.engine.replay import AGENT
from smo_extension.engine.replay import CUSTOMER
from smo_extension.engine.replay import FIRST_RESPONSE
from smo_extension.engine.replay import PRIORITY
from smo_extension.engine.replay import SERVICE
from smo_extension.engine.replay import STATUS
from smo_extension.engine.replay import TEAM
from smo_extension.engine.replay import TicketEvent
from smo_extension.query import fields
from smo_extension.settings import is_enabled
from smo_extension.sla import ticket as ticket_sla
from smo_extension.sla.config import get_config

CHUNK = 500
TICKET_SLA = ticket_sla.TICKET_SLA


def now_aware() -> datetime:
	return ticket_sla.aware(now_datetime())


# ------------------------------------------------------------------------------------------- recompute
def ticket_infos(tickets: list[str], doctype: str, for_update: bool = False) -> list:
	"""What a recompute reads of each ticket: its SMO summary and its own SLA fields (Helpdesk's on HD Ticket,
	ERPNext's on Issue, whose customer is read as the HD Customer it is). `for_update` locks the tickets' rows,
	in the order of their names."""
	t = frappe.qb.DocType(doctype)
	base = "name creation first_responded_on smo_service customer smo_sla_state smo_response_due smo_resolution_due smo_sla_note"
	query = (
		frappe.qb.from_(t)
		.select(*fields(t, base), *(t[f] for f in ticket_sla.source_sla_fields(doctype)))
		.where(t.name.isin(tickets))
		.orderby(t.name)
	)
	rows = (query.for_update() if for_update else query).run(as_dict=True)
	for row in rows:
		row.name = str(row.name)
		if doctype == ticket_sla.ISSUE:
			row.customer = erpnext_compat.hd_customer(row.customer)
	return rows


def recompute_tickets(
	tickets: list[str],
	now: datetime | None = None,
	include_stopped: bool = False,
	doctype: str = ticket_sla.HD_TICKET,
) -> int:
	"""Replay the clocks of `tickets` (a chunk) and write them, with a handful of queries for the whole chunk.
	Clocks that were stopped keep their row unless `include_stopped`. Returns the number of tickets whose
	summary fields changed. Helpdesk's own SLA fields follow the SMO on tickets with an SMO SLA clock (SMO
	Settings); a ticket that lost its SMO SLA clock gets Helpdesk's own SLA back.

	Any number of workers may run chunks at once, the same tickets included: the chunk locks its tickets' rows
	first (as a save does), so saves and other chunks of the same tickets wait for its commit, and every read
	after the lock is a locking read of the latest committed rows; the writes are upserts on the clocks' keys."""
	if not tickets:
		return 0
	tickets = [str(t) for t in tickets]
	now = now or now_aware()
	config = get_config()
	helpdesk = ticket_sla.drives_source_sla(doctype)
	infos = ticket_infos(tickets, doctype, for_update=True)
	events = ticket_sla.load_events([i.name for i in infos], for_update=True, doctype=doctype)
	existing = ticket_sla.existing_clocks([i.name for i in infos], doctype, for_update=True)
	frozen: set[tuple[str, str]] = set()
	if not include_stopped:
		frozen = {key for key, row in existing.items() if not row.is_running}
	entries, changed, lost = [], {}, []
	for info in infos:
		clocks, note = ticket_sla.evaluate(info, events.get(info.name, []), config, now)
		entries.append((info.name, info, clocks))
		summary = ticket_sla.summary_values(clocks, note, helpdesk, doctype)
		if any(str(info.get(k) or "") != str(v or "") for k, v in summary.items()):
			changed[info.name] = summary
		if (
			helpdesk
			and summary["smo_sla_state"] == ticket_sla.NO_CLOCK
			and (info.smo_sla_state or ticket_sla.NO_CLOCK) != ticket_sla.NO_CLOCK
		):
			lost.append(info.name)
	update_summaries(changed, doctype)
	ticket_sla.write_clocks(entries, now, existing=existing, frozen=frozen, doctype=doctype)
	if lost and doctype == ticket_sla.HD_TICKET:
		restore_helpdesk_sla(lost)
	return len(changed)


def update_summaries(changed: dict[str, dict], doctype: str = ticket_sla.HD_TICKET) -> None:
	"""One UPDATE (CASE on the ticket name) per set of summary fields: tickets with an SMO SLA clock also carry
	Helpdesk's SLA fields, the others not."""
	groups: dict[tuple[str, ...], dict[str, dict]] = {}
	for name, values in changed.items():
		groups.setdefault(tuple(values), {})[name] = values
	t = frappe.qb.DocType(doctype)
	for columns, group in groups.items():
		query = frappe.qb.update(t)
		query.immutable = False  # build in place (see ticket.write_clocks)
		for column in columns:
			case = Case()
			for name, values in group.items():
				case = case.when(t.name == name, values[column])
			query = query.set(t[column], case)
		query.where(t.name.isin(list(group))).run()


# ------------------------------------------------------------------------------------------- Helpdesk's SLA
def tickets_with_sla_clocks() -> list[str]:
	s = frappe.qb.DocType(TICKET_SLA)
	return [
		r[0]
		for r in frappe.qb.from_(s)
		.select(s.ticket)
		.distinct()
		.where((s.agreement_type == "SLA") & (s.ticket_doctype == ticket_sla.HD_TICKET))
		.run()
	]


def enqueue_helpdesk_restore() -> int:
	"""The SMO no longer shows in Helpdesk's SLA fields: every ticket with an SMO SLA clock gets Helpdesk's
	own SLA back, in chunks on the long queue."""
	return enqueue_in_chunks(
		"smo_extension.sla.jobs.restore_helpdesk_sla", "tickets", tickets_with_sla_clocks()
	)


def enqueue_in_chunks(method: str, argument: str, names: list[str], inline: bool = False, **kwargs) -> int:
	"""`method` on the long queue once per CHUNK of `names` (passed as `argument`), after the commit (with
	`inline`: each chunk run here, now); returns how many names were queued."""
	for start in range(0, len(names), CHUNK):
		frappe.enqueue(
			method,
			queue="long",
			enqueue_after_commit=True,
			now=inline,
			**{argument: names[start : start + CHUNK]},
			**kwargs,
		)
	return len(names)


def restore_helpdesk_sla(tickets: list[str]) -> int:
	"""Helpdesk's own due times and SLA Status, computed by Helpdesk's own SLA (the targets and status parts of
	`HD Service Level Agreement.apply`) and written without a save; the "failed by" fields of releases that have
	them are cleared (Helpdesk computes them only when a ticket's status changes; until then its badges tell the
	lateness from the due time). Returns how many tickets were restored."""
	fields = helpdesk_compat.helpdesk_sla_fields()
	agreements: dict[str, object] = {}
	restored = 0
	for name in tickets:
		if not frappe.db.exists("HD Ticket", name):
			continue  # deleted since the job was enqueued
		doc = frappe.get_doc("HD Ticket", name)
		if not doc.get("sla") or not frappe.db.exists("HD Service Level Agreement", doc.sla):
			continue
		if doc.sla not in agreements:
			agreements[doc.sla] = frappe.get_doc("HD Service Level Agreement", doc.sla)
		agreement = agreements[doc.sla]
		try:
			agreement.handle_targets(doc)
			agreement.handle_agreement_status(doc)
		except Exception:
			frappe.log_error(title=_("Helpdesk's SLA could not be restored on ticket {0}").format(name))
			continue
		frappe.db.set_value(
			"HD Ticket",
			name,
			{f: None if f in helpdesk_compat.FAILED_BY_FIELDS else doc.get(f) for f in fields},
			update_modified=False,
		)
		restored += 1
	return restored


def tickets_with_clocks(
	agreement: str | None = None, calendar: str | None = None, running_only=True
) -> dict[str, list[str]]:
	"""The tickets with clocks (of `agreement`, of agreements on `calendar`), by source doctype."""
	s = frappe.qb.DocType(TICKET_SLA)
	query = frappe.qb.from_(s).select(s.ticket_doctype, s.ticket).distinct()
	if running_only:
		query = query.where(s.is_running == 1)
	if agreement:
		query = query.where(s.agreement == agreement)
	if calendar:
		a = frappe.qb.DocType("SMO Service Level Agreement")
		condition = a.calendar == calendar
		if frappe.db.get_single_value("SMO Settings", "default_calendar") == calendar:
			condition = condition | a.calendar.isnull() | (a.calendar == "")
		query = query.where(s.agreement.isin(frappe.qb.from_(a).select(a.name).where(condition)))
	return by_source(query.run())


def by_source(rows) -> dict[str, list[str]]:
	"""(doctype, ticket) rows → ticket names by doctype."""
	out: dict[str, list[str]] = {}
	for doctype, ticket in rows:
		out.setdefault(doctype or ticket_sla.HD_TICKET, []).append(str(ticket))
	return out


def judged_sources() -> list[str]:
	"""The doctypes the SMO judges on this site now: HD Ticket, and Issue where SMO Settings say so."""
	from smo_extension.settings import judges_issues

	return [ticket_sla.HD_TICKET, *([ticket_sla.ISSUE] if judges_issues() else [])]


def enqueue_recompute(agreement: str | None = None, calendar: str | None = None) -> int:
	"""After an Active agreement or a calendar changed: recompute running clocks in chunks on the long queue."""
	return enqueue_sources(tickets_with_clocks(agreement=agreement, calendar=calendar, running_only=True))


def enqueue_activation(service: str, since) -> int:
	"""An agreement became Active: judge every ticket (and judged Issue) of its service opened since it is
	valid, stopped ones included (their first judgement), in chunks on the long queue."""
	count = 0
	for doctype in judged_sources():
		t = frappe.qb.DocType(doctype)
		tickets = [
			str(r[0])
			for r in frappe.qb.from_(t)
			.select(t.name)
			.where((t.smo_service == service) & (t.creation >= since))
			.run()
		]
		count += enqueue_chunks(tickets, include_stopped=True, doctype=doctype)
	return count


def enqueue_sources(tickets: dict[str, list[str]], include_stopped: bool = False) -> int:
	return sum(
		enqueue_chunks(names, include_stopped=include_stopped, doctype=doctype)
		for doctype, names in tickets.items()
	)


def enqueue_chunks(
	tickets: list[str], include_stopped: bool = False, doctype: str = ticket_sla.HD_TICKET
) -> int:
	return enqueue_in_chunks(
		"smo_extension.sla.jobs.recompute_chunk",
		"tickets",
		tickets,
		include_stopped=include_stopped,
		doctype=doctype,
	)


def recompute_chunk(
	tickets: list[str], include_stopped: bool = False, doctype: str = ticket_sla.HD_TICKET
) -> None:
	recompute_tickets(tickets, include_stopped=include_stopped, doctype=doctype)


def recompute_agreement(agreement: str, include_stopped: bool = False) -> int:
	count = 0
	for doctype, tickets in tickets_with_clocks(
		agreement=agreement, running_only=not include_stopped
	).items():
		for start in range(0, len(tickets), CHUNK):
			recompute_tickets(
				tickets[start : start + CHUNK], include_stopped=include_stopped, doctype=doctype
			)
		count += len(tickets)
	return count


# ------------------------------------------------------------------------------------------- deferred saves
def flush_deferred(limit: int = 20_000, inline: bool = False) -> int:
	"""Every minute (SMO Settings: Write Clocks After the Save): the tickets whose saves left events on them
	(indexed flag) go to the long queue in chunks (`flush_chunk`; `inline` runs them here). Returns how many."""
	if not is_enabled():
		return 0
	count = 0
	for doctype in judged_sources():
		if not frappe.get_meta(doctype).has_field(ticket_sla.PENDING_FLAG):
			continue
		t = frappe.qb.DocType(doctype)
		names = [
			str(r[0])
			for r in frappe.qb.from_(t)
			.select(t.name)
			.where(t[ticket_sla.PENDING_FLAG] == 1)
			.orderby(t.name)
			.limit(limit)
			.run()
		]
		count += enqueue_in_chunks(
			"smo_extension.sla.jobs.flush_chunk", "tickets", names, inline=inline, doctype=doctype
		)
	return count


def flush_chunk(tickets: list[str], doctype: str = ticket_sla.HD_TICKET) -> int:
	"""Move the events deferred saves left on `tickets` into the event table and write the tickets' clocks, as
	their saves would have. The tickets' rows are locked first (saves of them wait), so two workers given the
	same tickets take turns and the second finds nothing left; the log the saves kept stays valid (the same
	events, now in the table)."""
	left = ticket_sla.pending_of(tickets, doctype, for_update=True) if tickets else {}
	if not left:
		return 0
	moved = list(left)
	ticket_sla.insert_event_rows(doctype, [(name, *row) for name, rows in left.items() for row in rows])
	t = frappe.qb.DocType(doctype)
	frappe.qb.update(t).set(t[ticket_sla.PENDING_FIELD], None).set(t[ticket_sla.PENDING_FLAG], 0).where(
		t.name.isin(moved)
	).run()
	recompute_tickets(moved, include_stopped=True, doctype=doctype)
	return len(moved)


# ------------------------------------------------------------------------------------------- the scan
# A due clock the scan handed to a chunk is not handed out again by the next scans while the chunk waits for a
# worker: the scan moves its `next_check_at` on by LEASE in the same transaction; the chunk writes the real one
# (a chunk that failed leaves its clocks to come back when the lease ends).
LEASE_MINUTES = 15


def scan_due_clocks(now: datetime | None = None, limit: int = 5000, inline: bool = False) -> int:
	"""Every 5 minutes: only rows whose `next_check_at` has passed (indexed), so the cost follows the number
	of transitions, not the number of open tickets. The due tickets go to the long queue in chunks that any
	number of workers take in parallel (`scan_chunk`; `inline` runs them here); each state change notifies
	once."""
	if not is_enabled():
		return 0
	now = now or now_aware()
	inline = inline or scaleout.inline_jobs()
	s = frappe.qb.DocType(TICKET_SLA)
	due = by_source(
		frappe.qb.from_(s)
		.select(s.ticket_doctype, s.ticket)
		.distinct()
		.where(s.next_check_at <= ticket_sla.naive(now))
		.limit(limit)
		.run()
	)
	lease = ticket_sla.naive(now) + timedelta(minutes=LEASE_MINUTES)
	for doctype, tickets in due.items():
		for start in range(0, len(tickets), CHUNK):
			chunk = tickets[start : start + CHUNK]
			(
				frappe.qb.update(s)
				.set(s.next_check_at, lease)
				.where(
					(s.ticket_doctype == doctype)
					& s.ticket.isin(chunk)
					& (s.next_check_at <= ticket_sla.naive(now))
				)
				.run()
			)
		enqueue_in_chunks(
			"smo_extension.sla.jobs.scan_chunk",
			"tickets",
			tickets,
			inline=inline,
			doctype=doctype,
			at=now if inline else None,
		)
	return sum(len(t) for t in due.values())


def scan_chunk(tickets: list[str], doctype: str = ticket_sla.HD_TICKET, at: datetime | None = None) -> int:
	"""One chunk of the scan: its clocks judged at `at` (default: when the worker takes it), the new states
	notified once. Two workers given the same chunk take turns on the tickets' row locks; the second finds the
	states notified already. Returns how many notifications were sent."""
	now = at or now_aware()
	frappe.db.savepoint("smo_scan_chunk")
	try:
		recompute_tickets(tickets, now=now, doctype=doctype)
		sent = notify_transitions(tickets, now, doctype)
	except Exception:
		# its clocks stay leased and come back to the scan when the lease ends
		frappe.db.rollback(save_point="smo_scan_chunk")
		frappe.log_error(title=_("SMO clock scan failed for {0} tickets").format(len(tickets)))
		return 0
	s = frappe.qb.DocType(TICKET_SLA)
	# stopped clocks whose last state is notified need no more looks
	(
		frappe.qb.update(s)
		.set(s.next_check_at, None)
		.where(
			(s.ticket_doctype == doctype)
			& s.ticket.isin(tickets)
			& (s.is_running == 0)
			& (s.next_check_at <= ticket_sla.naive(now) + timedelta(minutes=LEASE_MINUTES))
		)
		.run()
	)
	return sent


def notify_transitions(tickets: list[str], now: datetime, doctype: str = ticket_sla.HD_TICKET) -> int:
	"""Mark each new state of the chunk's clocks as notified (one UPDATE per kind and state) and hand the
	At Risk / Breached ones to a background job that writes the notifications. Returns how many were sent."""
	s = frappe.qb.DocType(TICKET_SLA)
	rows = (
		frappe.qb.from_(s)
		.select(
			*fields(
				s,
				"name ticket agreement service response_state resolution_state response_notified_state resolution_notified_state response_due resolution_due",
			),
		)
		.where(s.ticket.isin(tickets) & (s.ticket_doctype == doctype))
		.for_update()
		.run(as_dict=True)
	)
	marks: dict[tuple[str, str], list[str]] = {}
	notes = []
	for row in rows:
		for kind in ("response", "resolution"):
			state, notified = row[f"{kind}_state"], row[f"{kind}_notified_state"]
			if state == notified:
				continue
			marks.setdefault((kind, state), []).append(row.name)
			if state in ticket_sla.NOTIFY_STATES:
				notes.append(
					{
						"doctype": doctype,
						"ticket": row.ticket,
						"agreement": row.agreement,
						"service": row.service,
						"kind": kind,
						"state": state,
						"due": str(row[f"{kind}_due"] or ""),
					}
				)
	for (kind, state), names in marks.items():
		frappe.qb.update(s).set(s[f"{kind}_notified_state"], state).where(s.name.isin(names)).run()
	if notes:
		frappe.enqueue(
			"smo_extension.sla.jobs.send_notifications",
			queue="short",
			notes=notes,
			enqueue_after_commit=True,
			now=bool(frappe.flags.in_test),
		)
	return len(notes)


def send_notifications(notes: list[dict]) -> None:
	"""One Notification Log per recipient (the ticket's assigned agents and the service owner) and transition;
	Frappe delivers it in the desk and by email as each user chose."""
	owners = dict(frappe.get_all("SMO Service", fields=["name", "service_owner"], as_list=True))
	assigned: dict[tuple[str, str], list[str]] = {}
	for doctype in sorted({n.get("doctype") or ticket_sla.HD_TICKET for n in notes}):
		tickets = sorted(
			{n["ticket"] for n in notes if (n.get("doctype") or ticket_sla.HD_TICKET) == doctype}
		)
		for name, assign in frappe.get_all(
			doctype, filters={"name": ("in", tickets)}, fields=["name", "_assign"], as_list=True
		):
			assigned[(doctype, str(name))] = json.loads(assign or "[]")
	for note in notes:
		doctype = note.get("doctype") or ticket_sla.HD_TICKET
		recipients = {
			r for r in set(assigned.get((doctype, note["ticket"]), [])) | {owners.get(note["service"])} if r
		}
		subject = (
			_("Issue {0}: {1} {2} ({3})") if doctype == ticket_sla.ISSUE else _("Ticket {0}: {1} {2} ({3})")
		).format(note["ticket"], _(note["kind"].title()), _(note["state"]), note["agreement"])
		for user in sorted(recipients):
			frappe.get_doc(
				{
					"doctype": "Notification Log",
					"for_user": user,
					"type": "Alert",
					"document_type": doctype,
					"document_name": note["ticket"],
					"subject": subject,
					"email_content": _("Due {0}.").format(note["due"] or "-"),
				}
			).insert(ignore_permissions=True)


# ------------------------------------------------------------------------------------------- backfill
def backfill(limit: int | None = None) -> int:
	"""Events and clocks for tickets that have none yet (a site that had tickets before the app): from the
	ticket's Version history (HD Ticket tracks changes) and, where that says nothing, from opening time,
	first response and resolution date; assignments from the ticket's ToDos unless already recorded."""
	tickets = without_history(ticket_sla.HD_TICKET, limit)
	for start in range(0, len(tickets), CHUNK):
		backfill_tickets(tickets[start : start + CHUNK])
	return len(tickets)


def without_history(doctype: str, limit: int | None = None) -> list[str]:
	"""The documents of `doctype` (HD Ticket, Issue) with no SMO events yet, oldest first (recorded assignments
	alone are no history)."""
	t = frappe.qb.DocType(doctype)
	e = frappe.qb.DocType(ticket_sla.TICKET_EVENT)
	query = (
		frappe.qb.from_(t)
		.left_join(e)
		.on((e.ticket == t.name) & (e.ticket_doctype == doctype) & (e["field"] != AGENT))
		.select(t.name)
		.where(e.name.isnull())  # no matching event: one row per document
		.orderby(t.creation)
	)
	if limit:
		query = query.limit(limit)
	return [str(r[0]) for r in query.run()]


def with_history(doctype: str, names: list[str]) -> set[str]:
	"""Which of `names` (of `doctype`) have SMO events other than recorded assignments."""
	e = frappe.qb.DocType(ticket_sla.TICKET_EVENT)
	return {
		str(r[0])
		for r in frappe.qb.from_(e)
		.select(e.ticket)
		.distinct()
		.where((e.ticket_doctype == doctype) & e.ticket.isin(names or [""]) & (e["field"] != AGENT))
		.run()
	}


def backfill_tickets(tickets: list[str]) -> None:
	"""One chunk of a backfill: events from history for the tickets that have none (recorded assignments alone
	are no history), each ticket's service by the rules, its clocks (stopped ones too). Idempotent: a chunk
	taken twice, or by two workers, ends the same."""
	with_events = with_history(ticket_sla.HD_TICKET, tickets)
	without = [t for t in tickets if t not in with_events]
	if without:
		backfill_events(without)
	resolve_services(tickets)
	recompute_tickets(tickets, include_stopped=True)


def backfill_issues(limit: int | None = None) -> int:
	"""ERPNext Issues that have no SMO events yet (Judge ERPNext Issues was just switched on): their events from
	their history, their service by the mapping rules, their clocks (stopped ones too), in chunks on the long
	queue. Returns how many Issues were queued."""
	return enqueue_in_chunks(
		"smo_extension.sla.jobs.backfill_issue_chunk",
		"issues",
		without_history(ticket_sla.ISSUE, limit),
		inline=bool(frappe.flags.in_test),
	)


def backfill_issue_chunk(issues: list[str]) -> None:
	"""One chunk of `backfill_issues`; idempotent (an Issue that has events by now is left to them)."""
	from smo_extension.sla.config import map_service

	with_events = with_history(ticket_sla.ISSUE, issues)
	config = get_config()
	infos = frappe.get_all(
		ticket_sla.ISSUE,
		filters={"name": ("in", [i for i in issues if i not in with_events] or [""])},
		fields="name creation modified status priority customer issue_type project smo_service first_responded_on sla_resolution_date".split(),
	)
	versions: dict[str, list] = {}
	for v in frappe.get_all(
		"Version",
		filters={"ref_doctype": ticket_sla.ISSUE, "docname": ("in", [i.name for i in infos] or [""])},
		fields=["docname", "creation", "data"],
		order_by="creation asc",
	):
		versions.setdefault(str(v.docname), []).append(v)
	for info in infos:
		customer = erpnext_compat.hd_customer(info.customer)
		if not info.smo_service:
			info.smo_service = map_service(
				config,
				None,
				None,
				customer,
				issue_type=info.issue_type,
				project=info.project,
				doctype=ticket_sla.ISSUE,
			)
			if info.smo_service:
				frappe.db.set_value(
					ticket_sla.ISSUE,
					info.name,
					{"smo_service": info.smo_service, "smo_service_by_rule": 1},
					update_modified=False,
				)
		resolved = info.status in ("Resolved", "Closed")
		info.update(
			{
				"status_category": erpnext_compat.status_category(info.status),
				"agent_group": None,
				"customer": customer,
				"resolution_date": (info.sla_resolution_date or info.modified) if resolved else None,
			}
		)
		events = events_from_history(info, versions.get(str(info.name), []), erpnext_compat.STATUS_CATEGORY)
		events = [
			TicketEvent(ev.when, ev.field, erpnext_compat.hd_customer(ev.value))
			if ev.field == CUSTOMER
			else ev
			for ev in events
		]
		ticket_sla.insert_events(
			str(info.name),
			[(ticket_sla.naive(ev.when), ev.field, ev.value) for ev in events],
			source="Backfill",
			doctype=ticket_sla.ISSUE,
		)
	recompute_tickets(issues, include_stopped=True, doctype=ticket_sla.ISSUE)


def resolve_services(tickets: list[str]) -> None:
	config = get_config()
	from smo_extension.sla.config import map_service

	for name, ticket_type, team, customer in frappe.get_all(
		"HD Ticket",
		filters={"name": ("in", tickets), "smo_service": ("is", "not set")},
		fields=["name", "ticket_type", "agent_group", "customer"],
		as_list=True,
	):
		service = map_service(config, ticket_type, team, customer)
		if service:
			frappe.db.set_value(
				"HD Ticket", name, {"smo_service": service, "smo_service_by_rule": 1}, update_modified=False
			)


VERSION_FIELDS = {"status": STATUS, "priority": PRIORITY, "agent_group": TEAM, "customer": CUSTOMER}


def history_events(tickets: list[str]) -> dict[str, list[TicketEvent]]:
	"""The event logs of `tickets` made from their Version history (nothing written): what the backfill records,
	and what the import's comparison replays for tickets the SMO has no log of yet."""
	categories = dict(frappe.get_all("HD Ticket Status", fields=["name", "category"], as_list=True))
	infos = frappe.get_all(
		"HD Ticket",
		filters={"name": ("in", tickets)},
		fields="name creation status status_category priority agent_group customer smo_service first_responded_on resolution_date".split(),
	)
	versions: dict[str, list] = {}
	for v in frappe.get_all(
		"Version",
		filters={"ref_doctype": "HD Ticket", "docname": ("in", tickets)},
		fields=["docname", "creation", "data"],
		order_by="creation asc",
	):
		versions.setdefault(str(v.docname), []).append(v)
	return {str(i.name): events_from_history(i, versions.get(str(i.name), []), categories) for i in infos}


def backfill_events(tickets: list[str]) -> None:
	from smo_extension.sla.assignment import history_from_todos

	logs = history_events(tickets)
	e = frappe.qb.DocType(ticket_sla.TICKET_EVENT)
	recorded = {
		str(r[0])
		for r in frappe.qb.from_(e)
		.select(e.ticket)
		.distinct()
		.where(e.ticket.isin(list(logs) or [""]) & (e["field"] == AGENT))
		.run()
	}
	assignments = history_from_todos([name for name in logs if name not in recorded])
	for name, events in logs.items():
		events += [
			TicketEvent(ticket_sla.aware(when), AGENT, value) for when, value in assignments.get(name, [])
		]
		events.sort(key=lambda ev: ev.when)
		ticket_sla.insert_events(
			name,
			[(ticket_sla.naive(ev.when), ev.field, ev.value) for ev in events],
			source="Backfill",
		)


def events_from_history(info, versions: list, categories: dict[str, str]) -> list[TicketEvent]:
	"""The initial values at creation (taken back from the first change of each field when the history has
	one), every change the Version log recorded, and the resolution date when the log has no resolving change."""
	created = ticket_sla.aware(info.creation)
	changes: list[TicketEvent] = []
	initial = {
		STATUS: categories.get(info.status) or info.status_category,
		PRIORITY: info.priority,
		TEAM: info.agent_group,
		CUSTOMER: info.customer,
	}
	first_seen: dict[str, str | None] = {}
	for version in versions:
		try:
			data = json.loads(version.data or "{}")
		except ValueError:
			continue
		when = ticket_sla.aware(version.creation)
		for fieldname, old, new in data.get("changed", []):
			name = VERSION_FIELDS.get(fieldname)
			if not name:
				continue
			if name == STATUS:
				old, new = categories.get(old, old), categories.get(new, new)
			first_seen.setdefault(name, old)
			if when > created:
				changes.append(TicketEvent(when, name, new or None))
	initial.update({k: v for k, v in first_seen.items() if v})
	events = [TicketEvent(created, name, value) for name, value in initial.items() if value]
	if info.smo_service:
		events.append(TicketEvent(created, SERVICE, info.smo_service))
	events += changes
	if info.first_responded_on:
		events.append(TicketEvent(created, FIRST_RESPONSE, str(get_datetime(info.first_responded_on))))
	resolved_in_log = any(ev.field == STATUS and ev.value == "Resolved" for ev in changes)
	if initial[STATUS] == "Resolved" and info.resolution_date and not resolved_in_log:
		# The history does not say when it was resolved: open from creation, resolved at resolution_date.
		events = [ev for ev in events if ev.field != STATUS]
		events.append(TicketEvent(created, STATUS, "Open"))
		events.append(TicketEvent(ticket_sla.aware(info.resolution_date), STATUS, "Resolved"))
	return sorted(events, key=lambda ev: ev.when)
