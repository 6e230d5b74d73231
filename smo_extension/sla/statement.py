"""The customer's monthly SLA statement: what it says, its PDF, who receives it.

`generate(customer, month)` computes the statement's content from the customer's SLA clocks (never an OLA or a
UC: internal figures stay internal) into a JSON snapshot on an *SMO SLA Statement*, renders it with the print
format of the same name through Frappe's own print/PDF, and keeps the PDF as a File attached to the statement and
to the customer (regenerating a month replaces both). `send(statement)` e-mails it to the customer's contacts
through the Email Queue; a customer without contacts is marked "No Contacts" (counted on the SMO workspace).
`send_monthly_statements` (daily) does both for every customer who opted in, on the first working day of the month.

The arithmetic and the words of each breach come from the pure engine (`engine.statement`, `engine.replay`).
"""

from __future__ import annotations

import json
import logging
import os
import re
from datetime import date
from datetime import datetime
from datetime import timedelta
from functools import partial

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.query_builder.functions import Sum
from frappe.utils import getdate
from frappe.utils import now_datetime
from pypika.terms import Case

from smo_extension import erpnext_compat
from smo_extension import helpdesk_compat
from smo_extension import scaleout
from smo_extension.engine.calendar import BusinessCalendar
from smo_extension.engine.clock import evaluate_clock
from smo_extension.engine.compliance import compliance_percent
from smo_extension.engine.replay import response_timeline
from smo_extension.engine.replay import status_timeline
from smo_extension.engine.statement import MonthError
from smo_extension.engine.statement import Words
from smo_extension.engine.statement import describe_breach
from smo_extension.engine.statement import first_working_day
from smo_extension.engine.statement import format_duration
from smo_extension.engine.statement import last_months
from smo_extension.engine.statement import month_range
from smo_extension.engine.statement import parse_month
from smo_extension.query import fields
from smo_extension.sla import ticket as ticket_sla
from smo_extension.sla.config import get_config

STATEMENT = "SMO SLA Statement"
PRINT_FORMAT = "SMO SLA Statement"
OPT_IN_FIELD = "smo_monthly_statement"
TREND_MONTHS = 6
MAX_BREACHES = 200
METRICS = ("response", "resolution")
GENERATED, SENT, NO_CONTACTS = "Generated", "Sent", "No Contacts"
QUEUED = "Queued"  # what the daily job answers for a customer whose statement it handed to a worker
MONTH_NAMES = tuple(
	"January February March April May June July August September October November December".split()
)


class SMOStatementError(frappe.ValidationError):
	pass


class SMOStatementMonthError(SMOStatementError):
	"""The month is not YYYY-MM, or it has not begun yet."""


class SMOStatementNoContactsError(SMOStatementError):
	"""The customer has no contact with an e-mail address."""


# ------------------------------------------------------------------------------------------- inputs
def check_month(month: str, now: datetime | None = None) -> date:
	"""The first day of `month` (YYYY-MM), which must have begun; translated errors otherwise."""
	try:
		first = parse_month(month)
	except MonthError:
		frappe.throw(
			_("Month {0} is not a month: write it as YYYY-MM, e.g. 2026-03.").format(frappe.bold(str(month))),
			SMOStatementMonthError,
			title=_("Invalid month"),
		)
	today = getdate(now or now_datetime())
	if first > today:
		frappe.throw(
			_("Month {0} has not begun yet: a statement covers a past or the current month.").format(
				frappe.bold(month)
			),
			SMOStatementMonthError,
			title=_("Invalid month"),
		)
	return first


def check_customer(customer: str) -> str:
	if not customer or not frappe.db.exists("HD Customer", customer):
		frappe.throw(
			_("Customer {0} does not exist.").format(frappe.bold(str(customer or ""))),
			frappe.DoesNotExistError,
		)
	return customer


def month_label(first: date) -> str:
	return f"{_(MONTH_NAMES[first.month - 1])} {first.year}"


