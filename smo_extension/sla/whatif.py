"""What-if replay: the tickets of a period judged by one agreement exactly as it stands now (a Draft, an Active
one whose terms changed, a Draft copy of an Active one with another calendar or other targets), beside what
their live clocks say. Nothing is written: the tickets' event logs are replayed in memory with the pure engine.

Which tickets: those the agreement **would judge** if it were the Active agreement of its slot — the same rules
the live clocks follow (`config.choose_agreements`), with the agreement put first among its service's Active
agreements:

- a customer-specific SLA judges its service's tickets of that customer (it wins over the general SLA);
- a general SLA judges its service's tickets, except those of customers that have a customer-specific Active
  SLA of the service (which keeps them);
- an OLA judges its service's tickets its team held at some point, from when the team had them;
- only tickets opened while the agreement is valid (Valid From / Valid To, as for live clocks: a copy keeps
  them; a Draft meant for past periods needs a Valid From on or before them — the answer says so);
- the ticket's service and customer are its current ones, as for live clocks.

The live side of each such ticket is its live clock of the same kind: its SLA clock (whichever agreement judges
it now: the general SLA a customer-specific Draft would replace, for example), or for an OLA its OLA clock of the
same team; the agreement's own clock when it has one. A ticket without one counts on the what-if side only.

Both sides are counted as SLA Compliance counts them: met = the clock stopped within target in the period,
breached = its target was crossed in the period, running or not. A ticket is judged as of now, except when its
live clock is overdue for a check the 5-minute scan has not run yet (`next_check_at` passed): then as of the
live clock's last evaluation, so both sides describe the same moment. Hence a what-if of an unchanged copy of a
live agreement gives exactly the live figures.

A ticket **flips** when it counts on either side and is breached on one side only; each flip carries both due
dates (for a met clock, the due date it beat).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import frappe
from frappe import _
from frappe.utils import now_datetime

from smo_extension import erpnext_compat
from smo_extension import helpdesk_compat
from smo_extension.engine.clock import ClockResult
from smo_extension.engine.clock import deadline
from smo_extension.engine.compliance import compliance_percent
from smo_extension.engine.compliance import period_outcome
from smo_extension.engine.replay import PRIORITY
from smo_extension.engine.replay import TEAM
from smo_extension.engine.replay import current_values
from smo_extension.engine.replay import evaluate_ticket
from smo_extension.query import fields
from smo_extension.scaleout import heavy_read
from smo_extension.sla.config import agreement_spec
from smo_extension.sla.config import agreement_values
from smo_extension.sla.config import choose_agreements
from smo_extension.sla.config import get_config
from smo_extension.sla.config import hypercare_window
from smo_extension.sla.config import make_spec
from smo_extension.sla.period import check_period
from smo_extension.sla.period import period_instants
from smo_extension.sla.ticket import HD_TICKET
from smo_extension.sla.ticket import ISSUE
from smo_extension.sla.ticket import STATE_LABELS
from smo_extension.sla.ticket import TICKET_SLA
from smo_extension.sla.ticket import aware
from smo_extension.sla.ticket import load_events
from smo_extension.sla.ticket import naive

AGREEMENT = "SMO Service Level Agreement"
METRICS = ("Resolution", "Response")
MAX_FLIPPED = 5000
CHUNK = 2000
# stored state label -> engine state
ENGINE_STATES = {label: state for state, label in STATE_LABELS.items()}


class SMOWhatIfError(frappe.ValidationError):
	pass


@heavy_read
def what_if(
	agreement: str, from_date, to_date, metric: str = "Resolution", now: datetime | None = None
) -> dict:
	"""The what-if of `agreement` over the period (see the module docstring). The caller checks permission."""
	if metric not in METRICS:
		frappe.throw(
			_("Metric must be one of {0}, not {1}.").format(
				", ".join(_(m) for m in METRICS), frappe.bold(metric)
			),
			SMOWhatIfError,
		)
	first_day, last_day = check_period(from_date, to_date)
	start, end = period_instants(first_day, last_day)
	doc = frappe.get_doc(AGREEMENT, agreement)
	if doc.agreement_type not in ("SLA", "OLA"):
		frappe.throw(
			_("{0} is an underpinning contract: it judges no tickets, so it has no what-if.").format(
				frappe.bold(doc.name)
			),
			SMOWhatIfError,
		)
	now = now or aware(now_datetime())
	kind = metric.lower()
	config = get_config()
	values = agreement_values(doc)
	spec = make_spec(values, config)
	# The agreement first among its service's Active agreements: it wins its slot wherever it is valid.
	hypothetical = [values, *(a for a in config.agreements.get(doc.service, []) if a["name"] != doc.name)]

	tickets = {}
	# Issues the SMO judged keep their clocks when its switch is turned off, and count as long as they have them
	for doctype in erpnext_compat.ticket_doctypes():
		tickets.update(candidate_tickets(doc, start, end, kind, doctype))
	live_specs: dict[str, object] = {}
	tally = Tally()
	flipped: list[dict] = []
	replayed = not_judged = stale = 0
	names = list(tickets)
	for offset in range(0, len(names), CHUNK):
		chunk = names[offset : offset + CHUNK]
		events = {}
		for doctype in {tickets[name].ticket_doctype for name in chunk}:
			events.update(
				load_events([n for n in chunk if tickets[n].ticket_doctype == doctype], doctype=doctype)
			)
		live = live_clocks(chunk, doc, kind)
		for name in chunk:
			info = tickets[name]
			log = events.get(name, [])
			opened_at = aware(info.creation)
			teams = sorted({e.value for e in log if e.field == TEAM and e.value})
			window = hypercare_window(config, doc.service, opened_at.date())
			hypercare_sla = None
			if window is not None:  # the hypercare SLA judges the window (the agreement itself, if it is it)
				hypercare_sla = values if window["agreement"] == doc.name else window["sla"]
			chosen = choose_agreements(
				hypothetical,
				info.customer,
				teams,
				opened_at.date(),
				hypercare_sla=hypercare_sla,
				customer_sla_wins=config.customer_sla_wins_in_hypercare,
			)
			if not any(a["name"] == doc.name for a in chosen):
				continue
			row = live.get(name)
			instant = now
			if row is not None and row.is_running and row.next_check_at and aware(row.next_check_at) <= now:
				instant = min(now, aware(row.evaluated_at) or now)
				stale += 1
			clocks, missing = evaluate_ticket(
				opened_at=opened_at,
				events=log,
				first_response_at=aware(info.first_responded_on),
				agreements=[spec],
				now=instant,
			)
			replayed += 1
			result = getattr(clocks[0], kind) if clocks else None
			target = (
				(clocks[0].response_target if kind == "response" else clocks[0].resolution_target)
				if clocks
				else 0
			)
			if missing:
				not_judged += 1
			live_state = ENGINE_STATES.get(row.state) if row is not None else None
			live_outcome = (
				period_outcome(live_state, aware(row.stopped_at), aware(row.breached_at), start, end)
				if live_state
				else None
			)
			what_if_outcome = (
				period_outcome(
					result.state,
					result.stopped_at,
					result.due if result.state == "breached" else None,
					start,
					end,
				)
				if result is not None
				else None
			)
			if live_outcome is None and what_if_outcome is None:
				continue
			priority = current_values(log, instant).get(PRIORITY) or info.priority or ""
			tally.add(doc.service, info.customer, priority, live_outcome, what_if_outcome)
			what_if_state = result.state if result is not None else None
			if (live_state == "breached") != (what_if_state == "breached"):
				tally.flips += 1
				if len(flipped) < MAX_FLIPPED:
					flipped.append(
						{
							"ticket": name,
							"subject": info.subject,
							"priority": priority,
							"customer": info.customer,
							"live_agreement": row.agreement if row is not None else None,
							"live_state": STATE_LABELS[live_state] if live_state else None,
							"what_if_state": STATE_LABELS[what_if_state] if what_if_state else None,
							"live_due": naive(live_due(row, config, live_specs)) if row is not None else None,
							"what_if_due": naive(
								deadline(result, target_seconds=target, calendar=spec.calendar)
							)
							if result is not None
							else None,
						}
					)
	return {
		"agreement": doc.name,
		"agreement_type": doc.agreement_type,
		"status": doc.status,
		"service": doc.service,
		"customer": doc.customer or None,
		"team": doc.team or None,
		"version": doc.version or 1,
		"target": doc.compliance_target,
		"metric": metric,
		"from_date": str(first_day),
		"to_date": str(last_day),
		"tickets": replayed,
		**tally.result(),
		"flipped": sorted(flipped, key=lambda f: _ticket_key(f["ticket"])),
		"flipped_total": tally.flips,
		"notes": notes(doc, first_day, last_day, not_judged, stale, tally.flips),
	}


def candidate_tickets(
	doc, start: datetime, end: datetime, kind: str, doctype: str = HD_TICKET
) -> dict[str, frappe._dict]:
	"""The tickets (or Issues) of the agreement's service (and customer) that can count in [start, end): opened
	before the end and not resolved for good before the start (a resolved ticket last changed before the start
	has every event before it), plus every ticket whose live clock of the same kind counts in the period."""
	t = frappe.qb.DocType(doctype)
	fields = (t.name, t.subject, t.creation, t.first_responded_on, t.customer, t.priority)
	if doctype == ISSUE:
		still_open = t.status.notin(["Resolved", "Closed"])
	else:
		still_open = t.status_category.isnull() | (t.status_category != "Resolved")
	query = (
		frappe.qb.from_(t)
		.select(*fields)
		.where(
			(t.smo_service == doc.service)
			& (t.creation < naive(end))
			& (still_open | (t.modified >= naive(start)))
		)
	)
	if doc.agreement_type == "SLA" and doc.customer:
		customers = erpnext_compat.erpnext_customers(doc.customer) if doctype == ISSUE else [doc.customer]
		query = query.where(t.customer.isin(customers or [""]))
	rows = {str(r.name): r for r in query.run(as_dict=True)}

	s = frappe.qb.DocType(TICKET_SLA)
	counted = (
		frappe.qb.from_(s)
		.select(s.ticket)
		.distinct()
		.where(
			(s.ticket_doctype == doctype)
			& (s.service == doc.service)
			& (s.agreement_type == doc.agreement_type)
			& (
				(
					(s[f"{kind}_state"] == "Met")
					& (s[f"{kind}_stopped_at"] >= naive(start))
					& (s[f"{kind}_stopped_at"] < naive(end))
				)
				| ((s[f"{kind}_breached_at"] >= naive(start)) & (s[f"{kind}_breached_at"] < naive(end)))
			)
		)
	)
	if doc.agreement_type == "OLA":
		counted = counted.where(s.team == doc.team)
	missing = [str(r[0]) for r in counted.run() if str(r[0]) not in rows]
	for offset in range(0, len(missing), CHUNK):
		for r in (
			frappe.qb.from_(t)
			.select(*fields)
			.where(t.name.isin(missing[offset : offset + CHUNK]) & (t.smo_service == doc.service))
			.run(as_dict=True)
		):
			rows[str(r.name)] = r
	for r in rows.values():
		r.name = str(r.name)
		r.ticket_doctype = doctype
		if doctype == ISSUE:
			r.customer = erpnext_compat.hd_customer(r.customer)
	return dict(sorted(rows.items(), key=lambda item: _ticket_key(item[0])))


def live_clocks(tickets: list[str], doc, kind: str) -> dict[str, frappe._dict]:
	"""Each ticket's live clock of the agreement's kind: its SLA clock, or its OLA clock of the same team; the
	agreement's own clock when there is one, else the first by agreement name."""
	s = frappe.qb.DocType(TICKET_SLA)
	query = (
		frappe.qb.from_(s)
		.select(
			*fields(s, "ticket agreement priority is_running next_check_at evaluated_at"),
			s[f"{kind}_state"].as_("state"),
			s[f"{kind}_due"].as_("due"),
			s[f"{kind}_stopped_at"].as_("stopped_at"),
			s[f"{kind}_breached_at"].as_("breached_at"),
			s[f"{kind}_elapsed_minutes"].as_("elapsed_minutes"),
			s[f"{kind}_target_minutes"].as_("target_minutes"),
		)
		.where(
			# the source in the condition lets the database use the clocks' unique key (source, ticket, agreement)
			s.ticket_doctype.isin(erpnext_compat.ticket_doctypes())
			& s.ticket.isin(tickets)
			& (s.agreement_type == doc.agreement_type)
		)
	)
	if doc.agreement_type == "OLA":
		query = query.where(s.team == doc.team)
	out: dict[str, frappe._dict] = {}
	for row in sorted(query.run(as_dict=True), key=lambda r: (r.agreement != doc.name, r.agreement)):
		out.setdefault(str(row.ticket), row)
	return out


