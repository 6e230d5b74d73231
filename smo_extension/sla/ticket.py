"""SMO work on an HD Ticket save, and the recompute that jobs share with it.

`before_save` notes what changed (status category, priority, team, service, customer, first response), replays
the ticket's event log through the engine and writes the summary fields on the ticket in the same save;
`on_update` appends the new events and upserts the SMO Ticket SLA rows (unique per ticket and agreement). A save
that changes none of the tracked fields does nothing.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import get_datetime
from frappe.utils import get_system_timezone
from frappe.utils import now_datetime
from pypika.terms import Parameter

from smo_extension import erpnext_compat
from smo_extension import helpdesk_compat
from smo_extension.engine.replay import AGENT
from smo_extension.engine.replay import CUSTOMER
from smo_extension.engine.replay import FIRST_RESPONSE
from smo_extension.engine.replay import PRIORITY
from smo_extension.engine.replay import SERVICE
from smo_extension.engine.replay import STATUS
from smo_extension.engine.replay import TEAM
from smo_extension.engine.replay import TicketClocks
from smo_extension.engine.replay import TicketEvent
from smo_extension.engine.replay import evaluate_ticket
from smo_extension.permissions import may_choose_service
from smo_extension.query import CACHED_ROWS
from smo_extension.query import fields
from smo_extension.query import insert_rows
from smo_extension.settings import defers_clock_writes
from smo_extension.settings import drives_helpdesk_sla
from smo_extension.sla.config import SLAConfig
from smo_extension.sla.config import get_config
from smo_extension.sla.config import hypercare_window
from smo_extension.sla.config import map_service
from smo_extension.sla.config import select_agreements
from smo_extension.sla.states import NO_CLOCK

STATE_LABELS = {
	"running": "Running",
	"at_risk": "At Risk",
	"paused": "Paused",
	"met": "Met",
	"breached": "Breached",
	"untracked": "",  # no target for this clock (a response-only agreement's resolution)
}
NOTIFY_STATES = ("At Risk", "Breached")
# The ticket fields the SMO computes (summary_values); nobody sets them by hand.
SUMMARY_FIELDS = ("smo_sla_state", "smo_response_due", "smo_resolution_due", "smo_sla_note")
# The SLA Status (`agreement_status`) each SMO state shows in Helpdesk's own SLA fields (which fields the release
# has: `helpdesk_compat.helpdesk_sla_fields`).
HELPDESK_STATUS = {"breached": "Failed", "paused": "Paused", "met": "Fulfilled"}
TICKET_SLA = "SMO Ticket SLA"
TICKET_EVENT = "SMO Ticket Event"
# The documents the SMO judges (SMO Ticket SLA / Event rows say which in `ticket_doctype`): Helpdesk's tickets, and
# ERPNext's Issues where ERPNext is installed and SMO Settings say so (`erpnext_compat.ticket_doctypes`).
HD_TICKET = helpdesk_compat.TICKET
ISSUE = erpnext_compat.ISSUE


class SMOTicketError(frappe.ValidationError):
	pass


# ------------------------------------------------------------------------------------------- queries
def clocks_with_tickets(doctype: str = HD_TICKET):
	"""SMO Ticket SLA joined with its ticket (an HD Ticket, or an Issue with `doctype`), for the reports and
	statements that read both: (the query, the clock table, the ticket table)."""
	s = frappe.qb.DocType(TICKET_SLA)
	t = frappe.qb.DocType(doctype)
	return (
		frappe.qb.from_(s).join(t).on((t.name == s.ticket) & (s.ticket_doctype == doctype)),
		s,
		t,
	)


def check_source(doctype: str | None) -> str:
	"""`doctype` when the SMO judges documents of it on this site (HD Ticket always; Issue where ERPNext is
	installed), else a translated error."""
	doctype = doctype or HD_TICKET
	if doctype in erpnext_compat.ticket_doctypes():
		return doctype
	frappe.throw(
		_("The SMO does not judge documents of type {0} on this site.").format(frappe.bold(str(doctype))),
		frappe.ValidationError,
	)


# ------------------------------------------------------------------------------------------- time zones
def site_zone() -> ZoneInfo:
	"""The site's time zone, looked up once per request (a ticket save converts a dozen instants)."""
	zone = getattr(frappe.local, "smo_site_zone", None)
	if zone is None:
		zone = frappe.local.smo_site_zone = _zone(get_system_timezone())
	return zone


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
	return ZoneInfo(name)