def words() -> Words:
	"""The engine's templates, translated."""
	return Words(
		opened=_("opened {0}"),
		waited=_("waited on you {0}"),
		answered=_("first answer {0}"),
		resolved=_("resolved {0}"),
		reopened=_("reopened {0}"),
		still_open=_("still open at {0}"),
		unanswered=_("no answer by {0}"),
		over=_("{0} over the {1} target"),
		hours_minutes=_("{0} h {1} min"),
		hours=_("{0} h"),
		minutes=_("{0} min"),
		weekdays=tuple(_(d) for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")),
		months=tuple(
			_(m) for m in ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
		),
	)


# ------------------------------------------------------------------------------------------- content
@scaleout.heavy_read
def build_snapshot(customer: str, first: date, now: datetime | None = None) -> dict:
	"""Everything the statement shows, as plain JSON-able values. Only SLA clocks are read."""
	now_naive = now or now_datetime()
	start, end = month_range(first)
	until = min(ticket_sla.aware(datetime.combine(end, datetime.min.time())), ticket_sla.aware(now_naive))
	lang = words()
	s = frappe.qb.DocType("SMO Ticket SLA")
	of_customer = (s.customer == customer) & (s.agreement_type == "SLA")

	# compliance per service and agreement in the month
	rows = (
		frappe.qb.from_(s)
		.select(
			s.service,
			s.agreement,
			*(expr for metric in METRICS for expr in counts(s, metric, start, end, metric)),
		)
		.where(of_customer)
		.groupby(s.service, s.agreement)
		.run(as_dict=True)
	)
	rows = [r for r in rows if any(r[f"{m}_met"] or r[f"{m}_breached"] for m in METRICS)]
	judged = {r.agreement for r in rows}
	services = customer_services(customer) | {r.service for r in rows if r.service}
	agreements = customer_agreements(customer, services, judged)
	service_names = dict(
		frappe.get_all(
			"SMO Service",
			filters={"name": ("in", list(services) or [""])},
			fields=["name", "service_name"],
			as_list=True,
		)
	)

	def by_name(service: str) -> str:
		return (service_names.get(service) or service).casefold()

	compliance_rows, totals = [], {m: [0, 0] for m in METRICS}
	for service in sorted(services, key=by_name):
		service_rows = [r for r in rows if r.service == service]
		applicable = [a for a in agreements if a["service"] == service]
		judged_here = [a for a in applicable if a["name"] in {r.agreement for r in service_rows}]
		targets = [a["compliance_target"] for a in (judged_here or applicable) if a["compliance_target"]]
		target = max(targets) if targets else None
		for metric in METRICS:
			met = sum(int(r[f"{metric}_met"] or 0) for r in service_rows)
			breached = sum(int(r[f"{metric}_breached"] or 0) for r in service_rows)
			totals[metric][0] += met
			totals[metric][1] += breached
			percent = compliance_percent(met, breached)
			compliance_rows.append(
				{
					"service": service,
					"service_name": service_names.get(service) or service,
					"metric": metric,
					"metric_label": _("Response") if metric == "response" else _("Resolution"),
					"met": met,
					"breached": breached,
					"compliance": round(percent, 1) if percent is not None else None,
					"target": target,
					"verdict": verdict(percent, target),
				}
			)

	tickets = customer_tickets(customer, start, end)
	breaches, more = breach_lines(customer, first, until, agreements, lang)
	overall = {m: compliance_percent(*totals[m]) for m in METRICS}
	return {
		"customer": customer,
		"month": f"{first:%Y-%m}",
		"month_label": month_label(first),
		"in_progress": ticket_sla.aware(now_naive)
		< ticket_sla.aware(datetime.combine(end, datetime.min.time())),
		"until": str(ticket_sla.naive(until))[:16],
		"tickets": int(tickets or 0),
		"judged": sum(sum(v) for v in totals.values()),
		"overall": {m: round(v, 1) if v is not None else None for m, v in overall.items()},
		"services": [
			{
				"service": service,
				"service_name": service_names.get(service) or service,
				"agreements": [a for a in agreements if a["service"] == service],
				"priorities": priorities([a for a in agreements if a["service"] == service]),
			}
			for service in sorted(services, key=by_name)
		],
		"compliance": compliance_rows,
		"breaches": breaches,
		"more_breaches": more,
		"trend": trend(customer, first),
	}


def counts(s, metric: str, start: date, end: date, prefix: str) -> list:
	"""met and breached clocks of `metric` in [start, end), as SQL sums (DOMAIN.md's compliance)."""
	state, stopped, breached_at = s[f"{metric}_state"], s[f"{metric}_stopped_at"], s[f"{metric}_breached_at"]
	met = Sum(Case().when((state == "Met") & (stopped >= str(start)) & (stopped < str(end)), 1).else_(0))
	breached = Sum(Case().when((breached_at >= str(start)) & (breached_at < str(end)), 1).else_(0))
	return [met.as_(f"{prefix}_met"), breached.as_(f"{prefix}_breached")]


def priorities(agreements: list[dict]) -> list[str]:
	"""The priorities the agreements have targets for, in the order they list them."""
	seen: list[str] = []
	for agreement in agreements:
		for target in agreement["targets"]:
			if target["priority"] not in seen:
				seen.append(target["priority"])
	return seen


def verdict(percent: float | None, target: float | None) -> str:
	if percent is None:
		return _("No data")
	if target is None:
		return _("No target")
	return _("Met") if percent >= target else _("Below target")


def customer_services(customer: str) -> set[str]:
	"""The live services (lifecycle stage Catalog) the catalog lists for the customer."""
	service = frappe.qb.DocType("SMO Service")
	link = frappe.qb.DocType("SMO Service Customer")
	rows = (
		frappe.qb.from_(link)
		.join(service)
		.on(service.name == link.parent)
		.select(link.parent)
		.where(
			(link.parenttype == "SMO Service")
			& (link.customer == customer)
			& (service.lifecycle_stage == "Catalog")
		)
		.run()
	)
	return {r[0] for r in rows}


def customer_agreements(customer: str, services: set[str], judged: set[str]) -> list[dict]:
	"""The SLAs that apply to the customer: their own and the general ones of their services, Active or
	having judged a clock of the month (a hypercare SLA only then). OLAs and UCs never."""
	a = frappe.qb.DocType("SMO Service Level Agreement")
	customer_condition = (a.customer == customer) | a.customer.isnull() | (a.customer == "")
	scope = a.service.isin(list(services) or [""]) | (a.customer == customer)
	in_use = ((a.status == "Active") & (a.is_hypercare == 0)) | a.name.isin(list(judged) or [""])
	rows = (
		frappe.qb.from_(a)
		.select(*fields(a, "name service customer is_hypercare compliance_target calendar status"))
		.where((a.agreement_type == "SLA") & customer_condition & scope & in_use)
		.orderby(a.service)
		.orderby(a.name)
		.run(as_dict=True)
	)
	targets: dict[str, list] = {}
	lang = words()
	for row in frappe.get_all(
		"SMO Agreement Target",
		filters={
			"parenttype": "SMO Service Level Agreement",
			"parent": ("in", [r.name for r in rows] or [""]),
		},
		fields=["parent", "priority", "response_minutes", "resolution_minutes", "idx"],
		order_by="idx asc",
	):
		targets.setdefault(row.parent, []).append(
			{
				"priority": row.priority,
				"priority_label": _(row.priority),
				"response": format_duration(row.response_minutes * 60, lang),
				"resolution": format_duration(row.resolution_minutes * 60, lang)
				if row.resolution_minutes
				else _("no resolution target"),
			}
		)
	return [
		{
			"name": r.name,
			"service": r.service,
			"own": bool(r.customer),
			"is_hypercare": bool(r.is_hypercare),
			"compliance_target": float(r.compliance_target or 0) or None,
			"calendar": r.calendar,
			"targets": targets.get(r.name, []),
		}
		for r in rows
	]


def customer_tickets(customer: str, start: date, end: date) -> int:
	"""The customer's tickets opened in [start, end): its HD Tickets and, where ERPNext is installed, the Issues
	of the ERPNext Customer that is the same customer (`erpnext_compat.erpnext_customers`)."""
	count = 0
	for doctype, names in (
		(ticket_sla.HD_TICKET, [customer]),
		(ticket_sla.ISSUE, erpnext_compat.erpnext_customers(customer)),
	):
		if not names:
			continue
		t = frappe.qb.DocType(doctype)
		count += (
			(
				frappe.qb.from_(t)
				.select(Count("*"))
				.where(t.customer.isin(names) & (t.creation >= str(start)) & (t.creation < str(end)))
				.run()[0][0]
			)
			or 0
		)
	return count


def breach_lines(
	customer: str, first: date, until: datetime, agreements: list[dict], lang: Words
) -> tuple[list[dict], int]:
	"""The month's breached SLA clocks, each with its timeline in words (the engine replays the ticket's event
	log up to the clock's stop or `until` for the business time over target). Returns (lines, how many more)."""
	start, end = month_range(first)
	month_over = ticket_sla.naive(until) >= datetime.combine(end, datetime.min.time())
	until_label = _("the end of {0}").format(month_label(first)) if month_over else None
	rows = []
	for doctype in erpnext_compat.ticket_doctypes():
		base, s, t = ticket_sla.clocks_with_tickets(doctype)
		in_month = (s.response_breached_at >= str(start)) & (s.response_breached_at < str(end))
		in_month |= (s.resolution_breached_at >= str(start)) & (s.resolution_breached_at < str(end))
		rows += (
			base.select(
				*fields(
					s,
					"ticket_doctype ticket agreement service priority opened_at response_breached_at resolution_breached_at response_target_minutes resolution_target_minutes",
				),
				t.subject,
				t.first_responded_on,
			)
			.where((s.customer == customer) & (s.agreement_type == "SLA") & in_month)
			.run(as_dict=True)
		)
	items = []
	for row in rows:
		for metric in METRICS:
			breached_at = row[f"{metric}_breached_at"]
			if breached_at and str(start) <= str(breached_at) < str(end):
				items.append((breached_at, metric, row))
	items.sort(key=lambda item: (item[0], str(item[2].ticket), item[1]))
	shown, more = items[:MAX_BREACHES], max(len(items) - MAX_BREACHES, 0)
	events: dict = {}
	for doctype in {row.ticket_doctype for _at, _m, row in shown}:
		events.update(
			ticket_sla.load_events(
				sorted({str(row.ticket) for _at, _m, row in shown if row.ticket_doctype == doctype}),
				doctype=doctype,
			)
		)
	config = get_config()
	calendars = {a["name"]: a["calendar"] for a in agreements}
	zone = ticket_sla.site_zone()
	lines = []
	for breached_at, metric, row in shown:
		ticket_events = events.get(str(row.ticket), [])
		opened = ticket_sla.aware(row.opened_at)
		first_response = ticket_sla.aware(row.first_responded_on)
		target = (row[f"{metric}_target_minutes"] or 0) * 60.0
		calendar = agreement_calendar(config, calendars.get(row.agreement))
		timeline = status_timeline(opened, ticket_events, until)
		if metric == "response":
			timeline = response_timeline(
				timeline, first_response if first_response and first_response <= until else None
			)
		elapsed = evaluate_clock(timeline, target_seconds=target, calendar=calendar, now=until).elapsed
		lines.append(
			{
				"ticket": str(row.ticket),
				"subject": row.subject,
				"service": row.service,
				"priority": _(row.priority) if row.priority else "",
				"metric": _("Response") if metric == "response" else _("Resolution"),
				"breached_at": str(breached_at)[:16],
				"opened": f"{opened.astimezone(zone).day} {lang.months[opened.astimezone(zone).month - 1]}",
				"words": describe_breach(
					metric=metric,
					opened_at=opened,
					events=ticket_events,
					first_response_at=first_response,
					target_seconds=target,
					elapsed_seconds=elapsed,
					until=until,
					zone=zone,
					words=lang,
					until_label=until_label,
				),
			}
		)
	return lines, more


def agreement_calendar(config, calendar: str | None) -> BusinessCalendar:
	found = config.calendars.get(calendar or config.default_calendar or "")
	return found or BusinessCalendar.always(frappe.utils.get_system_timezone())


def trend(customer: str, first: date) -> list[dict]:
	"""Response and resolution compliance of each of the last months (the statement's one included), in one
	query."""
	months = last_months(first, TREND_MONTHS)
	s = frappe.qb.DocType("SMO Ticket SLA")
	columns = []
	for index, month in enumerate(months):
		start, end = month_range(month)
		for metric in METRICS:
			columns += counts(s, metric, start, end, f"m{index}_{metric}")
	(row,) = frappe.qb.from_(s).select(*columns).where(
		(s.customer == customer) & (s.agreement_type == "SLA")
	).run(as_dict=True) or [{}]
	out = []
	for index, month in enumerate(months):
		entry = {"month": f"{month:%Y-%m}", "label": month_label(month)}
		for metric in METRICS:
			met = int(row.get(f"m{index}_{metric}_met") or 0)
			breached = int(row.get(f"m{index}_{metric}_breached") or 0)
			percent = compliance_percent(met, breached)
			entry[metric] = round(percent, 1) if percent is not None else None
			entry[f"{metric}_count"] = met + breached
		out.append(entry)
	return out


# ------------------------------------------------------------------------------------------- the record
def statement_name(customer: str, month: str) -> str:
	return f"{customer} {month}"


def generate(customer: str, month: str, now: datetime | None = None) -> frappe.model.document.Document:
	"""Compute, save and render the customer's statement of `month`; replaces an earlier one of that month.
	Inputs are checked first: nothing is written for a bad month or an unknown customer."""
	first = check_month(month, now)
	check_customer(customer)
	snapshot = build_snapshot(customer, first, now)
	name = statement_name(customer, snapshot["month"])
	if frappe.db.exists(STATEMENT, name):
		doc = frappe.get_doc(STATEMENT, name)
	else:
		doc = frappe.new_doc(STATEMENT)
		doc.customer, doc.month = customer, snapshot["month"]
	doc.update(
		{
			"status": GENERATED,
			"generated_on": now or now_datetime(),
			"sent_on": None,
			"recipients": None,
			"tickets": snapshot["tickets"],
			"breaches": len(snapshot["breaches"]) + snapshot["more_breaches"],
			"response_compliance": snapshot["overall"]["response"],
			"resolution_compliance": snapshot["overall"]["resolution"],
			"snapshot": json.dumps(snapshot, default=str),
			# set again once the new PDF is attached: saved with the old URL, Frappe would first attach a
			# copy of the old PDF to the statement (what it does for every Attach field)
			"pdf_file": None,
		}
	)
	doc.flags.ignore_permissions = True
	doc.save()
	attach_pdf(doc, render_pdf(doc))
	return doc


def render_pdf(doc) -> bytes:
	"""Frappe's print view of the statement through Frappe's PDF (wkhtmltopdf), with the print stylesheets
	inlined: the worker then never fetches its own site over HTTP (which fails wherever the site's host name
	does not resolve from the server itself)."""
	import cssutils
	from frappe.utils.pdf import get_pdf

	html = inline_stylesheets(render(doc))
	# Frappe reads the page margins from the <style> tags with cssutils, which complains about every modern
	# property of the print stylesheet: quiet while it reads ours
	level = cssutils.log.getEffectiveLevel()
	cssutils.log.setLevel(logging.CRITICAL)
	try:
		return get_pdf(html)
	finally:
		cssutils.log.setLevel(level)


def render(doc) -> str:
	"""The statement through its print format. The system renders it for whoever asked to generate it, so
	print permissions are not asked again."""
	previous = frappe.flags.ignore_print_permissions
	frappe.flags.ignore_print_permissions = True
	try:
		return frappe.get_print(STATEMENT, doc.name, print_format=PRINT_FORMAT, doc=doc, no_letterhead=1)
	finally:
		frappe.flags.ignore_print_permissions = previous


STYLESHEET = re.compile(r"""<link\b[^>]*\bhref=["'](/assets/[^"'?#]+\.css)[^"']*["'][^>]*>""", re.IGNORECASE)


def inline_stylesheets(html: str) -> str:
	"""`<link href="/assets/....css">` -> the stylesheet's text from the site's assets folder."""
	assets = os.path.realpath(os.path.join(frappe.local.sites_path, "assets"))

	def inline(match) -> str:
		path = os.path.realpath(os.path.join(frappe.local.sites_path, match.group(1).lstrip("/")))
		if not path.startswith(assets + os.sep) or not os.path.isfile(path):
			return ""
		with open(path, encoding="utf-8") as stylesheet:
			return f"<style>{stylesheet.read()}</style>"

	return STYLESHEET.sub(inline, html)


def file_name(doc) -> str:
	return f"SLA Statement {doc.customer} {doc.month}.pdf".replace("/", "-")


def attach_pdf(doc, pdf: bytes) -> str:
	"""The PDF as a private File attached to the statement and to the customer; the previous PDF of the
	month goes. The new file is written first; the old File rows go in the same transaction and their bytes
	leave the disk only once it commits (`remove_files`), so a rollback anywhere later in the request or job
	leaves the old statement whole (and Frappe removes the new file's bytes on that rollback)."""
	old = files_of(doc)
	url = None
	for doctype, name in ((STATEMENT, doc.name), ("HD Customer", doc.customer)):
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": file_name(doc),
				"attached_to_doctype": doctype,
				"attached_to_name": name,
				"is_private": 1,
				"content": pdf,
			}
		)
		file.flags.ignore_permissions = True
		file.insert()
		written().append(file)
		url = url or file.file_url
	doc.db_set("pdf_file", url, update_modified=False)
	remove_files(doc, old)
	return url


