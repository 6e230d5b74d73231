"""Helpdesk's SLAs read as SMO terms (smo_extension.engine.hd_import): conditions, calendars, targets, bad input."""

from __future__ import annotations

import json

import pytest

from smo_extension.engine import hd_import
from smo_extension.engine.hd_import import ConditionError
from smo_extension.engine.hd_import import alternatives_from_json
from smo_extension.engine.hd_import import alternatives_from_python
from smo_extension.engine.hd_import import plan


def sla(**over) -> dict:
	base = {
		"name": "Gold",
		"default_sla": 0,
		"apply_sla_for_resolution": 1,
		"start_date": None,
		"end_date": None,
		"condition": None,
		"condition_json": None,
		"holiday_list": "Italy",
		"priorities": [
			{"idx": 1, "priority": "High", "response_time": 3600.0, "resolution_time": 14400.0},
			{"idx": 2, "priority": "Low", "response_time": 86400.0, "resolution_time": 259200.0},
		],
		"days": [
			{"idx": i + 1, "workday": day, "start_time": 9 * 3600, "end_time": 18 * 3600}
			for i, day in enumerate(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"))
		],
	}
	base.update(over)
	return base


HOLIDAYS = {
	"name": "Italy",
	"from_date": "2026-01-01",
	"to_date": "2026-12-31",
	"holidays": [
		{"holiday_date": "2026-12-25", "description": "<p>Natale</p>", "weekly_off": 0},
		{"holiday_date": "2026-12-06", "description": "Sunday", "weekly_off": 1},
		{"holiday_date": "2026-12-13", "description": "", "weekly_off": 1},
	],
}


# ------------------------------------------------------------------------------------------- conditions
@pytest.mark.parametrize(
	"conditions, expected",
	[
		([["customer", "equals", "Acme"]], [{"customer": "Acme"}]),
		(
			[["customer", "equals", "Acme"], "or", ["customer", "==", "Beta"]],
			[{"customer": "Acme"}, {"customer": "Beta"}],
		),
		([["customer", "in", ["Acme", "Beta"]]], [{"customer": "Acme"}, {"customer": "Beta"}]),
		([["customer", "in", "Acme, Beta"]], [{"customer": "Acme"}, {"customer": "Beta"}]),
		(
			[["ticket_type", "equals", "Bug"], "and", ["agent_group", "equals", "L2"]],
			[{"ticket_type": "Bug", "team": "L2"}],
		),
		(
			[
				["ticket_type", "equals", "Bug"],
				"and",
				[["customer", "equals", "A"], "or", ["customer", "equals", "B"]],
			],
			[{"ticket_type": "Bug", "customer": "A"}, {"ticket_type": "Bug", "customer": "B"}],
		),
		# "and" binds tighter than "or", as in the Python Helpdesk makes of the list
		(
			[
				["customer", "equals", "A"],
				"or",
				["customer", "equals", "B"],
				"and",
				["ticket_type", "equals", "Bug"],
			],
			[{"customer": "A"}, {"customer": "B", "ticket_type": "Bug"}],
		),
	],
)
def test_condition_json(conditions, expected):
	assert alternatives_from_json(json.dumps(conditions)) == expected


@pytest.mark.parametrize("empty", [None, "", "[]", []])
def test_no_condition(empty):
	assert alternatives_from_json(empty) is None


@pytest.mark.parametrize(
	"conditions, why",
	[
		([["subject", "like", "%VIP%"]], "subject"),
		([["priority", "equals", "High"]], "priority"),
		([["customer", "not equals", "Acme"]], "not equals"),
		([["customer", "equals", "A"], "xor", ["customer", "equals", "B"]], "xor"),
		([["customer", "equals", "A"], "and", ["customer", "equals", "B"]], "never"),
		("{not json", "JSON"),
	],
)
def test_condition_json_not_imported(conditions, why):
	with pytest.raises(ConditionError) as error:
		alternatives_from_json(conditions if isinstance(conditions, str) else json.dumps(conditions))
	assert why in error.value.template.format(*error.value.values)


@pytest.mark.parametrize(
	"source, expected",
	[
		("doc.customer == 'Acme'", [{"customer": "Acme"}]),
		('doc.customer in ["Acme", "Beta"]', [{"customer": "Acme"}, {"customer": "Beta"}]),
		(
			"doc.ticket_type == 'Bug' and doc.agent_group == 'L2'",
			[{"ticket_type": "Bug", "team": "L2"}],
		),
		(
			"doc.get('customer') == 'Acme' or doc['customer'] == 'Beta'",
			[{"customer": "Acme"}, {"customer": "Beta"}],
		),
		("customer == 'Acme'", [{"customer": "Acme"}]),
	],
)
def test_condition_python(source, expected):
	assert alternatives_from_python(source) == expected


@pytest.mark.parametrize(
	"source",
	[
		"doc.subject.startswith('VIP')",
		"doc.priority == 'High'",
		"doc.customer != 'Acme'",
		"1 +",
		"doc.customer == x",
	],
)
def test_condition_python_not_imported(source):
	with pytest.raises(ConditionError):
		alternatives_from_python(source)


def test_the_python_condition_is_what_helpdesk_runs():
	conditions = json.dumps([["customer", "equals", "Acme"]])
	# both, as Helpdesk's SLA page writes them: the Python one is read
	row = sla(condition_json=conditions, condition='doc.customer == "Acme" or doc.customer == "Beta"')
	assert hd_import.condition_alternatives(row) == [{"customer": "Acme"}, {"customer": "Beta"}]
	# an older SLA has the Python condition only
	assert hd_import.condition_alternatives(sla(condition="doc.customer == 'Beta'")) == [{"customer": "Beta"}]
	# Python the import cannot read: the JSON beside it
	row = sla(condition_json=conditions, condition="doc.customer.lower() == 'acme'")
	assert hd_import.condition_alternatives(row) == [{"customer": "Acme"}]
	# no Python condition: Helpdesk applies the SLA to every ticket, and the plan says so
	result = plan(sla(condition_json=conditions), None)
	assert result.kind == hd_import.RULES and result.rules == [{}]
	assert [p for p in result.problems if not p.error and "every ticket" in p.message]


def test_in_as_helpdesk_writes_it():
	source = '(doc.customer and doc.customer in ["Acme", "Beta"]) and doc.ticket_type == "Bug"'
	assert alternatives_from_python(source) == [
		{"customer": "Acme", "ticket_type": "Bug"},
		{"customer": "Beta", "ticket_type": "Bug"},
	]
	with pytest.raises(ConditionError):
		alternatives_from_python("doc.customer")  # only "is set"


# ------------------------------------------------------------------------------------------- plans
def test_default_sla_is_general_with_calendar_and_targets():
	result = plan(sla(default_sla=1), HOLIDAYS, "2026-01-05")
	assert result.importable and result.kind == hd_import.GENERAL
	assert result.targets == [("High", 60, 240), ("Low", 1440, 4320)]
	assert result.windows[0] == ("Monday", "09:00:00", "18:00:00") and len(result.windows) == 5
	# every dated row, weekly offs included, is a holiday; descriptions without HTML
	assert result.holidays == [
		("2026-12-06", "Sunday"),
		("2026-12-13", "Weekly off"),
		("2026-12-25", "Natale"),
	]
	assert result.valid_from == "2026-01-05" and result.valid_to is None


def test_response_only_sla_has_no_resolution_target():
	result = plan(
		sla(apply_sla_for_resolution=0, priorities=[{"priority": "High", "response_time": 1800}]), None
	)
	assert result.targets == [("High", 30, None)]
	assert not result.errors


def test_customer_condition_becomes_customer_agreements():
	result = plan(sla(condition='(doc.customer and doc.customer in ["Acme", "Beta"])'), HOLIDAYS)
	assert result.kind == hd_import.CUSTOMER and result.customers == ["Acme", "Beta"]


def test_type_condition_becomes_rules():
	result = plan(sla(condition="doc.ticket_type == 'Bug'"), HOLIDAYS)
	assert result.kind == hd_import.RULES and result.rules == [{"ticket_type": "Bug"}]
	# a non-default SLA without a condition applies to every ticket: one rule without conditions
	assert plan(sla(), HOLIDAYS).rules == [{}]


def test_condition_not_imported_is_a_note_not_an_error():
	result = plan(sla(condition="doc.subject == 'VIP'"), HOLIDAYS)
	assert result.kind == "" and not result.errors and not result.importable
	assert any("subject" in str(p.values[0].values) for p in result.problems)


def test_midnight_and_seconds():
	days = [{"idx": 1, "workday": "Saturday", "start_time": 0, "end_time": 86399}]
	result = plan(sla(days=days), None)
	assert result.windows == [("Saturday", "00:00:00", "00:00:00")]  # midnight as the app writes a day's end
	result = plan(sla(priorities=[{"priority": "High", "response_time": 90, "resolution_time": 3600}]), None)
	assert result.targets == [("High", 2, 60)]
	assert [p for p in result.problems if not p.error]  # rounded up: said


@pytest.mark.parametrize(
	"over, words",
	[
		({"priorities": []}, "no priorities"),
		(
			{"priorities": [{"priority": "High", "response_time": 0, "resolution_time": 3600}]},
			"response time is 0",
		),
		(
			{"priorities": [{"priority": "High", "response_time": 60, "resolution_time": 0}]},
			"resolution time is 0",
		),
		(
			{
				"days": [
					{"idx": 1, "workday": "Monday", "start_time": 9 * 3600, "end_time": 13 * 3600},
					{"idx": 2, "workday": "Monday", "start_time": 12 * 3600, "end_time": 18 * 3600},
				]
			},
			"overlap",
		),
		(
			{"days": [{"idx": 1, "workday": "Monday", "start_time": 18 * 3600, "end_time": 9 * 3600}]},
			"ends before",
		),
	],
)
def test_bad_input(over, words):
	result = plan(sla(**over), None)
	assert result.errors and not result.importable
	assert any(words in p.message for p in result.errors)


def test_holiday_outside_its_range():
	bad = {**HOLIDAYS, "holidays": [*HOLIDAYS["holidays"], {"holiday_date": "2027-01-06", "weekly_off": 0}]}
	result = plan(sla(), bad)
	assert [p for p in result.errors if "outside its range" in p.message]
	assert "2027-01-06" in result.errors[0].values[3]


def test_fingerprint_follows_the_source():
	one = plan(sla(), HOLIDAYS).fingerprint
	assert one == plan(sla(modified="2026-12-01"), HOLIDAYS).fingerprint  # the modified stamp alone: same
	assert one != plan(sla(end_date="2027-01-01"), HOLIDAYS).fingerprint
	assert one != plan(sla(), {**HOLIDAYS, "to_date": "2027-01-31"}).fingerprint


def test_a_holiday_on_a_weekly_off_is_one_holiday():
	rows = [
		{"holiday_date": "2026-11-01", "description": "Ognissanti", "weekly_off": 0},
		{"holiday_date": "2026-11-01", "description": "", "weekly_off": 1},
		{"holiday_date": "2026-11-08", "description": "Sunday", "weekly_off": 1},
	]
	result = plan(sla(), {**HOLIDAYS, "holidays": rows})
	assert result.holidays == [("2026-11-01", "Ognissanti / Weekly off"), ("2026-11-08", "Sunday")]
