"""Hypercare: the weeks after a go-live, when a PMO liaison's stricter agreement judges the service's tickets.

A liaison in stage Hypercare (and later Closed) with a hypercare agreement, a go-live date and `hypercare_until`
has a window of whole days; tickets of its service opened inside it are judged by that agreement (see
`config.select_agreements`, which reads the windows from the cached config). When a window moves, whether from
the form or from the PMO sync, the running clocks of tickets opened on the changed days are recomputed in the
background; stopped clocks keep their judgement until an SMO Manager runs Repair Clocks on the agreement.
Leaving hypercare at the end of the window is the daily job `end_hypercare`.
"""

from __future__ import annotations

from datetime import date
from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import getdate
from frappe.utils import today

from smo_extension.engine.windows import DayRange
from smo_extension.engine.windows import changed_days
from smo_extension.engine.windows import merge
from smo_extension.sla.config import HYPERCARE_STAGES

LIAISON = "SMO PMO Liaison"


def window_of(values) -> DayRange | None:
	"""The days a liaison's hypercare window judges tickets, or None (no agreement, no dates, or a stage
	before go-live). `values` is a liaison document or a dict of its fields."""
	if not values:
		return None
	if values.get("transition_stage") not in HYPERCARE_STAGES or not values.get("hypercare_agreement"):
		return None
	if not values.get("go_live_date") or not values.get("hypercare_until"):
		return None
	start, end = getdate(values.get("go_live_date")), getdate(values.get("hypercare_until"))
	if end < start:
		return None
	return DayRange(start, end)


def days_to_recompute(before, after) -> list[DayRange]:
	"""The days whose tickets are judged by another agreement after the change: the days that entered or
	left the window; the whole window (old and new) when the agreement itself changed."""
	old, new = window_of(before), window_of(after)
	if old and new and before.get("hypercare_agreement") != after.get("hypercare_agreement"):
		return merge([old, new])
	return changed_days(old, new)


def enqueue_recompute(service: str, ranges: list[DayRange]) -> int:
	"""Recompute, in the background, the running clocks of the service's tickets opened on `ranges`'s days.
	Returns the number of tickets queued."""
	if not ranges:
		return 0
	from smo_extension.sla import jobs

	return jobs.enqueue_chunks(tickets_opened(service, ranges, running_only=True), include_stopped=False)


def tickets_opened(service: str, ranges: list[DayRange], running_only: bool = False) -> list[str]:
	"""The service's tickets opened on the days of `ranges`; with `running_only`, those with a running clock
	or none yet (a ticket whose clocks all stopped keeps its judgement: Repair Clocks changes it)."""
	t = frappe.qb.DocType("HD Ticket")
	condition = None
	for r in ranges:
		# creation is stored in site time, as the windows' days are counted
		part = (t.creation >= str(r.start)) & (t.creation < str(r.end + timedelta(days=1)))
		condition = part if condition is None else condition | part
	condition = (t.smo_service == service) & condition
	if running_only:
		s = frappe.qb.DocType("SMO Ticket SLA")
		running = frappe.qb.from_(s).select(s.ticket).where(s.is_running == 1)
		judged = frappe.qb.from_(s).select(s.ticket)
		condition = condition & (t.name.isin(running) | t.name.notin(judged))
	return [str(row[0]) for row in frappe.qb.from_(t).select(t.name).where(condition).run()]


def tickets_in_windows_of(agreement: str) -> list[str]:
	"""Tickets opened inside the windows of every liaison that names `agreement` for hypercare."""
	by_service: dict[str, list[DayRange]] = {}
	for liaison in frappe.get_all(
		LIAISON,
		filters={"hypercare_agreement": agreement},
		fields=["service", "transition_stage", "hypercare_agreement", "go_live_date", "hypercare_until"],
	):
		window = window_of(liaison)
		if window:
			by_service.setdefault(liaison.service, []).append(window)
	return [t for service, ranges in by_service.items() for t in tickets_opened(service, merge(ranges))]


def describe(window: DayRange | None) -> str:
	if window is None:
		return _("none")
	return _("{0} to {1}").format(frappe.format(window.start, "Date"), frappe.format(window.end, "Date"))


# ------------------------------------------------------------------------------------------- daily job
def end_hypercare(on: date | None = None) -> list[str]:
	"""Daily: liaisons in stage Hypercare whose window ended before `on` (today) leave hypercare: stage
	Closed, the day recorded in `hypercare_ended_on` and a comment. Their window keeps judging the tickets
	opened inside it. Returns the liaisons closed."""
	on = getdate(on or today())
	closed = []
	for name in frappe.get_all(
		LIAISON,
		filters={"transition_stage": "Hypercare", "hypercare_until": ("<", on)},
		pluck="name",
		order_by="name asc",
	):
		doc = frappe.get_doc(LIAISON, name)
		doc.transition_stage = "Closed"
		doc.hypercare_ended_on = on
		doc.flags.ignore_permissions = True
		doc.flags.smo_hypercare_ended = True
		frappe.db.savepoint("smo_end_hypercare")
		try:
			doc.save()
		except Exception:
			frappe.db.rollback(save_point="smo_end_hypercare")
			frappe.log_error(
				title=_("Could not end the hypercare of {0}").format(name),
				reference_doctype=LIAISON,
				reference_name=name,
			)
			continue
		doc.add_comment(
			"Info",
			_("Hypercare ended on {0} (the window closed on {1}): stage set to Closed.").format(
				frappe.format(on, "Date"), frappe.format(doc.hypercare_until, "Date")
			),
		)
		closed.append(name)
	return closed