def written() -> list:
	"""The Files this request or job wrote, for `drop_orphans` (a full rollback makes Frappe remove a new
	File's bytes; a rollback to a savepoint does not)."""
	if getattr(frappe.local, "smo_written_files", None) is None:
		frappe.local.smo_written_files = []
	return frappe.local.smo_written_files


def drop_orphans() -> int:
	"""After a rollback to a savepoint: the bytes of the Files written since whose rows are gone. Returns how
	many files were removed from the disk."""
	removed = 0
	for file in written():
		if not frappe.db.exists("File", file.name) and not frappe.db.exists(
			"File", {"file_url": file.file_url}
		):
			file.delete_file_data_content()
			removed += 1
	frappe.local.smo_written_files = []
	return removed


def files_of(doc) -> list[str]:
	"""The Files of the statement's PDF, on the statement and on the customer. Frappe names a new file after the
	one it replaces with a suffix while the old one is still on disk ("SLA Statement Acme 2026-03a1b2c3.pdf"),
	so they are found by their attachment and the start of their name; the download is always named
	`file_name(doc)`."""
	return [
		f.name
		for doctype, name in ((STATEMENT, doc.name), ("HD Customer", doc.customer))
		for f in attached_pdfs(doc, doctype, name)
	]


def attached_pdfs(doc, doctype: str, name: str) -> list:
	"""The statement's PDF Files attached to `doctype` `name`, oldest first, with their URLs."""
	stem = file_name(doc).removesuffix(".pdf")
	return frappe.get_all(
		"File",
		filters={
			"attached_to_doctype": doctype,
			"attached_to_name": name,
			"file_name": ("like", f"{stem}%.pdf"),
		},
		fields=["name", "file_url"],
		order_by="creation asc",
	)


