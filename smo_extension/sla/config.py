"""The SLA configuration a ticket save needs, read once and cached.

Active agreements (with targets), the calendars they use, mapping rules, retired services and the hypercare
windows of PMO liaisons are read in a few queries into one plain dict kept in Redis; every save and scheduler
run builds on it without touching the database. Any change to an agreement, calendar, rule, service, liaison or
the settings drops the cache (`clear_config_cache`, wired in hooks.py and the controllers).
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date

import frappe
from frappe import _
from frappe.utils import cint

from smo_extension.engine.calendar import BusinessCalendar
from smo_extension.engine.calendar import CalendarError
from smo_extension.engine.replay import AgreementSpec
from smo_extension.query import fields

CACHE_KEY = "smo_extension:sla_config"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Built objects per process, keyed by the cached config's token: rebuilt only when the config changes.
_built: dict[str, SLAConfig] = {}


class SMOCalendarError(frappe.ValidationError):
	pass


@dataclass
class SLAConfig:
	token: str
	calendars: dict[str, BusinessCalendar]
	# service -> list of agreement dicts (SLA and OLA, Active only)
	agreements: dict[str, list[dict]]
	rules: list[dict]
	retired_services: set[str]
	default_calendar: str | None
	at_risk_ratio: float
	# service -> hypercare windows: {"liaison", "agreement", "start", "end"} (ISO dates, both days included)
	hypercare: dict[str, list[dict]] = field(default_factory=dict)
	customer_sla_wins_in_hypercare: bool = True
	_specs: dict[str, AgreementSpec] = field(default_factory=dict)

	def spec(self, agreement: dict) -> AgreementSpec:
		name = agreement["name"]
		if name not in self._specs:
			self._specs[name] = make_spec(agreement, self)
		return self._specs[name]


def make_spec(agreement: dict, config: SLAConfig) -> AgreementSpec:
	"""The engine's view of an agreement (a dict as the config holds it): its calendar (the default calendar of
	SMO Settings when it names none; 24x7 in the site's time zone when there is neither), targets in seconds."""
	calendar = config.calendars.get(agreement["calendar"] or config.default_calendar or "")
	if calendar is None:
		calendar = BusinessCalendar.always(frappe.utils.get_system_timezone())
	return AgreementSpec(
		name=agreement["name"],
		agreement_type=agreement["agreement_type"],
		version=agreement["version"],
		calendar=calendar,
		targets={t["priority"]: target_seconds(t) for t in agreement["targets"]},
		at_risk_ratio=(agreement["at_risk_percent"] or config.at_risk_ratio * 100) / 100.0,
		team=agreement["team"],
	)


def target_seconds(target: dict) -> tuple[float, float | None]:
	"""A target row's (response, resolution) in seconds; no resolution minutes (0 or empty) is a response-only
	target: the resolution clock is counted but not judged."""
	resolution = target.get("resolution_minutes") or 0
	return (target["response_minutes"] * 60.0, resolution * 60.0 if resolution > 0 else None)


def agreement_values(doc) -> dict:
	"""An SMO Service Level Agreement document (saved or not, any status) as the config holds agreements."""
	return {
		"name": doc.name,
		"agreement_type": doc.agreement_type,
		"customer": doc.customer or None,
		"team": doc.team or None,
		"calendar": doc.calendar or None,
		"valid_from": str(doc.valid_from) if doc.valid_from else None,
		"valid_to": str(doc.valid_to) if doc.valid_to else None,
		"at_risk_percent": doc.at_risk_percent,
		"version": doc.version or 1,
		"is_hypercare": 1 if doc.get("is_hypercare") and doc.agreement_type == "SLA" else 0,
		"targets": [
			{
				"priority": t.priority,
				"response_minutes": t.response_minutes,
				"resolution_minutes": t.resolution_minutes,
			}
			for t in doc.targets
			if t.priority
		],
	}


def agreement_spec(name: str, config: SLAConfig) -> AgreementSpec | None:
	"""The spec of an agreement by name: from the config when it is Active, else from its stored record (an
	expired agreement still judged the clocks it left); None when it does not exist."""
	for agreements in config.agreements.values():
		for agreement in agreements:
			if agreement["name"] == name:
				return config.spec(agreement)
	if not frappe.db.exists("SMO Service Level Agreement", name):
		return None
	return make_spec(agreement_values(frappe.get_doc("SMO Service Level Agreement", name)), config)


