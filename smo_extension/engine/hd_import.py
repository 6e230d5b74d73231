"""Helpdesk's SLAs read as SMO terms: the pure half of "Import from Helpdesk" (`smo_extension.sla.adopt` is the
site half).

Plain dicts in (as `helpdesk_compat.helpdesk_slas` and `holiday_list` read them), plain values out; no `frappe`.

- **Calendar**: Helpdesk's working days (one row per weekday, times in seconds after midnight) become windows
  in the site's time zone (what Helpdesk computes in); a day ending at 23:59:59 (or 24:00) ends at midnight, as
  the app writes it (00:00). Every dated row of the holiday list, weekly offs included, becomes a dated holiday:
  Helpdesk skips exactly those dates.
- **Targets**: Helpdesk's Duration seconds become whole minutes (rounded up, with a note when they were not
  whole); no resolution target where "apply SLA for resolution" is off.
- **Conditions**: `condition_json` (the SLA page's conditions) where it has any, else the Python `condition`.
  One that names only customers, ticket types and teams, compared with equals / in, joined with and / or,
  becomes a list of alternatives, each a dict field → value (`customer`, `ticket_type`, `team`); anything
  else is not imported, with the reason in words.
- **Bad input** (an error for that SLA; the import writes nothing while any remains): no priorities, a Duration
  of 0, a holiday outside its list's range, working-hour rows of one weekday that overlap (or end before they
  start).
"""

from __future__ import annotations

import ast
import hashlib
import json
import math
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from itertools import pairwise

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# HD Ticket fields a condition may name -> the SMO's word for them (mapping rules and agreements)
CONDITION_FIELDS = {"customer": "customer", "ticket_type": "ticket_type", "agent_group": "team"}
EQUALS = ("equals", "=", "==", "is")
IN = ("in",)
DAY_END = 24 * 3600
# a working day ending at or after this many seconds (23:59:59) ends at midnight
MIDNIGHT_FROM = DAY_END - 1


def _lt(text: str) -> str:
	"""Marks a message template for the translation catalog (the site half translates it with `_()`)."""
	return text


# kinds of import
GENERAL, CUSTOMER, RULES = "general", "customer", "rules"


@dataclass
class Problem:
	"""Bad input (`error`) or something the import cannot carry over (`note`), with its words as a message
	template and its values (the caller translates the template)."""

	message: str
	values: tuple = ()
	error: bool = True


@dataclass
class SLAPlan:
	name: str
	default: bool
	kind: str  # GENERAL, CUSTOMER or RULES; "" when the condition cannot be imported
	windows: list[tuple[str, str, str]] = field(default_factory=list)  # (weekday, "HH:MM:SS", "HH:MM:SS")
	holidays: list[tuple[str, str]] = field(default_factory=list)  # (ISO date, description)
	targets: list[tuple[str, int, int | None]] = field(default_factory=list)  # priority, minutes, minutes
	valid_from: str | None = None
	valid_to: str | None = None
	# CUSTOMER: the customers; RULES: the alternatives (field -> value), [] = every ticket
	customers: list[str] = field(default_factory=list)
	rules: list[dict[str, str]] = field(default_factory=list)
	problems: list[Problem] = field(default_factory=list)
	fingerprint: str = ""

	@property
	def errors(self) -> list[Problem]:
		return [p for p in self.problems if p.error]

	@property
	def importable(self) -> bool:
		return not self.errors and bool(self.kind)


class ConditionError(ValueError):
	"""A condition the import cannot carry over; the message says why (an English template and its values)."""

	def __init__(self, message: str, *values):
		super().__init__(message)
		self.template = message
		self.values = values


# ------------------------------------------------------------------------------------------- conditions
def alternatives_from_json(text: str | list | None) -> list[dict[str, str]] | None:
	"""The alternatives of a `condition_json`, or None when it has no conditions. Raises ConditionError."""
	if text is None or text == "":
		return None
	try:
		items = json.loads(text) if isinstance(text, str) else text
	except ValueError:
		raise ConditionError(_lt("its conditions are not valid JSON")) from None
	if not isinstance(items, list):
		raise ConditionError(_lt("its conditions are not a list"))
	if not items:
		return None
	return _json_group(items)