def live_due(row, config, specs: dict) -> datetime | None:
	"""The live clock's due date; for a met clock the due date it beat (its agreement's calendar)."""
	if row.due:
		return aware(row.due)
	state = ENGINE_STATES.get(row.state)
	if state != "met" or not row.stopped_at:
		return None
	if row.agreement not in specs:
		specs[row.agreement] = agreement_spec(row.agreement, config)
	spec = specs[row.agreement]
	if spec is None:
		return None
	result = ClockResult(state, (row.elapsed_minutes or 0) * 60.0, None, aware(row.stopped_at))
	return deadline(result, target_seconds=(row.target_minutes or 0) * 60.0, calendar=spec.calendar)


class Tally:
	"""Met and breached counts, live and what-if, overall and per service, customer and priority."""

	def __init__(self):
		self.flips = 0
		self.groups: dict[str, dict] = {
			"overall": defaultdict(_counts),
			"service": defaultdict(_counts),
			"customer": defaultdict(_counts),
			"priority": defaultdict(_counts),
		}

	def add(self, service, customer, priority, live: str | None, what_if: str | None) -> None:
		for group, key in (
			("overall", ""),
			("service", service),
			("customer", customer or ""),
			("priority", priority),
		):
			counts = self.groups[group][key]
			counts["tickets"] += 1
			for side, outcome in (("live", live), ("what_if", what_if)):
				if outcome:
					counts[side][outcome] += 1

	def result(self) -> dict:
		def sides(counts) -> dict:
			return {side: _side(counts[side]) for side in ("live", "what_if")}

		overall = self.groups["overall"].get("") or _counts()
		out = {"overall": sides(overall)}
		order = {"service": None, "customer": None, "priority": _priority_order()}
		for group, rank in order.items():
			keys = sorted(
				self.groups[group],
				key=(lambda k, rank=rank: (rank.get(k, 99), k)) if rank else (lambda k: (k == "", k)),
			)
			out[f"by_{group}"] = [
				{
					group: key or None,
					"tickets": self.groups[group][key]["tickets"],
					**sides(self.groups[group][key]),
				}
				for key in keys
			]
		return out