def aware(value) -> datetime | None:
	"""A naive site-time value as Frappe stores it → an aware instant."""
	if not value:
		return None
	if type(value) is not datetime:  # rows from the database are datetimes already
		value = get_datetime(value)
	return value.replace(tzinfo=site_zone())


def naive(value: datetime | None) -> datetime | None:
	"""An aware instant → naive site time, as Frappe stores it."""
	if value is None:
		return None
	return value.astimezone(site_zone()).replace(tzinfo=None)


# ------------------------------------------------------------------------------------------- the ticket
def status_category(doc) -> str | None:
	if doc.doctype == ISSUE:
		return erpnext_compat.status_category(doc.get("status"))
	if doc.get("status"):
		category = frappe.get_cached_value("HD Ticket Status", doc.status, "category")
		if category:
			return category
	return doc.get("status_category")


def ticket_customer(doc) -> str | None:
	"""The HD Customer of a ticket; for an Issue, the HD Customer that is its ERPNext Customer."""
	if doc.doctype == ISSUE:
		return erpnext_compat.hd_customer(doc.get("customer"))
	return doc.get("customer") or None


def tracked_values(doc) -> dict[str, str | None]:
	first = doc.get("first_responded_on")
	return {
		STATUS: status_category(doc),
		PRIORITY: doc.get("priority") or None,
		TEAM: doc.get("agent_group") or None,
		SERVICE: doc.get("smo_service") or None,
		CUSTOMER: ticket_customer(doc),
		FIRST_RESPONSE: str(get_datetime(first)) if first else None,
	}


@dataclass
class Pending:
	"""What `before_save` computed and `on_update` writes."""

	# the event rows to insert: (when, field, value, written at), times naive site time
	events: list[tuple] = field(default_factory=list)
	log: list[TicketEvent] = field(default_factory=list)  # the clock events after the save
	clocks: list[TicketClocks] = field(default_factory=list)
	now: datetime | None = None
	prune: bool = False
	deferred: bool = False  # the clock rows and events are left to the minute's job (`jobs.flush_deferred`)


def before_save(doc) -> None:
	config = get_config()
	before = doc.get_doc_before_save()
	resolve_service(doc, before, config)

	current = tracked_values(doc)
	previous = tracked_values(before) if before else {}
	changed = {k: v for k, v in current.items() if not before or previous.get(k) != v}
	if before and not changed:
		# Nothing the clocks depend on changed: the summary stays what the SMO computed. Read-only in the
		# form is not read-only over the API, so values sent for these fields are put back.
		doc.update({field: before.get(field) for field in KEPT_FIELDS})
		keep_helpdesk_fields(doc, before)
		return

	now = datetime.now(site_zone())
	when = aware(doc.creation if doc.is_new() or not before else doc.modified) or now
	new_events = [
		TicketEvent(when, name, value) for name, value in changed.items() if value is not None or before
	]
	name = str(doc.name)  # HD Ticket names are autoincrement integers; links to them are strings
	stored: list[TicketEvent] = []
	# events earlier deferred saves left on the ticket, not yet in the event table
	left = pending_rows(before.get(PENDING_FIELD)) if before else []
	if before and not doc.is_new():
		# Concurrent saves of one ticket take turns: Frappe's save has locked the ticket row already (it reads
		# the stored ticket FOR UPDATE), so `before`'s log version is the last committed one. The log kept under
		# it is the log; without it the log is read with a locking read, which holds every event committed
		# before us (a plain read would see the snapshot our transaction began with).
		stored = cached_events(doc.doctype, name, before.get(LOG_FIELD))
		if stored is None:
			stored = clock_events(
				load_events([name], for_update=True, doctype=doc.doctype, pending={name: left}).get(name, [])
			)
	events = stored + new_events
	clocks, note, missing = evaluate_with_gaps(doc_info(doc), events, config, max(now, when))
	apply_summary(doc, clocks, note, helpdesk=drives_source_sla(doc.doctype))
	doc.set(LOG_FIELD, new_log_version())
	written = naive(now)
	rows = [(naive(e.when), e.field, e.value, written) for e in new_events]
	deferred = defers_clock_writes()
	# Deferred: the new events join those left on the ticket, written by the ticket's own UPDATE. Otherwise the
	# save inserts them all (so switching the setting off loses nothing) and the ticket keeps none.
	doc.set(PENDING_FIELD, dump_pending(left + rows) if deferred else None)
	doc.set(PENDING_FLAG, 1 if deferred else 0)
	doc.flags.smo_pending = Pending(
		events=[] if deferred else left + rows,
		log=sorted(events, key=lambda e: e.when),  # stable: a tie keeps the write order, as load_events
		clocks=clocks,
		now=now,
		# Which agreements apply changes only with service, customer or team, or when the new priority has no
		# target somewhere; otherwise the upsert alone is enough.
		prune=bool(before)
		and (bool(changed.keys() & {SERVICE, CUSTOMER, TEAM}) or (PRIORITY in changed and bool(missing))),
		deferred=deferred,
	)


