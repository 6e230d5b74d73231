"""The upgrade a user does: a site on Helpdesk 1.15 with the app and the demo data, moved to a bench with a newer
Helpdesk and migrated. `tests/upgrade/run` drives it; these are the two halves it executes on the site:
`snapshot` before the move (on the old bench), `check` after the migrate (on the new one).

What must hold after the upgrade: every clock, event and statement is there as it was (a digest of every clock
row and every event, the statements and their PDFs on disk); the scan runs; every SMO report opens; a ticket save
moves its clock; a new ticket (named as the new Helpdesk names it, text) gets its clocks; the old tickets are
found by their old names.
"""

from __future__ import annotations

import hashlib
import json
import os
import traceback

import frappe

from smo_extension import contract
from smo_extension import helpdesk_compat

CLOCK_FIELDS = tuple(
	"ticket agreement agreement_version hypercare_liaison priority opened_at response_state response_elapsed_minutes response_due response_breached_at response_stopped_at resolution_state resolution_elapsed_minutes resolution_due resolution_breached_at resolution_stopped_at is_running next_check_at".split()
)
EVENT_FIELDS = ("ticket", "event_time", "field", "value", "source")


def _digest(doctype: str, fields: tuple[str, ...]) -> dict:
	present = {f.fieldname for f in frappe.get_meta(doctype).fields}
	fields = tuple(f for f in fields if f in present)
	rows = frappe.get_all(doctype, fields=list(fields), as_list=True, order_by="name asc")
	lines = sorted("|".join(str(v if v is not None else "") for v in row) for row in rows)
	return {"count": len(rows), "sha1": hashlib.sha1("\n".join(lines).encode()).hexdigest(), "fields": fields}


def _statements() -> dict:
	out = {}
	fields = ["name", "customer", "month", "status", "pdf_file", "tickets", "breaches"]
	for doc in frappe.get_all("SMO SLA Statement", fields=fields):
		out[doc.name] = {k: doc.get(k) for k in fields[1:]}
	return out


def snapshot(out: str) -> dict:
	"""What the site holds before the move, written to `out` (JSON)."""
	data = {
		"helpdesk": helpdesk_compat.helpdesk_module("helpdesk").__version__,
		"clocks": _digest("SMO Ticket SLA", CLOCK_FIELDS),
		"events": _digest("SMO Ticket Event", EVENT_FIELDS),
		"statements": _statements(),
		"tickets": sorted(str(n) for n in frappe.get_all("HD Ticket", pluck="name")),
	}
	with open(out, "w") as f:
		json.dump(data, f, indent=1, default=str)
	return {k: v for k, v in data.items() if k != "tickets"}


class Checks:
	def __init__(self):
		self.passed: list[str] = []
		self.failed: list[str] = []

	def check(self, name: str, fn) -> None:
		try:
			fn()
		except Exception:
			frappe.db.rollback()
			self.failed.append(name)
			print(f"FAILED {name}\n{traceback.format_exc()}")
			return
		self.passed.append(name)
		print(f"passed {name}")


def _equal(a, b, what: str) -> None:
	if a != b:
		raise AssertionError(f"{what}: {a!r} != {b!r}")


def check(before: str, result: str) -> dict:
	"""Every check of the upgraded site; the counts are written to `result` (JSON)."""
	with open(before) as f:
		old = json.load(f)
	c = Checks()
	c.check("helpdesk was upgraded", lambda: _assert_upgraded(old))
	c.check(
		"every clock row is as it was", lambda: _same_digest("SMO Ticket SLA", CLOCK_FIELDS, old["clocks"])
	)
	c.check("every event is as it was", lambda: _same_digest("SMO Ticket Event", EVENT_FIELDS, old["events"]))
	c.check("every statement and its PDF are there", lambda: _check_statements(old["statements"]))
	c.check("the old tickets keep their names", lambda: _check_old_names(old["tickets"]))
	c.check("the scan runs over the upgraded clocks", _check_scan)
	c.check("every SMO report opens", _check_reports)
	c.check("a ticket save moves its clock", _check_save)
	c.check("a new ticket, named by the new Helpdesk, gets its clocks", _check_new_ticket)
	c.check("the demo site's guided setup is complete", _check_onboarding)
	frappe.db.rollback()
	counts = {"passed": c.passed, "failed": c.failed}
	with open(result, "w") as f:
		json.dump(counts, f, indent=1)
	print(f"upgrade: {len(c.passed)} passed, {len(c.failed)} failed")
	if c.failed:
		raise AssertionError(f"the upgraded site fails: {', '.join(c.failed)}")
	return counts


