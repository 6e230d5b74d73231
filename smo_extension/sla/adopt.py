"""From Helpdesk's own SLAs to the SMO: preview, import, compare, switch over (the site half; the pure half is
`smo_extension.engine.hd_import`).

- **Import** never writes to Helpdesk's records. Each enabled HD Service Level Agreement becomes an SMO Business
  Calendar and SMO agreements of type SLA (Draft unless `activate`); the default SLA is the general agreement
  of the chosen service (or a new "Customer Support"), reached by a catch-all mapping rule; an SLA whose
  condition names only customers becomes customer-specific agreements of that service; one whose condition
  names ticket types or teams (with or without customers) gets a service of its own and mapping rules. Every
  record remembers its source (`imported_from`) and what it was made from (`import_fingerprint`): importing
  again creates nothing, and updates what changed in Helpdesk. Mapping rules stay disabled until the switch.
- **Verdicts**: while the SMO does not drive a ticket's Helpdesk SLA fields, the import records what Helpdesk
  said there (SMO Helpdesk Verdict), so the comparison survives the switch-over.
- **Compare**: the tickets of the last 90 days replayed with the imported agreements (in memory, as the what-if
  does), beside Helpdesk's verdicts.
- **Switch over**: the imported agreements become Active, their rules enabled, and every ticket gets its events
  and clocks in chunks on the long queue (any number of workers), with a progress bar for the person who
  switched and a comment on SMO Settings with who, when and the counts.
"""

from __future__ import annotations

import time
from datetime import datetime

import frappe
from frappe import _
from frappe.utils import add_days
from frappe.utils import get_datetime
from frappe.utils import getdate
from frappe.utils import now_datetime
from frappe.utils import today

from smo_extension import helpdesk_compat
from smo_extension.engine import hd_import
from smo_extension.engine.replay import PRIORITY
from smo_extension.engine.replay import STATUS
from smo_extension.engine.replay import AgreementSpec
from smo_extension.engine.replay import evaluate_ticket
from smo_extension.query import insert_rows
from smo_extension.settings import drives_helpdesk_sla
from smo_extension.settings import get_settings
from smo_extension.sla import ticket as ticket_sla
from smo_extension.sla.config import agreement_values
from smo_extension.sla.config import build_calendar
from smo_extension.sla.config import clear_config_cache
from smo_extension.sla.config import get_config
from smo_extension.sla.config import make_spec
from smo_extension.sla.config import target_seconds
from smo_extension.sla.jobs import history_events

SOURCE = "HD Service Level Agreement/"
SERVICE = "SMO Service"
AGREEMENT = "SMO Service Level Agreement"
CALENDAR = "SMO Business Calendar"
RULE = "SMO Service Mapping Rule"
VERDICT = "SMO Helpdesk Verdict"
DEFAULT_SERVICE_CODE = "CUSTOMER-SUPPORT"
COMPARE_DAYS = 90
CHUNK = 1000
# the catch-all rule of the default SLA comes after every rule made here by hand
CATCH_ALL_SEQUENCE = 9000
RULES_SEQUENCE = 8000
MAX_DIFFERENCES = 500


class SMOImportError(frappe.ValidationError):
	pass


# ------------------------------------------------------------------------------------------- plans
def plans() -> list[hd_import.SLAPlan]:
	"""What importing each enabled Helpdesk SLA makes (or why it cannot)."""
	first_day = first_ticket_day()
	lists: dict[str, dict | None] = {}
	out = []
	for sla in helpdesk_compat.helpdesk_slas():
		name = sla.get("holiday_list")
		if name not in lists:
			lists[name] = helpdesk_compat.holiday_list(name)
		plan = hd_import.plan(sla, lists[name], first_day)
		check_names(plan)
		out.append(plan)
	return out


def first_ticket_day() -> str:
	"""Valid From of an SLA without a start date: the day of the oldest ticket (Helpdesk applied it to every
	ticket), or today on a site without tickets."""
	t = frappe.qb.DocType("HD Ticket")
	oldest = frappe.qb.from_(t).select(t.creation).orderby(t.creation).limit(1).run()
	return str(getdate(oldest[0][0])) if oldest else today()


