"""The Helpdesk compat module over both shapes of every difference between releases (1.15 → 1.28, develop),
and the rule that nothing else in the app reaches into Helpdesk or names a field only some releases have."""

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from smo_extension import helpdesk_compat as compat

REPO = Path(__file__).resolve().parents[1]
COMPAT = REPO / "smo_extension" / "helpdesk_compat.py"
# Names that exist in some Helpdesk releases only: only the compat module may say them.
VERSION_SPECIFIC = (
	"first_response_failed_by",
	"resolution_failed_by",
	"integer_value",
	"HD Customer Member",
	"get_customer",
	"get_customers",
)


# ------------------------------------------------------------------------------------------- customers
def test_customers_come_from_get_customer_before_1_28():
	calls = []

	def get_customer(contact):
		calls.append(contact)
		return ("Acme",)

	utils = SimpleNamespace(get_customer=get_customer)
	assert compat.customers_from(utils, "anna@acme.example.com") == ["Acme"]
	assert calls == ["anna@acme.example.com"]


def test_customers_come_from_get_customers_from_1_28():
	calls = []

	def get_customers(user="", contact="", get_roles=False):
		calls.append((user, contact, get_roles))
		return ("Acme", "Globex")

	# 1.28 keeps no get_customer: calling it would be an AttributeError
	utils = SimpleNamespace(get_customers=get_customers)
	assert compat.customers_from(utils, "anna@acme.example.com") == ["Acme", "Globex"]
	assert calls == [("anna@acme.example.com", "", False)]


def test_get_customers_wins_where_a_release_has_both():
	utils = SimpleNamespace(get_customer=lambda c: ("Old",), get_customers=lambda user="", **_: ("New",))
	assert compat.customers_from(utils, "u@example.com") == ["New"]


def test_contacts_of_both_models_are_merged():
	linked = ["b@x.example", None, "a@x.example", ""]
	members = ["a@x.example", "c@x.example"]
	assert compat.merge_emails(linked, members) == ["a@x.example", "b@x.example", "c@x.example"]
	assert compat.merge_emails([], []) == []


# ------------------------------------------------------------------------------------------- priorities
def test_priority_order_reads_integer_value_where_it_exists():
	assert compat.priority_order_field_from(["description", "integer_value", "disabled"]) == "integer_value"
	ranks = compat.priority_ranks_from(
		"integer_value", [("Low", 400), ("Urgent", 100), ("Medium", 300), ("High", 200), ("Odd", None)]
	)
	assert ranks == {"Urgent": 0, "High": 1, "Medium": 2, "Low": 3, "Odd": 4}


def test_priority_order_reads_level_on_develop():
	assert compat.priority_order_field_from(["description", "level", "disabled"]) == "level"
	ranks = compat.priority_ranks_from(
		"level", [("P4", "Low"), ("P1", "Urgent"), ("P3", "Medium"), ("P2", "High"), ("P0", "Urgent")]
	)
	assert ranks == {"P0": 0, "P1": 1, "P2": 2, "P3": 3, "P4": 4}


def test_a_new_priority_gets_the_ordering_value_of_its_release():
	assert compat.priority_values_from(["integer_value"], 0) == {"integer_value": 100}
	assert compat.priority_values_from(["integer_value"], 98) == {"integer_value": 9900}
	assert compat.priority_values_from(["level"], 1) == {"level": "High"}
	assert compat.priority_values_from(["level"], 99) == {"level": "Low"}


# ------------------------------------------------------------------------------------------- list API
def test_list_api_arguments_never_pass_none_for_typed_parameters():
	args = compat.list_data_arguments(
		doctype="HD Ticket", filters=None, columns=None, rows=None, page_length=5
	)
	assert args == {
		"doctype": "HD Ticket",
		"filters": {},
		"default_filters": {},
		"columns": [],
		"rows": [],
		"page_length": 5,
	}


def test_list_api_arguments_keep_what_the_caller_sent():
	columns = [{"key": "subject"}]
	args = compat.list_data_arguments(
		filters={"status": "Open"}, default_filters=[], columns=columns, rows=["x"]
	)
	assert args["filters"] == {"status": "Open"}
	assert args["default_filters"] == []
	assert args["columns"] is columns
	assert args["rows"] == ["x"]