def _counts() -> dict:
	return {"tickets": 0, "live": {"met": 0, "breached": 0}, "what_if": {"met": 0, "breached": 0}}


def _side(counts: dict) -> dict:
	return {
		"met": counts["met"],
		"breached": counts["breached"],
		"compliance": compliance_percent(counts["met"], counts["breached"]),
	}


def _priority_order() -> dict[str, int]:
	"""Helpdesk's priorities, most urgent first (`helpdesk_compat`)."""
	return helpdesk_compat.priority_ranks()


def _ticket_key(name: str):
	return (0, int(name), "") if name.isdigit() else (1, 0, name)


def notes(doc, first_day, last_day, not_judged: int, stale: int, flips: int) -> list[str]:
	out = []
	if doc.valid_from and frappe.utils.getdate(doc.valid_from) > first_day:
		out.append(
			_("Valid From is {0}: tickets opened before it are not judged by this agreement.").format(
				doc.valid_from
			)
		)
	if doc.valid_to and frappe.utils.getdate(doc.valid_to) < last_day:
		out.append(
			_("Valid To is {0}: tickets opened after it are not judged by this agreement.").format(
				doc.valid_to
			)
		)
	if not_judged:
		out.append(
			_(
				"{0} tickets have a priority this agreement has no target for: they get no what-if clock."
			).format(not_judged)
		)
	if stale:
		out.append(
			_(
				"{0} live clocks are waiting for the scheduler's next check: they are judged as of their last"
				" evaluation on both sides."
			).format(stale)
		)
	if flips > MAX_FLIPPED:
		out.append(_("{0} tickets flip; the first {1} are listed.").format(flips, MAX_FLIPPED))
	return out