def time_str(value) -> str:
	"""A Frappe Time value (timedelta or 'HH:MM:SS') as 'HH:MM'."""
	if hasattr(value, "total_seconds"):
		seconds = int(value.total_seconds())
		return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"
	return str(value)[:5]


def calendar_windows(rows) -> dict[int, list[tuple[str, str]]]:
	windows: dict[int, list[tuple[str, str]]] = {}
	for row in rows:
		start, end = time_str(row.get("start_time")), time_str(row.get("end_time"))
		if end == "00:00":
			end = "24:00"  # a window ending at midnight
		windows.setdefault(WEEKDAYS.index(row.get("weekday")), []).append((start, end))
	return windows


def build_calendar(timezone: str, windows, holidays) -> BusinessCalendar:
	"""The engine's calendar from rows of SMO Calendar Window / Holiday; its errors become translated ones."""
	for row in windows:
		if row.get("weekday") not in WEEKDAYS:
			frappe.throw(
				_("Row {0}: weekday {1} is not one of {2}.").format(
					row.get("idx") or "?",
					frappe.bold(str(row.get("weekday") or "")),
					", ".join(_(day) for day in WEEKDAYS),
				),
				SMOCalendarError,
				title=_("Invalid business calendar"),
			)
	try:
		return BusinessCalendar(
			timezone, calendar_windows(windows), [frappe.utils.getdate(h) for h in holidays]
		)
	except CalendarError as e:
		frappe.throw(translate_calendar_error(e), SMOCalendarError, title=_("Invalid business calendar"))


def translate_calendar_error(error: CalendarError) -> str:
	"""The engine's English message, rendered from its code and arguments as a translated one."""
	templates = {
		"unknown_timezone": _("Unknown time zone {0}."),
		"malformed_time": _("Malformed time {0} on {1}: use HH:MM between 00:00 and 24:00."),
		"end_not_after_start": _("A working window on {2} ends at {0}, which is not after its start {1}."),
		"overlap": _("Working windows {0}-{1} and {2}-{3} overlap on {4}."),
		"bad_weekday": _("Weekday {0} is outside Monday to Sunday."),
		"malformed_window": _("Malformed working window {0} on {1}."),
		"bad_holiday": _("Holiday {0} is not a date."),
		"no_working_time": _("The calendar has no working time at all."),
		"unreachable": _(
			"{0} business seconds after {1} cannot be reached within {2} days on this calendar."
		),
	}
	template = templates.get(error.code)
	if template is None:
		return _("Invalid business calendar: {0}").format(str(error))
	weekday_positions = {"malformed_time": 1, "end_not_after_start": 2, "overlap": 4, "malformed_window": 1}
	args = list(error.args_for_message)
	position = weekday_positions.get(error.code)
	if (
		position is not None
		and position < len(args)
		and isinstance(args[position], int)
		and 0 <= args[position] < 7
	):
		args[position] = _(WEEKDAYS[args[position]])
	return template.format(*args)


def clear_config_cache(doc=None, method=None) -> None:
	"""Drop the cached config now, and again when the transaction ends: a config read while the change was
	uncommitted must not outlive a rollback."""

	def clear():
		frappe.cache.delete_value(CACHE_KEY)

	clear()
	frappe.db.after_commit.add(clear)
	frappe.db.after_rollback.add(clear)


def get_config() -> SLAConfig:
	data = frappe.cache.get_value(CACHE_KEY, generator=_load_config)
	built = _built.get(data["token"])
	if built is None:
		_built.clear()
		built = SLAConfig(
			token=data["token"],
			calendars={},
			agreements=data["agreements"],
			rules=data["rules"],
			retired_services=set(data["retired_services"]),
			default_calendar=data["default_calendar"],
			at_risk_ratio=data["at_risk_ratio"],
			hypercare=data.get("hypercare", {}),
			customer_sla_wins_in_hypercare=bool(data.get("customer_sla_wins_in_hypercare", 1)),
		)
		for name, cal in data["calendars"].items():
			try:
				built.calendars[name] = BusinessCalendar(
					cal["timezone"], cal["windows"], [date.fromisoformat(h) for h in cal["holidays"]]
				)
			except CalendarError:
				frappe.log_error(title=_("SMO calendar {0} is invalid").format(name))
		_built[data["token"]] = built
	return built