# ------------------------------------------------------------------------------------------- tickets
@pytest.mark.parametrize("value, name", [(58, "58"), ("0058", "0058"), (" 0058 ", "0058"), ("58", "58")])
def test_ticket_names_are_text_and_never_lose_their_zeros(value, name):
	assert compat.ticket_name(value) == name


def test_only_an_autoincrement_ticket_is_sent_as_a_number():
	assert compat.autoincrement_from("autoincrement")
	assert not compat.autoincrement_from(".####")
	assert not compat.autoincrement_from(None)


def test_helpdesk_sla_fields_follow_the_release():
	old = ["subject", "response_by", "resolution_by", "agreement_status"]
	new = [*old, "first_response_failed_by", "resolution_failed_by"]
	assert compat.helpdesk_sla_fields_from(old) == ("response_by", "resolution_by", "agreement_status")
	assert compat.helpdesk_sla_fields_from(new) == (
		"response_by",
		"resolution_by",
		"agreement_status",
		"first_response_failed_by",
		"resolution_failed_by",
	)


def test_failed_by_values_are_written_only_where_the_fields_exist():
	old = compat.helpdesk_sla_fields_from(["response_by", "resolution_by", "agreement_status"])
	new = compat.helpdesk_sla_fields_from(["first_response_failed_by", "resolution_failed_by"])
	assert compat.failed_by_values(old, 540, None) == {}
	assert compat.failed_by_values(new, 540, None) == {
		"first_response_failed_by": 540,
		"resolution_failed_by": None,
	}


def test_an_agent_always_has_a_name():
	assert compat.agent_values("a@example.com", "Ada Agent")["agent_name"] == "Ada Agent"
	assert compat.agent_values("a@example.com", None)["agent_name"] == "a@example.com"


def test_helpdesk_module_refuses_anything_but_helpdesk():
	with pytest.raises(ValueError):
		compat.helpdesk_module("frappe.utils")
	with pytest.raises(ValueError):
		compat.helpdesk_module("helpdesk_other")


# ------------------------------------------------------------------------------------------- the rule
def app_sources() -> list[Path]:
	roots = [REPO / "smo_extension", REPO / "tests", REPO / "benchmarks"]
	return sorted(
		p
		for root in roots
		for p in root.rglob("*")
		if p.suffix in (".py", ".js")
		and p != COMPAT
		and "node_modules" not in p.parts
		and p != Path(__file__)
	)


def helpdesk_imports(source: str, filename: str) -> list[str]:
	found = []
	for node in ast.walk(ast.parse(source, filename)):
		names = []
		if isinstance(node, ast.Import):
			names = [a.name for a in node.names]
		elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
			names = [node.module]
		elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
			"import_module",
			"__import__",
		):
			names = [
				a.value for a in node.args[:1] if isinstance(a, ast.Constant) and isinstance(a.value, str)
			]
		found += [f"{filename}:{node.lineno}: imports {n}" for n in names if n.split(".")[0] == "helpdesk"]
	return found


def test_the_rule_finds_what_it_forbids():
	assert helpdesk_imports("from helpdesk.utils import get_customer\n", "x.py")
	assert helpdesk_imports("import helpdesk.api.doc\n", "x.py")
	assert helpdesk_imports("importlib.import_module('helpdesk.utils')\n", "x.py")
	assert not helpdesk_imports("from smo_extension import helpdesk_compat\n", "x.py")
	assert version_specific_names("x = 'integer_value'\n") == ["integer_value"]


def version_specific_names(source: str) -> list[str]:
	return [n for n in VERSION_SPECIFIC if re.search(rf"(?<![\w]){re.escape(n)}(?![\w])", source)]


def test_nothing_but_the_compat_module_imports_helpdesk():
	found = []
	for path in app_sources():
		if path.suffix == ".py":
			found += helpdesk_imports(path.read_text(), str(path.relative_to(REPO)))
	assert not found, "\n".join(found)


def test_nothing_but_the_compat_module_names_a_version_specific_helpdesk_name():
	found = []
	for path in app_sources():
		for name in version_specific_names(path.read_text()):
			found.append(f"{path.relative_to(REPO)}: {name}")
	assert not found, "\n".join(found)