def remove_files(doc, files: list[str] | None = None) -> None:
	"""Delete the statement's PDF Files (`files`, else all of them) so that a rollback undoes it: the rows go
	now, as Frappe deletes a File (with its "Attachment Removed" note on the record), but the bytes stay on
	disk until the transaction commits. Frappe's own File deletion removes them at once, which no rollback
	can bring back."""
	for name in files_of(doc) if files is None else files:
		file = frappe.get_doc("File", name)
		frappe.delete_doc("File", name, ignore_permissions=True, force=True, ignore_on_trash=True)
		file.add_comment_in_reference_doc("Attachment Removed", file.file_name)
		frappe.db.after_commit.add(partial(delete_bytes, file.as_dict()))


def delete_bytes(values: dict) -> None:
	"""After the commit: a deleted File's bytes, unless the row is there again (a rollback to a savepoint
	brought it back) or another File row still has the same content (Frappe's own rule for shared files)."""
	if frappe.db.exists("File", values["name"]):
		return
	file = frappe.get_doc(values)
	file._delete_file_on_disk()


def statement_file(doc) -> str | None:
	"""The statement's own File of its current PDF (the one `pdf_file` names)."""
	url = frappe.db.get_value(STATEMENT, doc.name, "pdf_file")
	files = attached_pdfs(doc, STATEMENT, doc.name)
	current = [f for f in files if f.file_url == url] or files[-1:]
	return current[0].name if current else None


