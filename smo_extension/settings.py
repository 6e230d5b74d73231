"""SMO Settings as the adapters read them: one small module below the controllers.

The adapters (`sla/`, `kpi/`, `pmo/`, `api/`, handlers) read the settings from here, never from the SMO Settings
controller, which sits on top and calls down into them (its switch enqueues `sla.jobs`): so no import runs in a
circle (tests/test_import_graph.py checks it).
"""

from __future__ import annotations

import frappe


def get_settings():
	"""The settings from the document cache: no query once cached; saving the settings clears it."""
	return frappe.get_cached_doc("SMO Settings")


def is_enabled() -> bool:
	return bool(get_settings().enabled)


def drives_helpdesk_sla() -> bool:
	"""Helpdesk's own SLA fields show the SMO's answer on tickets with an SMO SLA clock."""
	settings = get_settings()
	return bool(settings.enabled and settings.drive_helpdesk_sla)


def defers_clock_writes() -> bool:
	"""A ticket save leaves its clock rows and events to the minute's job (`sla.jobs.flush_deferred`)."""
	settings = get_settings()
	return bool(settings.enabled and settings.get("defer_clock_writes"))


def judges_helpdesk() -> bool:
	"""The SMO judges Helpdesk's tickets (on unless SMO Settings switch it off; a patch switched it on on sites
	whose settings predate the switch)."""
	settings = get_settings()
	return bool(settings.enabled and settings.get("judge_helpdesk_tickets"))


def judges_issues() -> bool:
	"""The SMO judges ERPNext's Issues: ERPNext is installed and SMO Settings switch it on (off by default)."""
	from smo_extension import erpnext_compat

	settings = get_settings()
	return bool(settings.enabled and settings.get("judge_erpnext_issues")) and erpnext_compat.installed()