def _load_config() -> dict:
	agreement = frappe.qb.DocType("SMO Service Level Agreement")
	rows = (
		frappe.qb.from_(agreement)
		.select(
			*fields(
				agreement,
				"name agreement_type service customer team calendar valid_from valid_to at_risk_percent version is_hypercare",
			),
		)
		.where((agreement.status == "Active") & (agreement.agreement_type.isin(["SLA", "OLA"])))
		.run(as_dict=True)
	)
	targets: dict[str, list[dict]] = {}
	for t in frappe.get_all(
		"SMO Agreement Target",
		filters={
			"parenttype": "SMO Service Level Agreement",
			"parent": ("in", [r.name for r in rows] or [""]),
		},
		fields=["parent", "priority", "response_minutes", "resolution_minutes"],
	):
		targets.setdefault(t.parent, []).append(
			{
				"priority": t.priority,
				"response_minutes": t.response_minutes,
				"resolution_minutes": t.resolution_minutes,
			}
		)
	agreements: dict[str, list[dict]] = {}
	for r in rows:
		agreements.setdefault(r.service, []).append(
			{
				"name": r.name,
				"agreement_type": r.agreement_type,
				"customer": r.customer,
				"team": r.team,
				"calendar": r.calendar,
				"valid_from": str(r.valid_from) if r.valid_from else None,
				"valid_to": str(r.valid_to) if r.valid_to else None,
				"at_risk_percent": r.at_risk_percent,
				"version": r.version or 1,
				"is_hypercare": 1 if r.is_hypercare and r.agreement_type == "SLA" else 0,
				"targets": targets.get(r.name, []),
			}
		)

	calendars = {}
	for name, timezone in frappe.get_all("SMO Business Calendar", fields=["name", "timezone"], as_list=True):
		calendars[name] = {"timezone": timezone, "windows": {}, "holidays": []}
	for w in frappe.get_all(
		"SMO Calendar Window",
		filters={"parenttype": "SMO Business Calendar"},
		fields=["parent", "weekday", "start_time", "end_time"],
	):
		if w.parent in calendars:
			for day, spans in calendar_windows([w]).items():
				calendars[w.parent]["windows"].setdefault(day, []).extend(spans)
	for h in frappe.get_all(
		"SMO Calendar Holiday",
		filters={"parenttype": "SMO Business Calendar"},
		fields=["parent", "holiday_date"],
	):
		if h.parent in calendars:
			calendars[h.parent]["holidays"].append(str(h.holiday_date))

	rule_meta = frappe.get_meta("SMO Service Mapping Rule")
	rules = frappe.get_all(
		"SMO Service Mapping Rule",
		filters={"enabled": 1},
		# the Issue conditions are custom fields, made where ERPNext is installed
		fields=["service", "ticket_type", "team", "customer"]
		+ [f for f in ISSUE_RULE_FIELDS if rule_meta.has_field(f)],
		order_by="sequence asc, creation asc",
	)
	settings = frappe.get_cached_doc("SMO Settings")
	return {
		"token": frappe.generate_hash(length=12),
		"agreements": agreements,
		"calendars": calendars,
		"rules": [dict(r) for r in rules],
		"retired_services": frappe.get_all(
			"SMO Service", filters={"lifecycle_stage": "Retired"}, pluck="name"
		),
		"default_calendar": settings.default_calendar,
		"at_risk_ratio": (settings.at_risk_percent or 75) / 100.0,
		"hypercare": load_hypercare_windows(),
		# a site whose settings predate the field has no value: the customer's SLA wins, as the default says
		"customer_sla_wins_in_hypercare": 0
		if settings.get("customer_sla_wins_in_hypercare") is not None
		and not cint(settings.customer_sla_wins_in_hypercare)
		else 1,
	}


# Stages in which a liaison's hypercare window judges tickets: during hypercare, and after it (a ticket opened
# inside the window keeps being judged by the hypercare agreement when it is recomputed later).
HYPERCARE_STAGES = ("Hypercare", "Closed")


def load_hypercare_windows() -> dict[str, list[dict]]:
	"""service -> the hypercare windows of its liaisons (stage Hypercare or Closed, with a hypercare agreement,
	a go-live date and an end), in one query."""
	li = frappe.qb.DocType("SMO PMO Liaison")
	rows = (
		frappe.qb.from_(li)
		.select(*fields(li, "name service hypercare_agreement go_live_date hypercare_until"))
		.where(
			li.transition_stage.isin(HYPERCARE_STAGES)
			& li.hypercare_agreement.isnotnull()
			& (li.hypercare_agreement != "")
			& li.go_live_date.isnotnull()
			& li.hypercare_until.isnotnull()
		)
		.orderby(li.go_live_date)
		.run(as_dict=True)
	)
	windows: dict[str, list[dict]] = {}
	for r in rows:
		windows.setdefault(r.service, []).append(
			{
				"liaison": r.name,
				"agreement": r.hypercare_agreement,
				"start": str(r.go_live_date),
				"end": str(r.hypercare_until),
			}
		)
	return windows