# ------------------------------------------------------------------------------------------- sending
def contacts_of(customer: str) -> list[str]:
	"""E-mail addresses of the customer's contacts, in whichever model the Helpdesk release keeps them."""
	return helpdesk_compat.customer_contacts(customer)


def send(doc, now: datetime | None = None) -> str:
	"""Queue the statement to the customer's contacts (Email Queue, the PDF attached). Without contacts the
	statement is marked No Contacts and nothing is queued. Returns the new status."""
	recipients = contacts_of(doc.customer)
	if not recipients:
		doc.db_set({"status": NO_CONTACTS, "recipients": None, "sent_on": None})
		return NO_CONTACTS
	file = statement_file(doc)
	if not file:
		frappe.throw(_("Statement {0} has no PDF: generate it again.").format(doc.name), SMOStatementError)
	snapshot = json.loads(doc.snapshot or "{}")
	from frappe.email.doctype.email_account.email_account import EmailAccount

	if not EmailAccount.find_outgoing(match_by_doctype=STATEMENT):
		frappe.throw(
			_("No outgoing e-mail account is set up: add a default outgoing Email Account, then send again."),
			SMOStatementError,
			title=_("E-mail not set up"),
		)
	frappe.sendmail(
		recipients=recipients,
		subject=_("Your SLA statement for {0}").format(snapshot.get("month_label") or doc.month),
		message=_(
			"<p>Dear customer,</p><p>attached is the statement of how our service levels were kept for {0} "
			"in {1}: compliance per service against the agreed targets, each breach explained, and the "
			"trend of the last six months.</p>"
		).format(frappe.bold(doc.customer), snapshot.get("month_label") or doc.month),
		attachments=[{"fid": file}],
		reference_doctype=STATEMENT,
		reference_name=doc.name,
		now=False,
	)
	doc.db_set({"status": SENT, "recipients": "\n".join(recipients), "sent_on": now or now_datetime()})
	return SENT