def on_update(doc) -> None:
	pending: Pending | None = doc.flags.pop("smo_pending", None)
	if pending is None:
		return
	if not pending.deferred:
		insert_event_rows(doc.doctype, [(str(doc.name), *row) for row in pending.events])
		write_clocks(
			[(str(doc.name), doc_info(doc), pending.clocks)],
			pending.now,
			prune=pending.prune,
			doctype=doc.doctype,
		)
	remember_events(doc.doctype, str(doc.name), doc.get(LOG_FIELD), pending.log)


def on_trash(doc) -> None:
	drop_kept_logs(doc.doctype, [str(doc.name)])
	for doctype in (TICKET_SLA, TICKET_EVENT):
		table = frappe.qb.DocType(doctype)
		frappe.qb.from_(table).delete().where(
			(table.ticket == str(doc.name)) & (table.ticket_doctype == doc.doctype)
		).run()


def drives_source_sla(doctype: str) -> bool:
	"""Whether the ticket's own SLA fields tell the SMO's answer: Helpdesk's as SMO Settings say; an Issue's
	ERPNext SLA fields always, on Issues the SMO judges (one truth)."""
	return True if doctype == ISSUE else drives_helpdesk_sla()


def resolve_service(doc, before, config: SLAConfig) -> None:
	"""An explicit service wins; otherwise the first matching mapping rule chooses (again on each save, so a
	team change can move the ticket to another service). Only agents and SMO staff choose a service: what a
	portal customer sends is ignored, so nobody picks the agreement that judges their own ticket."""
	if not may_choose_service():
		doc.smo_service = before.get("smo_service") if before else None
		doc.smo_service_by_rule = before.get("smo_service_by_rule") if before else 0
	explicit_change = before is not None and (doc.get("smo_service") or None) != (
		before.get("smo_service") or None
	)
	if doc.get("smo_service") and (explicit_change or (doc.is_new() and not doc.get("smo_service_by_rule"))):
		if doc.smo_service in config.retired_services:
			frappe.throw(
				_("Service {0} is retired: choose a live service for this ticket.").format(
					frappe.bold(doc.smo_service)
				),
				SMOTicketError,
			)
		doc.smo_service_by_rule = 0
		return
	if doc.get("smo_service") and not doc.get("smo_service_by_rule"):
		return  # chosen by a person earlier: keep it
	if doc.doctype == ISSUE:
		doc.smo_service = map_service(
			config,
			None,
			None,
			ticket_customer(doc),
			issue_type=doc.get("issue_type"),
			project=doc.get("project"),
			doctype=ISSUE,
		)
	else:
		doc.smo_service = map_service(
			config, doc.get("ticket_type"), doc.get("agent_group"), doc.get("customer")
		)
	doc.smo_service_by_rule = 1 if doc.smo_service else 0


# ------------------------------------------------------------------------------------------- evaluation
def doc_info(doc) -> dict:
	return {
		"name": str(doc.name),
		"creation": doc.creation,
		"first_responded_on": doc.get("first_responded_on"),
		"smo_service": doc.get("smo_service"),
		"customer": ticket_customer(doc),
	}


def evaluate(ticket: dict, events: list[TicketEvent], config: SLAConfig, now: datetime):
	"""Clocks of the agreements that apply to the ticket, and a note saying why there are none."""
	clocks, note, _missing = evaluate_with_gaps(ticket, events, config, now)
	return clocks, note