def check_names(plan: hd_import.SLAPlan) -> None:
	"""Customers, ticket types, teams and priorities the plan names must exist on the site."""
	missing = []
	for customer in plan.customers:
		if not frappe.db.exists("HD Customer", customer):
			missing.append(("HD Customer", customer))
	for alternative in plan.rules:
		for key, doctype in (
			("customer", "HD Customer"),
			("ticket_type", "HD Ticket Type"),
			("team", "HD Team"),
		):
			if alternative.get(key) and not frappe.db.exists(doctype, alternative[key]):
				missing.append((doctype, alternative[key]))
	for priority, _response, _resolution in plan.targets:
		if not frappe.db.exists("HD Ticket Priority", priority):
			missing.append(("HD Ticket Priority", priority))
	absent = sorted(
		set(frappe.get_all("HD Ticket Priority", pluck="name"))
		- {priority for priority, _r, _s in plan.targets}
	)
	if absent and plan.targets and not plan.default:
		plan.problems.append(
			hd_import.Problem(
				_(
					"It has no target for {0}: Helpdesk applies its default SLA to those tickets; the imported "
					"agreement judges none of them and stays Draft at the switch-over until it has every priority."
				),
				(", ".join(absent),),
				error=False,
			)
		)
	for doctype, name in missing:
		plan.problems.append(
			hd_import.Problem("Its condition names {0} {1}, which does not exist.", (_(doctype), name))
		)


def problem_text(problem: hd_import.Problem) -> str:
	"""A problem of the pure half in the reader's language (its templates are marked for translation there)."""
	values = [
		_(v.template).format(*v.values) if isinstance(v, hd_import.ConditionError) else v
		for v in problem.values
	]
	return _(problem.message).format(*values)


# ------------------------------------------------------------------------------------------- records
def source_of(sla: str, part: str = "") -> str:
	return f"{SOURCE}{sla}{'#' + part if part else ''}"


def imported(doctype: str, source: str) -> frappe._dict | None:
	rows = frappe.get_all(
		doctype, filters={"imported_from": source}, fields=["name", "import_fingerprint"], limit=1
	)
	return rows[0] if rows else None


def free_name(doctype: str, wanted: str) -> str:
	"""`wanted`, or with " (Helpdesk)" (and a number) when a record made here already has that name."""
	wanted = wanted.strip()[:120]
	candidates = [wanted, f"{wanted} (Helpdesk)"] + [f"{wanted} (Helpdesk {n})" for n in range(2, 50)]
	for name in candidates:
		if not frappe.db.exists(doctype, name):
			return name
	frappe.throw(_("No free name for {0} {1}.").format(_(doctype), wanted), SMOImportError)


def action_for(doctype: str, source: str, fingerprint: str) -> str:
	found = imported(doctype, source)
	if found is None:
		return "create"
	return "skip" if found.import_fingerprint == fingerprint else "update"


def agreement_parts(plan: hd_import.SLAPlan) -> list[str]:
	"""The source suffixes of the plan's agreements: one, or one per customer."""
	if plan.kind == hd_import.CUSTOMER:
		return [f"customer={c}" for c in plan.customers]
	return [""]


def combined(actions) -> str:
	"""A plan's action from its records' own: skip when all are, create when all are new, else update."""
	actions = set(actions)
	if actions == {"skip"}:
		return "skip"
	return "create" if actions == {"create"} else "update"


def plan_action(plan: hd_import.SLAPlan) -> str:
	return combined(
		[action_for(CALENDAR, source_of(plan.name), plan.fingerprint)]
		+ [
			action_for(AGREEMENT, source_of(plan.name, part), plan.fingerprint)
			for part in agreement_parts(plan)
		]
	)