# ------------------------------------------------------------------------------------------- the daily job
def opted_in_customers() -> list[str]:
	return frappe.get_all("HD Customer", filters={OPT_IN_FIELD: 1}, pluck="name", order_by="name asc")


def send_monthly_statements(on: date | None = None) -> dict[str, str]:
	"""Daily: on the first working day of the month (the default calendar of SMO Settings; Mon-Fri when there
	is none), the previous month's statement of each customer who opted in is generated and e-mailed.
	Statements of that month already sent are left alone. The customers go to the long queue in chunks
	(`statement_chunk`). Returns customer -> "Queued" (in tests, where the chunks run here: customer -> status)."""
	from smo_extension.settings import get_settings
	from smo_extension.settings import is_enabled

	if not is_enabled():
		return {}
	on = getdate(on or now_datetime())
	calendar = get_config().calendars.get(get_settings().default_calendar or "")
	if calendar is None:
		calendar = BusinessCalendar("UTC", {day: [("09:00", "17:00")] for day in range(5)})
	if first_working_day(calendar, on) != on:
		return {}
	month = f"{(on.replace(day=1) - timedelta(days=1)):%Y-%m}"
	customers = opted_in_customers()
	if scaleout.inline_jobs():
		return statement_chunk(customers, month)
	from smo_extension.sla.jobs import enqueue_in_chunks

	enqueue_in_chunks("smo_extension.sla.statement.statement_chunk", "customers", customers, month=month)
	return dict.fromkeys(customers, QUEUED)


