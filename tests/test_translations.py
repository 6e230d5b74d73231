"""The Italian catalogue (smo_extension/locale/it.po) against the app's template (main.pot, made by `bench
generate-pot-file --app smo_extension`): every string the app shows has an Italian entry that keeps its
placeholders and the SMO's domain words. The site tier checks the template against the code itself
(smo_extension/tests/test_translations.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pofile = pytest.importorskip("babel.messages.pofile")

LOCALE = Path(__file__).resolve().parents[1] / "smo_extension" / "locale"
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)s|%s")
# English words the SMO's Italian keeps as they are, or says one way (reviewed terms)
KEPT = ("SLA", "OLA", "KPI", "SMO", "PMO")
TERMS = {
	r"\bbreached\b": ("violat", "violazion"),
	r"\bat risk\b": ("a rischio",),
	r"\bcompliance\b": ("conformità", "compliance"),
	r"\bholiday": ("festiv", "festa", "ferie"),
}


def catalogue(name: str):
	with open(LOCALE / name, "rb") as f:
		return pofile.read_po(f)


@pytest.fixture(scope="module")
def template():
	return catalogue("main.pot")


@pytest.fixture(scope="module")
def italian():
	return catalogue("it.po")


def entries(catalog) -> dict[tuple[str, str | None], str]:
	return {(m.id, m.context): m.string for m in catalog if m.id}


def test_every_string_has_an_italian_entry(template, italian):
	have = entries(italian)
	missing = [key for key in entries(template) if not have.get(key)]
	assert not missing, f"{len(missing)} strings without Italian, e.g. {missing[:5]}"


def test_no_entry_for_a_string_the_app_no_longer_has(template, italian):
	stale = set(entries(italian)) - set(entries(template))
	assert not stale, (
		f"{len(stale)} Italian entries for strings the app no longer has, e.g. {sorted(stale)[:5]}"
	)


def test_placeholders_are_kept(italian):
	broken = [
		m.id
		for m in italian
		if m.id and m.string and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))
	]
	assert not broken, broken[:5]


def test_domain_words(italian):
	wrong = []
	for m in italian:
		if not m.id or not m.string:
			continue
		for word in KEPT:
			if re.search(rf"\b{word}s?\b", m.id) and word not in m.string:
				wrong.append((m.id, m.string))
		for pattern, words in TERMS.items():
			if re.search(pattern, m.id, re.IGNORECASE) and not any(w in m.string.lower() for w in words):
				wrong.append((m.id, m.string))
	assert not wrong, wrong[:8]