# The conditions of a mapping rule on ERPNext's Issue (custom fields of SMO Service Mapping Rule).
ISSUE_RULE_FIELDS = ("issue_type", "project")


def map_service(
	config: SLAConfig,
	ticket_type: str | None,
	team: str | None,
	customer: str | None,
	issue_type: str | None = None,
	project: str | None = None,
	doctype: str = "HD Ticket",
) -> str | None:
	"""The first enabled rule whose every filled condition matches; retired services are skipped. A rule on
	ticket type or team maps Helpdesk tickets only, one on issue type or project ERPNext Issues only; a rule on
	customer alone, or a catch-all, maps both."""
	issue = doctype == "Issue"
	for rule in config.rules:
		if rule["service"] in config.retired_services:
			continue
		if issue and (rule["ticket_type"] or rule["team"]):
			continue
		if not issue and (rule.get("issue_type") or rule.get("project")):
			continue
		if rule.get("issue_type") and rule["issue_type"] != issue_type:
			continue
		if rule.get("project") and rule["project"] != project:
			continue
		if rule["ticket_type"] and rule["ticket_type"] != ticket_type:
			continue
		if rule["team"] and rule["team"] != team:
			continue
		if rule["customer"] and rule["customer"] != customer:
			continue
		return rule["service"]
	return None


def valid_on(agreement: dict, on: date) -> bool:
	if agreement["valid_from"] and date.fromisoformat(agreement["valid_from"]) > on:
		return False
	return not (agreement["valid_to"] and date.fromisoformat(agreement["valid_to"]) < on)


def hypercare_window(config: SLAConfig, service: str | None, on: date) -> dict | None:
	"""The hypercare window of `service` that contains the day `on` and whose agreement is Active and valid
	that day (the agreement dict under "sla"), or None: the ticket is then in normal operation."""
	if not service:
		return None
	for window in config.hypercare.get(service, ()):
		if not window["start"] <= on.isoformat() <= window["end"]:
			continue
		sla = next(
			(
				a
				for a in config.agreements.get(service, [])
				if a["name"] == window["agreement"] and a["is_hypercare"] and valid_on(a, on)
			),
			None,
		)
		if sla is not None:
			return {**window, "sla": sla}
	return None


def select_agreements(
	config: SLAConfig, service: str | None, customer: str | None, teams: list[str], on: date
) -> list[dict]:
	"""The SLA for service + customer (or the service's general SLA), and an OLA for each team that held the
	ticket; only agreements valid on `on` (the day the ticket was opened). Inside a hypercare window of the
	service the window's hypercare SLA judges instead of the general one, and instead of the customer's own
	SLA too unless the settings let the customer's SLA win. A hypercare SLA never judges outside its windows."""
	if not service:
		return []
	window = hypercare_window(config, service, on)
	return choose_agreements(
		config.agreements.get(service, []),
		customer,
		teams,
		on,
		hypercare_sla=window["sla"] if window else None,
		customer_sla_wins=config.customer_sla_wins_in_hypercare,
	)


def choose_agreements(
	agreements: list[dict],
	customer: str | None,
	teams: list[str],
	on: date,
	hypercare_sla: dict | None = None,
	customer_sla_wins: bool = True,
) -> list[dict]:
	"""Of one service's `agreements` (in order), those that judge a ticket of `customer` held by `teams`,
	opened on `on`: the first customer-specific SLA for the customer, else the first general SLA — or, opened
	inside a hypercare window, the window's `hypercare_sla` (unless the customer has their own SLA and
	`customer_sla_wins`); every OLA of a team that held it; only agreements valid on `on`. A hypercare SLA
	judges only through its window."""
	candidates = [a for a in agreements if valid_on(a, on)]
	slas = [a for a in candidates if a["agreement_type"] == "SLA" and not a.get("is_hypercare")]
	own = [a for a in slas if customer and a["customer"] == customer][:1]
	if hypercare_sla is not None and not (own and customer_sla_wins):
		chosen = [hypercare_sla]
	else:
		chosen = own or [a for a in slas if not a["customer"]][:1]
	chosen += [a for a in candidates if a["agreement_type"] == "OLA" and a["team"] in teams]
	return chosen