def evaluate_with_gaps(ticket: dict, events: list[TicketEvent], config: SLAConfig, now: datetime):
	"""`evaluate`, and the names of the agreements that have no target for the ticket's priority."""
	service = ticket.get("smo_service")
	if not service:
		return [], _("No SMO service for this ticket"), []
	opened_at = aware(ticket["creation"])
	teams = sorted({e.value for e in events if e.field == TEAM and e.value})
	agreements = select_agreements(config, service, ticket.get("customer"), teams, opened_at.date())
	if not agreements:
		return [], _("No active agreement for service {0}").format(service), []
	specs = [config.spec(a) for a in agreements]
	clocks, missing = evaluate_ticket(
		opened_at=opened_at,
		events=events,
		first_response_at=aware(ticket.get("first_responded_on")),
		agreements=specs,
		now=now,
	)
	note = ""
	# The note is read by the ticket's customer too: it names customer agreements only (the agreement form
	# shows staff every coverage gap, OLAs included).
	missing_slas = [s.name for s in specs if s.name in missing and s.agreement_type == "SLA"]
	if missing_slas:
		priority = next((e.value for e in reversed(events) if e.field == PRIORITY), "") or ""
		note = _("No target for priority {0} in {1}").format(priority, ", ".join(missing_slas))
	return clocks, note, missing


def hypercare_liaison(config: SLAConfig, ticket: dict) -> str | None:
	"""The liaison whose hypercare window the ticket was opened in (from the cached config: no query). Every
	clock of such a ticket records it, whichever agreement judged it, so reports tell hypercare from normal
	operation."""
	if not ticket.get("smo_service") or not ticket.get("creation"):
		return None
	window = hypercare_window(config, ticket["smo_service"], aware(ticket["creation"]).date())
	return window["liaison"] if window else None


def headline_clock(clocks: list[TicketClocks]) -> TicketClocks | None:
	"""The customer's SLA. The ticket's summary fields are read by its customer too (Helpdesk's portal loads
	the whole ticket), so an internal OLA never shows there; agents see OLA clocks in the SMO section."""
	return next((c for c in clocks if c.agreement.agreement_type == "SLA"), None)


def summary_values(
	clocks: list[TicketClocks], note: str, helpdesk: bool = False, doctype: str = HD_TICKET
) -> dict:
	"""The ticket's summary fields: state and due times of its headline clock; with `helpdesk`, also Helpdesk's
	own SLA fields for a ticket that has one (a ticket without keeps Helpdesk's own SLA), or ERPNext's on an
	Issue."""
	head = headline_clock(clocks)
	if head is None:
		return {
			"smo_sla_state": NO_CLOCK,
			"smo_response_due": None,
			"smo_resolution_due": None,
			"smo_sla_note": note or "",
		}
	values = {
		"smo_sla_state": STATE_LABELS[head.state],
		"smo_response_due": naive(head.response.due),
		"smo_resolution_due": naive(head.resolution.due),
		"smo_sla_note": note or "",
	}
	if helpdesk and doctype == ISSUE:
		hd = helpdesk_values(head, ())
		hd["agreement_status"] = erpnext_compat.agreement_status(
			hd["agreement_status"], head.response.state in ("running", "at_risk", "paused")
		)
		values.update(erpnext_compat.issue_values(hd))
	elif helpdesk:
		values.update(helpdesk_values(head, helpdesk_compat.helpdesk_sla_fields()))
	return values


def source_sla_fields(doctype: str) -> tuple[str, ...]:
	"""The ticket's own SLA fields the SMO keeps in step: Helpdesk's on HD Ticket, ERPNext's on Issue."""
	if doctype == ISSUE:
		return tuple(erpnext_compat.SLA_FIELDS.values())
	return helpdesk_compat.helpdesk_sla_fields()


def late_by(clock, target: float) -> int | None:
	"""Business seconds by which a stopped clock missed its target (Helpdesk ≥ 1.25 shows them as "Failed by"
	on the agent's badges); None while it runs or when it was met."""
	if clock.state != "breached" or clock.stopped_at is None:
		return None
	return max(round(clock.elapsed - target), 0)


def helpdesk_values(head: TicketClocks, fields: tuple[str, ...] = helpdesk_compat.BASE_SLA_FIELDS) -> dict:
	"""Helpdesk's SLA fields telling the SMO's answer. Helpdesk reads `response_by` / `resolution_by` as "the
	instant the target ends" in every state (answered before it: fulfilled; past it and not answered: failed),
	so they get the clock's deadline: its due while running or breached, where the rest of the target would
	have ended for a met clock, where it would end if it resumed now for a paused one. On releases with the
	"failed by" fields, they get the SMO's business time over the target of a stopped, breached clock."""
	state = head.state
	if state in HELPDESK_STATUS:
		status = HELPDESK_STATUS[state]
	elif head.response.state in ("running", "at_risk"):
		status = "First Response Due"
	else:
		status = "Resolution Due"
	values = {
		"response_by": naive(head.response_deadline),
		"resolution_by": naive(head.resolution_deadline),
		"agreement_status": status,
	}
	values.update(
		helpdesk_compat.failed_by_values(
			fields,
			late_by(head.response, head.response_target),
			late_by(head.resolution, head.resolution_target),
		)
	)
	return values


