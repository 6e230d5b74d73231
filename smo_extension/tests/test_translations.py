"""Every string the code of this checkout shows (Python `_()`, JS `__()`, doctype labels, descriptions and
options, reports, workspace, onboarding, templates: what `bench generate-pot-file` extracts) has an Italian
entry in smo_extension/locale/it.po, and the site speaks it once compiled (`./run-tests` compiles it first)."""

from __future__ import annotations

from pathlib import Path

import frappe
from babel.messages.extract import DEFAULT_KEYWORDS
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from frappe.gettext.translate import get_method_map

from smo_extension.tests import SMOTestCase

APP = Path(frappe.get_app_path("smo_extension"))


def code_messages() -> set[tuple[str, str | None]]:
	"""The messages of the code under test, as Frappe's extractors find them (its navbar extractor, for hooks.py,
	reads files only inside the bench; the app's hooks have no navbar items)."""
	method_map = [(pattern, method) for pattern, method in get_method_map("frappe") if "navbar" not in method]
	keywords = {**DEFAULT_KEYWORDS, "_lt": None}

	def visible(dirpath) -> bool:
		name = Path(dirpath).name
		return not name.startswith((".", "_")) and name not in ("node_modules", "dist", "tests")

	return {
		(message, context)
		for _file, _line, message, _comments, context in extract_from_dir(
			str(APP), method_map, directory_filter=visible, keywords=keywords
		)
		if message
	}


class TestItalian(SMOTestCase):
	def test_every_string_of_the_code_has_italian(self):
		with open(APP / "locale" / "it.po", "rb") as f:
			italian = {(m.id, m.context): m.string for m in read_po(f) if m.id}
		missing = sorted(key for key in code_messages() if not italian.get(key))
		self.assertFalse(missing, f"{len(missing)} strings without Italian, e.g. {missing[:5]}")

	def test_the_site_speaks_italian(self):
		frappe.local.lang = "it"
		try:
			frappe.clear_cache()  # the compiled catalogue, read afresh
			for english, italian in (
				("SLA Compliance", "Conformità SLA"),
				("Breached", "Violato"),
				("At Risk", "A rischio"),
				("Import from Helpdesk", "Importa da Helpdesk"),
			):
				with self.subTest(english=english):
					self.assertEqual(frappe._(english), italian)
			# the desk's messages for a user who reads Italian carry the app's strings too
			self.assertEqual(
				frappe.translate.get_all_translations("it").get("SLA Compliance"), "Conformità SLA"
			)
		finally:
			frappe.local.lang = "en"