def _json_group(items: list) -> list[dict[str, str]]:
	# Helpdesk turns the list into Python, joining the terms with their "and" / "or": and binds tighter.
	groups: list[list] = [[]]
	expect_term = True
	for item in items:
		if isinstance(item, str):
			word = item.strip().lower()
			if expect_term or word not in ("and", "or"):
				raise ConditionError(_lt("it joins conditions with {0}"), item)
			if word == "or":
				groups.append([])
			expect_term = True
			continue
		if not expect_term:
			groups[-1].append("and")  # two terms side by side: Helpdesk's UI joins them with "and"
		if isinstance(item, list) and item and isinstance(item[0], list | str) and _is_group(item):
			groups[-1].append(_json_group(item))
		elif isinstance(item, list) and len(item) == 3:
			groups[-1].append(_json_leaf(*item))
		else:
			raise ConditionError(_lt("it has a condition of an unknown shape: {0}"), json.dumps(item))
		expect_term = False
	if expect_term:
		raise ConditionError(_lt("it ends with a dangling and / or"))
	out: list[dict[str, str]] = []
	for group in groups:
		out.extend(_and([term for term in group if term != "and"]))
	return _unique(out)


def _is_group(item: list) -> bool:
	return isinstance(item[0], list)


def _json_leaf(fieldname, operator, value) -> list[dict[str, str]]:
	if not isinstance(fieldname, str) or not isinstance(operator, str):
		raise ConditionError(
			_lt("it has a condition of an unknown shape: {0}"), json.dumps([fieldname, operator, value])
		)
	op = operator.strip().lower()
	if op in IN:
		values = value if isinstance(value, list) else [v.strip() for v in str(value).split(",")]
	elif op in EQUALS:
		values = [value]
	else:
		raise ConditionError(
			_lt("it compares {0} with {1}: only equals and in are imported"), fieldname, operator
		)
	return _leaf(fieldname, values)


def _leaf(fieldname: str, values: list) -> list[dict[str, str]]:
	target = CONDITION_FIELDS.get(fieldname)
	if target is None:
		raise ConditionError(
			_lt("it names the field {0}: only customer, ticket type and team are imported"), fieldname
		)
	clean = [str(v).strip() for v in values if v is not None and str(v).strip()]
	if not clean or any(not isinstance(v, str | int) for v in values):
		raise ConditionError(
			_lt("it compares {0} with no value or with a value that is not a name"), fieldname
		)
	return [{target: v} for v in clean]


def _and(terms: list[list[dict[str, str]]]) -> list[dict[str, str]]:
	"""The alternatives of terms joined by "and": every combination, one value per field."""
	out: list[dict[str, str]] = [{}]
	for term in terms:
		combined = []
		for left in out:
			for right in term:
				clash = {k for k in left.keys() & right.keys() if left[k] != right[k]}
				if clash:
					continue  # e.g. customer A and customer B: never true
				combined.append({**left, **right})
		out = combined
	if not out:
		raise ConditionError(_lt("it can never be true (one field with two values joined by and)"))
	return out


def _unique(alternatives: list[dict[str, str]]) -> list[dict[str, str]]:
	seen, out = set(), []
	for alt in alternatives:
		key = tuple(sorted(alt.items()))
		if key not in seen:
			seen.add(key)
			out.append(alt)
	return out


def alternatives_from_python(source: str | None) -> list[dict[str, str]] | None:
	"""The alternatives of a Python `condition` (Helpdesk evaluates it with the ticket as `doc`), or None when
	it is empty. Raises ConditionError."""
	if not source or not source.strip():
		return None
	try:
		tree = ast.parse(source.strip(), mode="eval")
	except SyntaxError:
		raise ConditionError(_lt("its Python condition does not parse")) from None
	return _unique(_py(tree.body))


def _py(node) -> list[dict[str, str]]:
	if isinstance(node, ast.BoolOp):
		if isinstance(node.op, ast.Or):
			return [alt for value in node.values for alt in _py(value)]
		# `doc.customer and doc.customer in [...]` (how Helpdesk's SLA page writes "in"): a field that is only
		# required to be set is implied by the comparison of the same field beside it
		compared = {_py_field(v.left) for v in node.values if isinstance(v, ast.Compare) and len(v.ops) == 1}
		parts = []
		for value in node.values:
			if _is_field(value):
				if _py_field(value) in compared:
					continue
				raise ConditionError(_lt("it only asks that {0} be set"), _py_field(value))
			parts.append(_py(value))
		return _and(parts)
	if isinstance(node, ast.Compare) and len(node.ops) == 1:
		name = _py_field(node.left)
		op, right = node.ops[0], node.comparators[0]
		if isinstance(op, ast.Eq):
			return _leaf(name, [_py_constant(right)])
		if isinstance(op, ast.In) and isinstance(right, ast.List | ast.Tuple | ast.Set):
			return _leaf(name, [_py_constant(e) for e in right.elts])
		raise ConditionError(
			_lt("it compares {0} with {1}: only == and in are imported"), name, type(op).__name__
		)
	raise ConditionError(
		_lt("it uses {0}: only comparisons joined with and / or are imported"), ast.unparse(node)
	)