def shows_smo_sla(doc) -> bool:
	"""Whether Helpdesk's SLA fields of the ticket tell the SMO's answer: it has an SMO SLA clock and SMO
	Settings let the SMO drive Helpdesk's fields (an Issue's: always)."""
	return (doc.get("smo_sla_state") or NO_CLOCK) != NO_CLOCK and drives_source_sla(doc.doctype)


def keep_helpdesk_fields(doc, before) -> None:
	"""A save that changes nothing the SMO tracks: Helpdesk's own `apply_sla` (the controller's before_save,
	which runs before this hook) has just recomputed its SLA fields; a ticket that shows the SMO's answer keeps
	the stored one (the scan moves it on when the state changes with time)."""
	if not shows_smo_sla(before):
		return
	for fieldname in source_sla_fields(doc.doctype):
		doc.set(fieldname, before.get(fieldname))


def apply_summary(doc, clocks: list[TicketClocks], note: str, helpdesk: bool = False) -> None:
	doc.update(summary_values(clocks, note, helpdesk, doc.doctype))


def load_events(
	tickets: list[str],
	for_update: bool = False,
	doctype: str = HD_TICKET,
	pending: dict[str, list[list]] | None = None,
) -> dict[str, list[TicketEvent]]:
	"""The event logs of `tickets`, each in time order (ties in the order they were written), with the events
	deferred saves left on the tickets (`pending`: those rows per ticket, read from the tickets when None).
	Sorted here: an ORDER BY over several tickets makes the database sort the whole result on disk-side
	columns, several times slower than this. `for_update` reads the latest committed rows and locks them."""
	if not tickets:
		return {}
	rows = list(frappe.db.sql(events_query(len(tickets), for_update), [doctype, *tickets]))
	if pending is None:
		pending = pending_of(tickets, doctype, for_update)
	for ticket, left in pending.items():
		rows.extend((ticket, when, written, name, value) for when, name, value, written in left)
	zone = site_zone()
	out: dict[str, list[TicketEvent]] = {}
	for ticket, when, _created, name, value in sorted(rows, key=lambda r: (r[1], r[2])):
		out.setdefault(ticket, []).append(TicketEvent(when.replace(tzinfo=zone), name, value))
	return out


# ------------------------------------------------------------------------------------------- deferred writes
# With SMO Settings' "Write Clocks After the Save" a save writes no SMO table: it sets the ticket's summary, and
# leaves its new events on the ticket (PENDING_FIELD, a JSON list, and PENDING_FLAG, indexed), in the ticket's
# own UPDATE. The minute's job (`jobs.flush_deferred`) moves them into the event table and writes the ticket's
# clock rows; every reader of event logs (`load_events`) counts them meanwhile.
PENDING_FIELD = "smo_pending_events"
PENDING_FLAG = "smo_events_pending"


def pending_rows(value: str | None) -> list[list]:
	"""The events of PENDING_FIELD: [when, field, value, written at] each, times naive site time. The ticket's
	customer may read the whole ticket (Helpdesk's portal loads it): the events name no user."""
	if not value:
		return []
	return [
		[datetime.fromisoformat(when), name, val, datetime.fromisoformat(written)]
		for when, name, val, written in json.loads(value)
	]


def dump_pending(rows: list) -> str | None:
	if not rows:
		return None
	return json.dumps(
		[[str(when), name, val, str(written)] for when, name, val, written in rows],
		separators=(",", ":"),
	)


def keep_left_events(doc) -> None:
	"""The events left on the ticket stay as stored, whatever the request sent (a save that failed to compute)."""
	before = None if doc.is_new() else doc.get_doc_before_save()
	doc.set(PENDING_FIELD, before.get(PENDING_FIELD) if before else None)
	doc.set(PENDING_FLAG, before.get(PENDING_FLAG) if before else 0)