def target_service(service: str | None) -> str:
	if service:
		if not frappe.db.exists(SERVICE, service):
			frappe.throw(
				_("Service {0} does not exist.").format(frappe.bold(service)), frappe.DoesNotExistError
			)
		return service
	found = imported(SERVICE, source_of("default"))
	if found:
		return found.name
	if frappe.db.exists(SERVICE, DEFAULT_SERVICE_CODE):
		return DEFAULT_SERVICE_CODE
	doc = frappe.get_doc(
		{
			"doctype": SERVICE,
			"service_name": _("Customer Support"),
			"service_code": DEFAULT_SERVICE_CODE,
			"lifecycle_stage": "Catalog",
			"status": "Live",
			"description": _("Made by Import from Helpdesk for Helpdesk's default SLA."),
			"imported_from": source_of("default"),
		}
	)
	return doc.insert(ignore_permissions=True).name


def own_service(plan: hd_import.SLAPlan) -> str:
	source = source_of(plan.name)
	found = imported(SERVICE, source)
	if found:
		return found.name
	code = "HD-" + "".join(ch if ch.isalnum() else "-" for ch in plan.name.upper()).strip("-")[:40]
	doc = frappe.get_doc(
		{
			"doctype": SERVICE,
			"service_name": plan.name,
			"service_code": free_name(SERVICE, code),
			"lifecycle_stage": "Catalog",
			"status": "Live",
			"description": _(
				"Made by Import from Helpdesk for the tickets Helpdesk's SLA {0} applied to."
			).format(plan.name),
			"imported_from": source,
		}
	)
	return doc.insert(ignore_permissions=True).name