def _is_field(node) -> bool:
	try:
		_py_field(node)
	except ConditionError:
		return False
	return not isinstance(node, ast.Compare)


def _py_field(node) -> str:
	# doc.customer, doc["customer"], doc.get("customer"), or a bare name
	if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "doc":
		return node.attr
	if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "doc":
		key = node.slice
		if isinstance(key, ast.Constant) and isinstance(key.value, str):
			return key.value
	if (
		isinstance(node, ast.Call)
		and isinstance(node.func, ast.Attribute)
		and node.func.attr == "get"
		and isinstance(node.func.value, ast.Name)
		and node.func.value.id == "doc"
		and node.args
		and isinstance(node.args[0], ast.Constant)
	):
		return str(node.args[0].value)
	if isinstance(node, ast.Name):
		return node.id
	raise ConditionError(_lt("it uses {0}: only ticket fields are imported"), ast.unparse(node))


def _py_constant(node):
	if isinstance(node, ast.Constant) and isinstance(node.value, str | int):
		return node.value
	raise ConditionError(_lt("it compares with {0}: only plain names are imported"), ast.unparse(node))


def condition_alternatives(sla: dict) -> list[dict[str, str]] | None:
	"""The SLA's condition as alternatives. Helpdesk runs the Python `condition` (its SLA page writes it from the
	conditions it keeps in `condition_json`), so that is what is read; the JSON only when the Python cannot be
	read. No Python condition: Helpdesk applies the SLA to every ticket, whatever the JSON says."""
	try:
		return alternatives_from_python(sla.get("condition"))
	except ConditionError:
		if not sla.get("condition_json"):
			raise
		return alternatives_from_json(sla.get("condition_json"))


# ------------------------------------------------------------------------------------------- checks
def time_text(seconds: int) -> str:
	seconds = max(int(seconds), 0)
	if seconds >= MIDNIGHT_FROM:
		return "00:00:00"  # midnight, as the app writes a window's end
	return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:00"


def windows_of(sla: dict, problems: list[Problem]) -> list[tuple[str, str, str]]:
	rows: dict[str, list[tuple[int, int]]] = {}
	for day in sla.get("days") or []:
		start, end = day.get("start_time"), day.get("end_time")
		weekday = day.get("workday")
		if weekday not in WEEKDAYS or start is None or end is None:
			problems.append(
				Problem(_lt("Working hours row {0} has no weekday, start or end."), (day.get("idx"),))
			)
			continue
		if start >= end:
			problems.append(
				Problem(_lt("Working hours row {0} ({1}) ends before it starts."), (day.get("idx"), weekday))
			)
			continue
		if start % 60 or (end % 60 and end < MIDNIGHT_FROM):
			problems.append(
				Problem(
					_lt("Working hours of {0} are given to the second: the SMO counts whole minutes."),
					(weekday,),
					error=False,
				)
			)
		rows.setdefault(weekday, []).append((start, end))
	for weekday, spans in rows.items():
		spans.sort()
		for (_s1, e1), (s2, _e2) in pairwise(spans):
			if s2 < e1:
				problems.append(Problem(_lt("The working hours of {0} overlap."), (weekday,)))
				break
	return [
		(weekday, time_text(start), time_text(end))
		for weekday in WEEKDAYS
		for start, end in rows.get(weekday, [])
	]


def holidays_of(holiday_list: dict | None, problems: list[Problem]) -> list[tuple[str, str]]:
	if not holiday_list:
		return []
	first, last = _date(holiday_list.get("from_date")), _date(holiday_list.get("to_date"))
	out, outside = [], []
	for row in holiday_list.get("holidays") or []:
		day = _date(row.get("holiday_date"))
		if day is None:
			continue
		if (first and day < first) or (last and day > last):
			outside.append(day.isoformat())
		text = strip_html(row.get("description") or "")
		if row.get("weekly_off"):
			text = text or "Weekly off"
		out.append((day.isoformat(), text[:140]))
	if outside:
		problems.append(
			Problem(
				_lt("Holiday list {0} has dates outside its range {1} – {2}: {3}."),
				(
					holiday_list.get("name"),
					first.isoformat() if first else "",
					last.isoformat() if last else "",
					", ".join(outside[:5]),
				),
			)
		)
	# one holiday per date: a dated holiday that falls on a weekly off is listed twice by Helpdesk
	by_date: dict[str, list[str]] = {}
	for day, text in out:
		texts = by_date.setdefault(day, [])
		if text and text not in texts:
			texts.append(text)
	return [(day, " / ".join(texts)[:140]) for day, texts in sorted(by_date.items())]