def pending_of(tickets: list[str], doctype: str, for_update: bool = False) -> dict[str, list[list]]:
	"""The events deferred saves left on `tickets`, per flagged ticket (a locking read with `for_update`, in the
	order of the tickets' names, as every chunk locks them)."""
	if not frappe.get_meta(doctype).has_field(PENDING_FLAG):
		return {}
	t = frappe.qb.DocType(doctype)
	query = (
		frappe.qb.from_(t)
		.select(t.name, t[PENDING_FIELD])
		.where((t[PENDING_FLAG] == 1) & t.name.isin([str(n) for n in tickets]))
		.orderby(t.name)
	)
	rows = (query.for_update() if for_update else query).run()
	return {str(name): pending_rows(value) for name, value in rows}


# ------------------------------------------------------------------------------------------- the log cache
# A save appends to the ticket's log and needs the log before it. Each save that appends gives the ticket a new log
# version (`smo_log_version`, a random token written by the save's own UPDATE of the ticket) and, after its commit,
# keeps the clock events under that version: in this process (the last LOCAL_LOGS tickets) and in Redis (a week).
# The next save trusts a kept log only when it carries the version of the ticket row the save has locked, whatever
# else changed the ticket since (Helpdesk's own writes after an insert, saves that change nothing the SMO tracks);
# any other writer of clock events clears the version in its own transaction (`forget_events`). A rolled-back save
# leaves the version and the kept logs as they were; a miss (evicted, cleared) costs one locking read of the table.
# The logs hold the clock events only (the agents of `assignment` change no clock).
LOG_FIELD = "smo_log_version"
LOG_TTL = 7 * 24 * 3600
LOCAL_LOGS = 2048
SAVE_SOURCE = "Ticket Save"
_local_logs: OrderedDict[tuple[str, str, str], tuple[str, tuple[TicketEvent, ...]]] = OrderedDict()
_local_lock = threading.Lock()  # a threaded web worker's requests share the process's kept logs


def log_key(doctype: str, ticket: str) -> str:
	return f"smo:log:{doctype}:{ticket}"


def local_key(doctype: str, ticket: str) -> tuple[str, str, str]:
	"""A ticket's key among this process's kept logs (one process may serve several sites)."""
	return (frappe.local.site, doctype, ticket)


def new_log_version() -> str:
	return frappe.generate_hash(length=12)


def clock_events(events: list[TicketEvent]) -> list[TicketEvent]:
	return [e for e in events if e.field != AGENT]


def cached_events(doctype: str, ticket: str, version: str | None) -> list[TicketEvent] | None:
	"""The ticket's clock events as the save that wrote log version `version` left them, or None."""
	if not version:
		return None
	key = local_key(doctype, ticket)
	kept = _local_logs.get(key)
	if kept is None or kept[0] != version:
		kept = frappe.cache.get_value(log_key(doctype, ticket), expires=True)
		if not kept or kept[0] != version:
			return None
		keep_locally(key, kept)
	return list(kept[1])


def keep_locally(key: tuple[str, str, str], kept: tuple) -> None:
	with _local_lock:
		_local_logs[key] = kept
		_local_logs.move_to_end(key)
		while len(_local_logs) > LOCAL_LOGS:
			_local_logs.popitem(last=False)


def remember_events(doctype: str, ticket: str, version: str, events: list[TicketEvent]) -> None:
	"""After the commit: `events` (the clock events, as the save computed them) as the log of `version`."""
	kept = (version, tuple(events))
	key = local_key(doctype, ticket)

	def keep() -> None:
		keep_locally(key, kept)
		frappe.cache.set_value(log_key(doctype, ticket), kept, expires_in_sec=LOG_TTL)

	frappe.db.after_commit.add(keep)


def drop_kept_logs(doctype: str, tickets: list[str]) -> None:
	if tickets:
		with _local_lock:
			for ticket in tickets:
				_local_logs.pop(local_key(doctype, ticket), None)
		frappe.cache.delete_value([log_key(doctype, t) for t in tickets])


def forget_events(doctype: str, tickets: list[str]) -> None:
	"""Writers of clock events other than the save (backfills, the demo): the tickets' log versions are cleared in
	the writer's transaction (no save trusts a kept log of theirs again), and the kept logs dropped."""
	if not tickets:
		return
	if frappe.get_meta(doctype).has_field(LOG_FIELD):
		table = frappe.qb.DocType(doctype)
		frappe.qb.update(table).set(table[LOG_FIELD], None).where(table.name.isin(tickets)).run()
	drop_kept_logs(doctype, tickets)


# The ticket fields only the SMO writes: a save that changes nothing the clocks depend on puts them back.
KEPT_FIELDS = (*SUMMARY_FIELDS, LOG_FIELD, PENDING_FIELD, PENDING_FLAG)