def statement_chunk(customers: list[str], month: str) -> dict[str, str]:
	"""The statements of `month` of a chunk of customers (a job on the long queue); customer -> status, without
	the customers whose statement was sent already."""
	results = {}
	for customer in customers:
		status = customer_statement(customer, month)
		if status is not None:
			results[customer] = status
	return results


def customer_statement(customer: str, month: str) -> str | None:
	"""Generate and send one customer's statement, unless it was sent already (None). Two workers given the same
	customer take turns on its row lock, held until the statement is sent: the second finds it sent."""
	c = frappe.qb.DocType("HD Customer")
	frappe.qb.from_(c).select(c.name).where(c.name == customer).for_update().run()
	name = statement_name(customer, month)
	if frappe.db.get_value(STATEMENT, name, "status", for_update=True) == SENT:
		return None
	status = guarded(customer, month, lambda: generate(customer, month), "generate", commit=False)
	if status == "Error":
		if not frappe.flags.in_test:
			frappe.db.commit()  # nosemgrep: the error log stays, the lock goes
		return status
	doc = frappe.get_doc(STATEMENT, name)
	# a statement that could not be e-mailed stays Generated (and in the Error Log): it is kept
	return guarded(customer, month, lambda: send(doc), "send")


def guarded(customer: str, month: str, step, what: str, commit: bool = True) -> str:
	"""One customer's step in a savepoint: a failure is logged for that customer and the others go on;
	committed after the step outside tests (with `commit`)."""
	frappe.db.savepoint("smo_statement")
	try:
		result = step()
	except Exception:
		frappe.db.rollback(save_point="smo_statement")
		drop_orphans()
		title = (
			_("SLA statement of {0} for {1} could not be generated")
			if what == "generate"
			else _("SLA statement of {0} for {1} could not be e-mailed")
		)
		frappe.log_error(
			title=title.format(customer, month), reference_doctype="HD Customer", reference_name=customer
		)
		return "Error"
	frappe.local.smo_written_files = []
	if commit and not frappe.flags.in_test:
		frappe.db.commit()  # nosemgrep: each customer's statement stays when a later one fails
	return result.status if hasattr(result, "status") else result