def targets_of(sla: dict, problems: list[Problem]) -> list[tuple[str, int, int | None]]:
	priorities = sla.get("priorities") or []
	if not priorities:
		problems.append(Problem(_lt("It has no priorities: there is nothing to import.")))
		return []
	resolution_applies = bool(sla.get("apply_sla_for_resolution", 1))
	out = []
	for row in priorities:
		response = _seconds(row.get("response_time"))
		resolution = _seconds(row.get("resolution_time")) if resolution_applies else None
		if not response:
			problems.append(Problem(_lt("Priority {0}: its response time is 0."), (row.get("priority"),)))
			continue
		if resolution_applies and not resolution:
			problems.append(Problem(_lt("Priority {0}: its resolution time is 0."), (row.get("priority"),)))
			continue
		if response % 60 or (resolution or 0) % 60:
			problems.append(
				Problem(
					_lt("Priority {0}: times given to the second are rounded up to whole minutes."),
					(row.get("priority"),),
					error=False,
				)
			)
		out.append(
			(
				row.get("priority"),
				math.ceil(response / 60),
				math.ceil(resolution / 60) if resolution is not None else None,
			)
		)
	return out


def plan(sla: dict, holiday_list: dict | None, first_ticket_day: str | None = None) -> SLAPlan:
	"""What importing one Helpdesk SLA makes, or why it cannot."""
	problems: list[Problem] = []
	result = SLAPlan(name=sla["name"], default=bool(sla.get("default_sla")), kind="")
	result.targets = targets_of(sla, problems)
	result.windows = windows_of(sla, problems)
	if not result.windows and not any(p.error for p in problems):
		problems.append(Problem(_lt("It has no working hours.")))
	result.holidays = holidays_of(holiday_list, problems)
	start = _date(sla.get("start_date"))
	result.valid_from = start.isoformat() if start else first_ticket_day
	end = _date(sla.get("end_date"))
	result.valid_to = end.isoformat() if end else None
	if not (sla.get("condition") or "").strip() and str(sla.get("condition_json") or "").strip() not in (
		"",
		"[]",
	):
		problems.append(
			Problem(
				_lt(
					"Its conditions on Helpdesk's SLA page never became the Python condition Helpdesk runs: "
					"Helpdesk applies it to every ticket, and so does the import."
				),
				error=False,
			)
		)
	if result.default:
		result.kind = GENERAL
	else:
		try:
			alternatives = condition_alternatives(sla)
		except ConditionError as error:
			problems.append(Problem(_lt("Not imported: {0}."), (error,), error=False))
			alternatives = None
			result.kind = ""
		else:
			if alternatives is None:
				result.kind, result.rules = RULES, [{}]  # no condition: Helpdesk applies it to every ticket
			elif all(set(alt) == {"customer"} for alt in alternatives):
				result.kind, result.customers = CUSTOMER, [alt["customer"] for alt in alternatives]
			else:
				result.kind, result.rules = RULES, alternatives
	result.problems = problems
	result.fingerprint = fingerprint(sla, holiday_list)
	return result


def fingerprint(sla: dict, holiday_list: dict | None) -> str:
	"""A digest of everything the import reads of one SLA: a changed SLA (or holiday list) is updated."""
	keep = {k: v for k, v in sla.items() if k not in ("modified",)}
	payload = json.dumps([keep, holiday_list or {}], sort_keys=True, default=str)
	return hashlib.sha1(payload.encode()).hexdigest()[:20]


# ------------------------------------------------------------------------------------------- helpers
def _seconds(value) -> int:
	try:
		return max(int(float(value or 0)), 0)
	except (TypeError, ValueError):
		return 0


def _date(value) -> date | None:
	if value is None or value == "":
		return None
	if isinstance(value, date):
		return value
	try:
		return date.fromisoformat(str(value)[:10])
	except ValueError:
		return None


def strip_html(text: str) -> str:
	out, inside = [], False
	for ch in str(text):
		if ch == "<":
			inside = True
		elif ch == ">":
			inside = False
		elif not inside:
			out.append(ch)
	return " ".join("".join(out).split())