EVENT_COLUMNS = tuple(
	"name ticket_doctype ticket event_time field value source owner modified_by creation modified".split()
)


def insert_events(
	ticket: str,
	events: list[tuple[datetime, str, str | None]],
	source: str = SAVE_SOURCE,
	now: datetime | None = None,
	doctype: str = HD_TICKET,
):
	"""Append events to the ticket's log; `now` (naive site time) is when they are written. A writer other than
	the save drops the ticket's cached log when it adds clock events."""
	if not events:
		return
	if source != SAVE_SOURCE and any(name != AGENT for _when, name, _value in events):
		forget_events(doctype, [ticket])
	now = now or now_datetime()
	insert_event_rows(doctype, [(ticket, when, name, value, now) for when, name, value in events], source)


def insert_event_rows(doctype: str, rows: list[tuple], source: str = SAVE_SOURCE) -> None:
	"""Insert event rows (ticket, when, field, value, written at) of documents of `doctype` in one statement,
	by the session's user."""
	if rows:
		user = frappe.session.user
		insert_rows(
			frappe.qb.DocType(TICKET_EVENT),
			EVENT_COLUMNS,
			[
				(
					frappe.generate_hash(length=12),
					doctype,
					ticket,
					when,
					name,
					value,
					source,
					user,
					user,
					written,
					written,
				)
				for ticket, when, name, value, written in rows
			],
		)


CLOCK_COLUMNS = tuple(
	"agreement_type agreement_version hypercare_liaison service customer team priority opened_at response_state response_target_minutes response_elapsed_minutes response_paused_minutes response_due response_breached_at response_stopped_at resolution_state resolution_target_minutes resolution_elapsed_minutes resolution_paused_minutes resolution_due resolution_breached_at resolution_stopped_at is_running next_check_at evaluated_at modified modified_by".split()
)


# (state, target, elapsed, paused, due, breached at, stopped at) column names per kind of clock
_KIND_COLUMNS = {
	kind: tuple(
		f"{kind}_{name}"
		for name in tuple(
			"state target_minutes elapsed_minutes paused_minutes due breached_at stopped_at".split()
		)
	)
	for kind in ("response", "resolution")
}


