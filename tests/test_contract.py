"""The permission contract in code (smo_extension/contract.py) names every persona of PERSONAS.md: a row
added to the table without its place in the contract (and so in the HTTP matrix tests) fails here."""

from pathlib import Path

import pytest

from smo_extension import contract

REPO = Path(__file__).resolve().parents[1]
COPIES = [REPO / "docs" / "PERSONAS.md", REPO.parent / "shared" / "PERSONAS.md"]


@pytest.mark.parametrize("path", [p for p in COPIES if p.exists()], ids=lambda p: str(p.parent.name))
def test_every_persona_of_the_table_is_in_the_contract(path):
	names = contract.persona_names_in(path.read_text())
	assert names, f"no persona table found in {path}"
	assert names == list(contract.PERSONAS)


def test_the_repository_keeps_a_copy_of_the_contract():
	assert COPIES[0].exists()


def test_every_doctype_row_names_only_known_personas_actions_and_reaches():
	for doctype, rows in contract.DOCTYPES.items():
		for persona, actions in rows.items():
			assert persona in contract.PERSONAS, (doctype, persona)
			for action, reach in actions.items():
				assert action in contract.ACTIONS, (doctype, persona, action)
				assert reach in (contract.ALL, contract.OWN, contract.TICKETS), (doctype, persona, reach)
	for method, rows in contract.METHODS.items():
		assert set(rows) <= set(contract.PERSONAS), method
	for report, personas in contract.REPORTS.items():
		assert set(personas) <= set(contract.PERSONAS), report


def test_nobody_writes_what_the_system_writes():
	for doctype in contract.SYSTEM_WRITTEN:
		for persona in contract.PERSONAS:
			for action in (contract.WRITE, contract.CREATE, contract.DELETE):
				assert contract.allowed(doctype, persona, action) is None, (doctype, persona, action)


def test_the_table_parser_reads_rows_in_order():
	table = "# x\n\n| Persona | Who |\n|---|---|\n| A | one |\n| B | two |\n\n| Persona | other |\n"
	assert contract.persona_names_in(table) == ["A", "B"]