def _same_digest(doctype: str, fields: tuple[str, ...], old: dict) -> None:
	new = _digest(doctype, fields)
	if not old["count"]:
		raise AssertionError(f"the demo made no {doctype}")
	_equal(
		(new["count"], new["sha1"], list(new["fields"])), (old["count"], old["sha1"], old["fields"]), doctype
	)


def _assert_upgraded(old: dict) -> None:
	new = helpdesk_compat.helpdesk_module("helpdesk").__version__
	if new == old["helpdesk"]:
		raise AssertionError(f"Helpdesk is still {new}")
	print(f"  Helpdesk {old['helpdesk']} -> {new}")


def _check_statements(old: dict) -> None:
	_equal(_statements(), old, "statements")
	if not old:
		raise AssertionError("the demo made no statement")
	for name, values in old.items():
		if not values["pdf_file"]:
			continue
		path = frappe.get_doc("File", {"file_url": values["pdf_file"]}).get_full_path()
		if not os.path.exists(path):
			raise AssertionError(f"{name}: {path} is missing")


def _check_old_names(names: list[str]) -> None:
	now = {str(n) for n in frappe.get_all("HD Ticket", pluck="name")}
	missing = [n for n in names if n not in now]
	if missing:
		raise AssertionError(f"{len(missing)} tickets lost their names: {missing[:5]}")
	doc = frappe.get_doc("HD Ticket", names[-1])
	_equal(helpdesk_compat.ticket_name(doc.name), names[-1], "an old ticket read by its name")


def _check_scan() -> None:
	from smo_extension.sla import jobs

	before = frappe.db.count("SMO Ticket SLA")
	jobs.scan_due_clocks(inline=True)
	_equal(frappe.db.count("SMO Ticket SLA"), before, "clock rows after the scan")


def _check_reports() -> None:
	from frappe.desk.query_report import run

	from smo_extension.tests.test_pages import report_module
	from smo_extension.tests.test_pages import required_filters

	judging = frappe.get_all(
		"SMO Service Level Agreement",
		filters={"status": "Active", "agreement_type": ("in", ("SLA", "OLA"))},
		pluck="name",
		limit=1,
	)
	for report in contract.REPORTS:
		filters = required_filters(report_module(report))
		if "agreement" in filters:  # the what-if replays an agreement that judges tickets
			filters["agreement"] = judging[0]
		answer = run(report, filters=filters)
		if "result" not in answer:
			raise AssertionError(f"{report}: {answer}")


def _open_ticket_with_sla():
	from smo_extension.sla.ticket import clocks_with_tickets

	query, s, t = clocks_with_tickets()
	rows = (
		query.select(s.ticket)
		.where((s.is_running == 1) & (s.agreement_type == "SLA") & (t.status == "Open"))
		.where(s.resolution_state.isin(["Running", "At Risk"]))
		.limit(1)
		.run(pluck=True)
	)
	if not rows:
		raise AssertionError("no open ticket with a running SLA clock")
	return frappe.get_doc("HD Ticket", rows[0])


def _check_save() -> None:
	doc = _open_ticket_with_sla()
	paused = frappe.get_all("HD Ticket Status", filters={"category": "Paused"}, pluck="name", limit=1)
	doc.status = paused[0] if paused else "Paused"
	doc.save(ignore_permissions=True)
	states = frappe.get_all(
		"SMO Ticket SLA", filters={"ticket": doc.name, "agreement_type": "SLA"}, pluck="resolution_state"
	)
	_equal(states, ["Paused"], f"the SLA clock of ticket {doc.name} after it waits on the customer")


def _check_onboarding() -> None:
	from smo_extension.setup.onboarding import refresh

	steps = refresh()
	_equal(steps, dict.fromkeys(steps, True), "the onboarding steps")
	_equal(frappe.db.get_value("Module Onboarding", "SMO", "is_complete"), 1, "the onboarding")


def _check_new_ticket() -> None:
	model = _open_ticket_with_sla()
	doc = frappe.get_doc(
		{
			"doctype": "HD Ticket",
			"subject": "After the upgrade",
			"description": "Raised by the upgrade journey.",
			"raised_by": model.raised_by or "customer@example.com",
			"customer": model.customer,
			"ticket_type": model.ticket_type,
			"agent_group": model.agent_group,
			"priority": model.priority,
			"smo_service": model.smo_service,
		}
	).insert(ignore_permissions=True)
	if not isinstance(doc.name, str):
		raise AssertionError(f"the new ticket is named {doc.name!r}, not text")
	clocks = frappe.get_all("SMO Ticket SLA", filters={"ticket": doc.name}, pluck="agreement")
	if not clocks:
		raise AssertionError(f"the new ticket {doc.name} has no clock")
	print(f"  new ticket {doc.name!r} has clocks of {clocks}")