def upsert(
	doctype: str,
	source: str,
	fingerprint: str,
	values: dict,
	name_field: str | None = None,
	wanted: str = "",
	new_only: dict | None = None,
) -> tuple:
	"""Create the record from `source` (named `wanted` in `name_field`, or by the doctype's own naming; with
	`new_only` too: values an update leaves as they are, such as a Draft status or a disabled rule), or
	update it when Helpdesk's side changed; (name, action). Child tables in `values` replace the stored ones."""
	found = imported(doctype, source)
	if found and found.import_fingerprint == fingerprint:
		return found.name, "skip"
	if found:
		doc = frappe.get_doc(doctype, found.name)
		doc.update({**values, "import_fingerprint": fingerprint})
		doc.save(ignore_permissions=True)
		return doc.name, "update"
	named = {name_field: free_name(doctype, wanted)} if name_field else {}
	doc = frappe.get_doc(
		{
			"doctype": doctype,
			**named,
			**values,
			**(new_only or {}),
			"imported_from": source,
			"import_fingerprint": fingerprint,
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name, "create"


def import_plan(plan: hd_import.SLAPlan, service: str, activate: bool, order: int) -> dict:
	made = {"calendars": [], "agreements": [], "rules": [], "actions": []}
	calendar, action = upsert(
		CALENDAR,
		source_of(plan.name),
		plan.fingerprint,
		{
			"timezone": frappe.utils.get_system_timezone(),
			"description": _("Imported from Helpdesk's SLA {0}.").format(plan.name),
			"windows": [{"weekday": w, "start_time": s, "end_time": e} for w, s, e in plan.windows],
			"holidays": [{"holiday_date": d, "description": text} for d, text in plan.holidays],
		},
		"calendar_name",
		plan.name,
	)
	made["calendars"].append(calendar)
	made["actions"].append(action)
	if plan.kind == hd_import.RULES:
		service = own_service(plan)
	compliance_target = get_settings().get("default_compliance_target") or 95
	for part, customer in zip(agreement_parts(plan), plan.customers or [None], strict=False):
		wanted = plan.name if not customer or len(plan.customers) == 1 else f"{plan.name} · {customer}"
		values = {
			"agreement_type": "SLA",
			"service": service,
			"customer": customer,
			"calendar": calendar,
			"valid_from": plan.valid_from,
			"valid_to": plan.valid_to,
			"compliance_target": compliance_target,
			"targets": [
				{"priority": p, "response_minutes": r, "resolution_minutes": s or 0}
				for p, r, s in plan.targets
			],
		}
		name, action = upsert(
			AGREEMENT,
			source_of(plan.name, part),
			plan.fingerprint,
			values,
			"agreement_name",
			wanted,
			new_only={"status": "Draft"},  # an update keeps the status the SMO Manager gave it
		)
		made["agreements"].append(name)
		made["actions"].append(action)
	alternatives = plan.rules if plan.kind == hd_import.RULES else ([{}] if plan.default else [])
	for index, alternative in enumerate(alternatives):
		source = source_of(plan.name, f"rule={index}")
		sequence = CATCH_ALL_SEQUENCE if plan.default else RULES_SEQUENCE + order * 10 + index
		values = {
			"sequence": sequence,
			"service": service,
			"ticket_type": alternative.get("ticket_type"),
			"team": alternative.get("team"),
			"customer": alternative.get("customer"),
			"catch_all": 0 if alternative else 1,
		}
		name, action = upsert(
			RULE, source, plan.fingerprint, values, new_only={"enabled": 1 if activate else 0}
		)
		made["rules"].append(name)
	return made


# ------------------------------------------------------------------------------------------- preview / import
def preview(service: str | None = None) -> dict:
	"""What an import would do, SLA by SLA, and the comparison with Helpdesk over the last 90 days."""
	out = {"slas": [], "not_imported": [], "errors": [], "counts": {"create": 0, "update": 0, "skip": 0}}
	all_plans = plans()
	for plan in all_plans:
		problems = [problem_text(p) for p in plan.problems]
		row = {
			"sla": plan.name,
			"default": plan.default,
			"kind": plan.kind,
			"customers": plan.customers,
			"rules": plan.rules,
			"windows": len(plan.windows),
			"holidays": len(plan.holidays),
			"targets": [
				{"priority": p, "response_minutes": r, "resolution_minutes": s} for p, r, s in plan.targets
			],
			"valid_from": plan.valid_from,
			"valid_to": plan.valid_to,
			"problems": problems,
		}
		if plan.errors:
			row["action"] = "error"
			out["errors"].append({"sla": plan.name, "problems": [problem_text(p) for p in plan.errors]})
		elif not plan.kind:
			row["action"] = "skip"
			out["not_imported"].append({"sla": plan.name, "why": problems})
		else:
			row["action"] = plan_action(plan)
			out["counts"][row["action"]] += 1
		out["slas"].append(row)
	out["service"] = service or DEFAULT_SERVICE_CODE
	out["comparison"] = compare(planned=all_plans)
	return out


def import_slas(service: str | None = None, activate: bool = False) -> dict:
	"""Import every importable enabled Helpdesk SLA (see the module docstring). Bad input anywhere: an error
	listing every problem, and nothing written."""
	all_plans = plans()
	bad = [p for p in all_plans if p.errors]
	if bad:
		frappe.throw(
			"<br>".join(
				_("Helpdesk's SLA {0}: {1}").format(
					frappe.bold(p.name), "; ".join(problem_text(e) for e in p.errors)
				)
				for p in bad
			),
			SMOImportError,
			title=_("Nothing was imported"),
		)
	service_name = target_service(service)
	result = {"service": service_name, "calendars": [], "agreements": [], "rules": [], "not_imported": []}
	counts = {"create": 0, "update": 0, "skip": 0}
	rules_order = 0
	for plan in all_plans:
		if not plan.importable:
			result["not_imported"].append(plan.name)
			continue
		made = import_plan(plan, service_name, activate, rules_order)
		if plan.kind == hd_import.RULES:
			rules_order += 1
		for key in ("calendars", "agreements", "rules"):
			result[key] += made[key]
		counts[combined(made["actions"])] += 1
	result["counts"] = counts
	result["verdicts"] = record_verdicts()
	clear_config_cache()
	if activate:
		result["switch_over"] = switch_over()
	return result


# ------------------------------------------------------------------------------------------- verdicts
def helpdesk_owns_fields(row) -> bool:
	"""Whether the ticket's Helpdesk SLA fields are Helpdesk's own answer (the SMO does not drive them)."""
	return (
		row.get("smo_sla_state") or ticket_sla.NO_CLOCK
	) == ticket_sla.NO_CLOCK or not drives_helpdesk_sla()


def recent_tickets(days: int = COMPARE_DAYS) -> list[frappe._dict]:
	t = frappe.qb.DocType("HD Ticket")
	since = add_days(now_datetime(), -days)
	return (
		frappe.qb.from_(t)
		.select(
			t.name,
			t.subject,
			t.creation,
			t.customer,
			t.smo_sla_state,
			t[helpdesk_compat.SLA_START].as_("sla_start"),
			*(t[f] for f in helpdesk_compat.TICKET_SLA_FIELDS),
		)
		.where((t.creation >= since) & t.sla.isnotnull())
		.orderby(t.creation)
		.run(as_dict=True)
	)


VERDICT_COLUMNS = (
	"name",
	"ticket",
	"helpdesk_sla",
	"priority",
	"agreement_status",
	"response_by",
	"first_responded_on",
	"resolution_by",
	"resolution_date",
	"recorded_on",
	"owner",
	"modified_by",
	"creation",
	"modified",
)


def record_verdicts(days: int = COMPARE_DAYS) -> int:
	"""What Helpdesk said on the tickets of the last `days` whose SLA fields are still Helpdesk's own."""
	now, user = now_datetime(), frappe.session.user
	rows = [
		(
			frappe.generate_hash(length=12),
			str(r.name),
			r.sla,
			r.priority,
			r.agreement_status,
			r.response_by,
			r.first_responded_on,
			r.resolution_by,
			r.resolution_date,
			now,
			user,
			user,
			now,
			now,
		)
		for r in recent_tickets(days)
		if helpdesk_owns_fields(r)
	]
	for start in range(0, len(rows), CHUNK):
		insert_rows(
			frappe.qb.DocType(VERDICT),
			VERDICT_COLUMNS,
			rows[start : start + CHUNK],
			update=VERDICT_COLUMNS[2:10],
		)
	return len(rows)


# ------------------------------------------------------------------------------------------- compare
def helpdesk_verdict(by, done, now: datetime) -> str:
	"""Helpdesk's word for one target: met, failed, or running (not yet due)."""
	if by is None:
		return ""
	by = get_datetime(by)
	if done is not None:
		return "met" if get_datetime(done) <= by else "failed"
	return "failed" if by < now else "running"


def smo_verdict(state: str) -> str:
	return {"met": "met", "breached": "failed", "untracked": ""}.get(state, "running")


def spec_resolver(agreements: dict[str, list], config, all_plans: list[hd_import.SLAPlan]):
	"""(agreement, spec) judging a ticket Helpdesk judged with `sla`: the agreement imported from that SLA (the
	customer's own where the import made one per customer), as it stands now (a Draft edited since counts as
	edited); for an SLA not imported yet, what the import would make of it, in memory. (None, None) when there
	is neither (a condition the import cannot carry over)."""
	planned = {plan.name: plan for plan in all_plans if plan.importable}
	specs: dict[str, AgreementSpec] = {}

	def resolve(sla: str, customer: str | None):
		choices = agreements.get(sla) or []
		chosen = next((a for a in choices if a.customer and a.customer == customer), None) or next(
			(a for a in choices if not a.customer), None
		)
		if chosen is None and choices:
			chosen = choices[0]
		if chosen is not None:
			if chosen.name not in specs:
				specs[chosen.name] = make_spec(
					agreement_values(frappe.get_doc(AGREEMENT, chosen.name)), config
				)
			return chosen.name, specs[chosen.name]
		if sla in planned:
			key = f"{sla} (" + _("not imported yet") + ")"
			if key not in specs:
				specs[key] = planned_spec(planned[sla], key, config)
			return key, specs[key]
		return None, None

	return resolve


def planned_spec(plan: hd_import.SLAPlan, name: str, config) -> AgreementSpec:
	"""The agreement the import would make of `plan`, for the engine, without writing it."""
	calendar = build_calendar(
		frappe.utils.get_system_timezone(),
		[{"weekday": w, "start_time": s, "end_time": e} for w, s, e in plan.windows],
		[d for d, _text in plan.holidays],
	)
	return AgreementSpec(
		name=name,
		agreement_type="SLA",
		version=1,
		calendar=calendar,
		targets={
			p: target_seconds({"response_minutes": r, "resolution_minutes": s}) for p, r, s in plan.targets
		},
		at_risk_ratio=config.at_risk_ratio,
	)


def imported_agreements() -> dict[str, list[frappe._dict]]:
	"""Imported agreements by their Helpdesk SLA."""
	out: dict[str, list] = {}
	for row in frappe.get_all(
		AGREEMENT,
		filters={"imported_from": ("like", f"{SOURCE}%")},
		fields=["name", "customer", "imported_from"],
	):
		sla = row.imported_from[len(SOURCE) :].split("#", 1)[0]
		out.setdefault(sla, []).append(row)
	return out


def reasons(events, spec, opened, until) -> list[str]:
	"""Why Helpdesk and the SMO may see a ticket differently, in words, where the log tells."""
	out = []
	statuses = [e.value for e in events if e.field == STATUS and e.value]
	if "Paused" in statuses:
		out.append(_("paused time"))
	if (
		"Resolved" in statuses
		and statuses.index("Resolved") < len(statuses) - 1
		and "Open" in statuses[statuses.index("Resolved") :]
	):
		out.append(_("a reopening"))
	if len({e.value for e in events if e.field == PRIORITY}) > 1:
		out.append(_("a priority change"))
	if until and opened and any(opened.date() <= h <= until.date() for h in spec.calendar.holidays):
		out.append(_("a holiday"))
	return out


def compare(
	days: int = COMPARE_DAYS, now: datetime | None = None, planned: list[hd_import.SLAPlan] | None = None
) -> dict:
	"""Helpdesk's verdicts and the imported agreements' (replayed in memory) over the tickets of the last
	`days`: met / failed counts side by side, the tickets whose verdict differs, and how many due dates agree
	(to the second) on tickets without pauses, reopenings or priority changes."""
	now_naive = get_datetime(now) if now else now_datetime()
	instant = ticket_sla.aware(now_naive)
	agreements = imported_agreements()
	counts = {
		metric: {side: {"met": 0, "failed": 0, "running": 0} for side in ("helpdesk", "smo")}
		for metric in ("response", "resolution")
	}
	out = {"days": days, "tickets": 0, "counts": counts, "differences": [], "different": 0}
	out.update({"plain_tickets": 0, "due_dates_equal": 0, "due_dates_differ": 0, "not_compared": 0})
	resolve = spec_resolver(agreements, get_config(), plans() if planned is None else planned)
	stored = {
		str(v.ticket): v
		for v in frappe.get_all(
			VERDICT,
			fields=["ticket", "helpdesk_sla as sla", *helpdesk_compat.TICKET_SLA_FIELDS[1:]],
		)
	}
	tickets = recent_tickets(days)
	for start in range(0, len(tickets), CHUNK):
		chunk = tickets[start : start + CHUNK]
		names = [str(t.name) for t in chunk]
		logs = ticket_sla.load_events(names)
		missing = [n for n in names if not logs.get(n)]
		if missing:
			logs.update(history_events(missing))
		for row in chunk:
			name = str(row.name)
			verdict = stored.get(name) or (row if helpdesk_owns_fields(row) else None)
			if verdict is None:
				out["not_compared"] += 1
				continue
			agreement, spec = resolve(verdict.get("sla") or "", row.customer)
			if spec is None:
				out["not_compared"] += 1
				continue
			events = logs.get(name, [])
			clocks, _missing = evaluate_ticket(
				opened_at=ticket_sla.aware(row.creation),
				events=events,
				first_response_at=ticket_sla.aware(row.first_responded_on),
				agreements=[spec],
				now=instant,
			)
			if not clocks:
				out["not_compared"] += 1
				continue
			out["tickets"] += 1
			clock = clocks[0]
			opened = ticket_sla.aware(row.creation)
			why = reasons(events, spec, opened, None) + start_reason(row)
			plain = not why
			equal = True
			for metric, by, done, result, due, target in (
				(
					"response",
					verdict.get("response_by"),
					verdict.get("first_responded_on"),
					clock.response,
					clock.response_deadline,
					clock.response_target,
				),
				(
					"resolution",
					verdict.get("resolution_by"),
					verdict.get("resolution_date"),
					clock.resolution,
					clock.resolution_deadline,
					clock.resolution_target,
				),
			):
				if metric == "resolution" and clock.resolution_target is None:
					continue
				theirs = helpdesk_verdict(by, done, now_naive)
				ours = smo_verdict(result.state)
				if theirs:
					counts[metric]["helpdesk"][theirs] += 1
				if ours:
					counts[metric]["smo"][ours] += 1
				ours_due = ticket_sla.naive(due)
				if plain and by is not None:
					# the SMO's due date of a ticket never paused: its opening plus the target in business time
					reached = ticket_sla.naive(spec.calendar.add_business_seconds(opened, target))
					# to the second; a Helpdesk day ending at 23:59:59 ends at midnight in the SMO: one second
					# more per midnight the target spans
					slack = 1 + max((reached.date() - ticket_sla.naive(opened).date()).days, 0)
					equal = equal and abs((get_datetime(by) - reached).total_seconds()) < slack
				if theirs and ours and theirs != ours:
					out["different"] += 1
					if len(out["differences"]) < MAX_DIFFERENCES:
						out["differences"].append(
							{
								"ticket": name,
								"subject": row.subject,
								"priority": verdict.get("priority"),
								"metric": metric,
								"helpdesk": theirs,
								"helpdesk_due": by,
								"smo": ours,
								"smo_due": ours_due,
								"agreement": agreement,
								"reasons": reasons(events, spec, opened, latest(by, due))
								+ start_reason(row)
								+ edge_reason(metric, theirs, ours, result, target, verdict),
							}
						)
			if plain:
				out["plain_tickets"] += 1
				out["due_dates_equal" if equal else "due_dates_differ"] += 1
	return out


def start_reason(row) -> list[str]:
	"""Helpdesk counts from its own start (`service_level_agreement_creation`), the SMO from the ticket's
	creation: a ticket whose two differ (made by an import, or back-dated) is judged from two starts."""
	start = row.get("sla_start")
	if start and abs((get_datetime(start) - get_datetime(row.creation)).total_seconds()) >= 1:
		return [
			_("Helpdesk counts from {0}, the SMO from the ticket's creation ({1})").format(
				frappe.utils.format_datetime(start), frappe.utils.format_datetime(row.creation)
			)
		]
	return []


def edge_reason(metric: str, theirs: str, ours: str, result, target: float, verdict) -> list[str]:
	"""Where the two rules part on a ticket never paused: Helpdesk judges the wall clock (answered after the due
	instant: failed), the SMO business time (no more than the target: met); and the SMO's response clock stops
	at the resolution when that came first, Helpdesk's only at the first response."""
	out = []
	if theirs == "failed" and ours == "met" and abs(result.elapsed - target) < 1:
		if metric == "response":
			out.append(
				_("answered outside working hours after the due time, with no working time in between")
			)
		else:
			out.append(
				_("resolved outside working hours after the due time, with no working time in between")
			)
	responded, resolved = verdict.get("first_responded_on"), verdict.get("resolution_date")
	if metric == "response" and responded and resolved and get_datetime(resolved) < get_datetime(responded):
		out.append(_("resolved before the first response"))
	return out


def latest(helpdesk_due, smo_due) -> datetime | None:
	"""The later of the two due dates (aware), for the holidays between the opening and it."""
	dates = [
		d for d in (ticket_sla.aware(get_datetime(helpdesk_due)) if helpdesk_due else None, smo_due) if d
	]
	return max(dates) if dates else None


# ------------------------------------------------------------------------------------------- switch over
def switch_over(dry_run: bool = False) -> dict:
	"""Activate the imported agreements (those with a target for every priority; the others stay Draft and are
	listed), enable their rules, and judge every ticket in the background. `dry_run`: only say what it would
	activate and leave."""
	activated, left = [], []
	for name in frappe.get_all(
		AGREEMENT, filters={"imported_from": ("like", f"{SOURCE}%"), "status": "Draft"}, pluck="name"
	):
		doc = frappe.get_doc(AGREEMENT, name)
		gap = doc.coverage_gap()
		if gap or (doc.valid_to and getdate(doc.valid_to) < getdate(today())):
			why = _("no target for {0}").format(", ".join(gap)) if gap else _("it has ended")
			left.append({"agreement": name, "why": why})
			continue
		activated.append(name)
		if not dry_run:
			doc.status = "Active"
			doc.save(ignore_permissions=True)
	rules = frappe.get_all(
		RULE, filters={"imported_from": ("like", f"{SOURCE}%"), "enabled": 0}, pluck="name"
	)
	if dry_run:
		return {"activated": activated, "left_draft": left, "rules_enabled": len(rules), "dry_run": True}
	for name in rules:
		frappe.db.set_value(RULE, name, "enabled", 1)
	clear_config_cache()
	job = enqueue_backfill()
	settings = frappe.get_doc("SMO Settings")
	settings.add_comment(
		"Info",
		_(
			"{0} switched the SMO on for Helpdesk's SLAs on {1}: {2} agreements activated, {3} mapping rules enabled, {4} left in Draft; judging {5} tickets in the background."
		).format(
			frappe.utils.get_fullname(frappe.session.user),
			frappe.utils.format_datetime(now_datetime()),
			len(activated),
			len(rules),
			len(left),
			job["tickets"],
		),
	)
	return {"activated": activated, "left_draft": left, "rules_enabled": len(rules), **job}


def progress_key(run: str, what: str) -> str:
	return f"smo_extension:switch_over:{run}:{what}"


def enqueue_backfill() -> dict:
	"""Every ticket's events and clocks, in chunks of `CHUNK` on the long queue (any number of workers);
	returns the run's id, ticket and chunk counts."""
	t = frappe.qb.DocType("HD Ticket")
	tickets = [str(r[0]) for r in frappe.qb.from_(t).select(t.name).orderby(t.creation).run()]
	run = frappe.generate_hash(length=10)
	chunks = [tickets[i : i + CHUNK] for i in range(0, len(tickets), CHUNK)]
	frappe.cache.set_value(progress_key(run, "total"), len(chunks), expires_in_sec=86400)
	frappe.cache.set_value(progress_key(run, "started"), time.time(), expires_in_sec=86400)
	for index, chunk in enumerate(chunks):
		frappe.enqueue(
			"smo_extension.sla.adopt.backfill_chunk",
			queue="long",
			tickets=chunk,
			run=run,
			user=frappe.session.user,
			enqueue_after_commit=True,
			job_id=f"smo-switch-{run}-{index}",
		)
	return {"run": run, "tickets": len(tickets), "chunks": len(chunks)}


def backfill_chunk(tickets: list[str], run: str, user: str) -> None:
	"""One chunk of the switch-over (`jobs.backfill_tickets`), then the progress bar moves on; the last chunk
	leaves the comment on SMO Settings."""
	from smo_extension.sla import jobs

	jobs.backfill_tickets(tickets)
	frappe.db.commit()  # nosemgrep: the chunk is done; the counter below says so
	done = frappe.cache.incrby(frappe.cache.make_key(progress_key(run, "done")), 1)
	frappe.cache.expire(frappe.cache.make_key(progress_key(run, "done")), 86400)
	total = int(frappe.cache.get_value(progress_key(run, "total")) or done)
	frappe.publish_progress(
		min(done * 100.0 / max(total, 1), 100),
		title=_("Switching to the SMO's SLAs"),
		description=_("{0} of {1} chunks of tickets judged").format(done, total),
	)
	if done == total:
		finish_backfill(run, user, total)


def finish_backfill(run: str, user: str, chunks: int) -> None:
	started = float(frappe.cache.get_value(progress_key(run, "started")) or time.time())
	s = frappe.qb.DocType(ticket_sla.TICKET_SLA)
	clocks = frappe.qb.from_(s).select(frappe.query_builder.functions.Count("*")).run()[0][0]
	frappe.get_doc("SMO Settings").add_comment(
		"Info",
		_("Switch-over finished for {0}: {1} chunks of tickets judged, {2} clocks in all, in {3} s.").format(
			frappe.utils.get_fullname(user), chunks, clocks, round(max(time.time() - started, 0), 1)
		),
	)
	frappe.db.commit()  # nosemgrep