def clock_values(ticket: dict, clock: TicketClocks, now: datetime, hypercare: str | None = None) -> dict:
	"""The row of one clock; `hypercare` is the liaison whose hypercare window the ticket was opened in."""
	stamp = naive(now)
	values = {
		"agreement_type": clock.agreement.agreement_type,
		"agreement_version": clock.agreement.version,
		"hypercare_liaison": hypercare,
		"service": ticket.get("smo_service"),
		"customer": ticket.get("customer"),
		"team": clock.team,
		"priority": clock.priority,
		"opened_at": naive(clock.opened_at),
		"is_running": 1 if clock.is_running else 0,
		"evaluated_at": stamp,
		"modified": stamp,
		"modified_by": frappe.session.user,
	}
	for kind, result, target in (
		("response", clock.response, clock.response_target),
		("resolution", clock.resolution, clock.resolution_target),
	):
		state, target_col, elapsed, paused, due, breached_at, stopped_at = _KIND_COLUMNS[kind]
		due_at = naive(result.due)
		values[state] = STATE_LABELS[result.state]
		values[target_col] = 0 if target is None else int(target // 60)  # 0: no target
		values[elapsed] = round(result.elapsed / 60.0, 2)
		values[paused] = round(result.paused / 60.0, 2)
		values[due] = due_at
		values[breached_at] = due_at if result.state == "breached" else None
		values[stopped_at] = naive(result.stopped_at)
	values["next_check_at"] = naive(clock.next_check_at)
	return values


def needs_notification(values: dict, notified: dict) -> bool:
	return any(
		values[f"{kind}_state"] in NOTIFY_STATES and values[f"{kind}_state"] != (notified.get(kind) or "")
		for kind in ("response", "resolution")
	)


def existing_clocks(
	tickets: list[str], doctype: str = HD_TICKET, for_update: bool = False
) -> dict[tuple[str, str], dict]:
	table = frappe.qb.DocType(TICKET_SLA)
	query = (
		frappe.qb.from_(table)
		.select(
			*fields(
				table,
				"name ticket agreement is_running response_notified_state resolution_notified_state",
			),
		)
		.where(table.ticket.isin(tickets) & (table.ticket_doctype == doctype))
	)
	rows = (query.for_update() if for_update else query).run(as_dict=True)
	return {(r.ticket, r.agreement): r for r in rows}


def clock_row_name(ticket: str, agreement: str, doctype: str = HD_TICKET) -> str:
	"""Rows are named from their key, so an upsert needs no read to find an existing row's name (an HD Ticket's
	rows as before sources were added, another source's with its doctype in the key)."""
	key = f"{ticket}\x1f{agreement}" if doctype == HD_TICKET else f"{doctype}\x1f{ticket}\x1f{agreement}"
	return hashlib.sha1(key.encode()).hexdigest()[:20]


def write_clocks(
	entries: list[tuple[str, dict, list[TicketClocks]]],
	now: datetime,
	existing: dict | None = None,
	frozen: set[tuple[str, str]] | None = None,
	prune: bool = True,
	doctype: str = HD_TICKET,
) -> None:
	"""Upsert the clock rows of many tickets in one statement, and delete rows of agreements that no longer
	apply to their ticket. `entries` is (ticket name, ticket info, clocks); rows in `frozen` (ticket,
	agreement) are left exactly as they are.

	With `existing` (the jobs read it for the whole chunk) stale rows and notified states come from it. Without
	it (a ticket save) nothing is read: `prune` deletes the ticket's rows of other agreements in one statement,
	and a clock that is at risk or breached is checked by the next scan, which notifies once."""
	if not entries:
		return
	frozen = frozen or set()
	config = get_config()
	table = frappe.qb.DocType(TICKET_SLA)
	keep = {(name, c.agreement.name) for name, _info, clocks in entries for c in clocks} | frozen
	if existing is not None:
		tickets = {name for name, _info, _clocks in entries}
		stale = [row.name for key, row in existing.items() if key[0] in tickets and key not in keep]
		if stale:
			frappe.qb.from_(table).delete().where(table.name.isin(stale)).run()
	elif prune:
		for name, _info, clocks in entries:
			condition = (table.ticket == name) & (table.ticket_doctype == doctype)
			agreements = [c.agreement.name for c in clocks]
			if agreements:
				condition &= table.agreement.notin(agreements)
			frappe.qb.from_(table).delete().where(condition).run()
	stamp, user = naive(now), frappe.session.user
	columns = [
		"name",
		"ticket_doctype",
		"ticket",
		"agreement",
		*CLOCK_COLUMNS,
		"creation",
		"owner",
		"docstatus",
	]
	params: list = []
	for name, info, clocks in entries:
		hypercare = hypercare_liaison(config, info)
		for clock in clocks:
			if (name, clock.agreement.name) in frozen:
				continue
			values = clock_values(info, clock, now, hypercare)
			if existing is None:
				notify = any(values[f"{k}_state"] in NOTIFY_STATES for k in ("response", "resolution"))
			else:
				row = existing.get((name, clock.agreement.name))
				notify = needs_notification(
					values,
					{
						"response": row.response_notified_state if row else None,
						"resolution": row.resolution_notified_state if row else None,
					},
				)
			if notify:
				values["next_check_at"] = stamp  # the scheduler sends the notification on its next run
			params.append(
				(
					clock_row_name(name, clock.agreement.name, doctype),
					doctype,
					name,
					clock.agreement.name,
					*(values[c] for c in CLOCK_COLUMNS),
					stamp,
					user,
					0,
				)
			)
	if params:
		insert_rows(table, columns, params, update=CLOCK_COLUMNS)


def events_query(count: int, for_update: bool) -> str:
	if count <= CACHED_ROWS:
		return cached_events_query(count, for_update)
	return build_events_query(count, for_update)


@lru_cache(maxsize=64)
def cached_events_query(count: int, for_update: bool) -> str:
	return build_events_query(count, for_update)


def build_events_query(count: int, for_update: bool) -> str:
	"""The SELECT of `load_events` for `count` tickets, built by frappe.qb once per shape (placeholders, the
	values go to the driver): a ticket save runs it on every change, and building it cost about as much as
	the database's answer."""
	table = frappe.qb.DocType(TICKET_EVENT)
	query = (
		frappe.qb.from_(table)
		.select(table.ticket, table.event_time, table.creation, table["field"], table["value"])
		.where((table.ticket_doctype == Parameter("%s")) & table.ticket.isin([Parameter("%s")] * count))
	)
	if for_update:
		query = query.for_update()
	return query.get_sql()
