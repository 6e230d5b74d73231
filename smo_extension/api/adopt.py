"""From Helpdesk's own SLAs to the SMO (SMO Manager only): preview, import, switch over.

The work is in `smo_extension.sla.adopt`; these are its whitelisted doors, each checking the caller first.
"""

from __future__ import annotations

import frappe
from frappe import _

from smo_extension.api import typed_whitelist
from smo_extension.permissions import is_smo_manager
from smo_extension.sla import adopt


def only_managers() -> None:
	if not is_smo_manager():
		frappe.throw(
			_("Only an SMO Manager can import Helpdesk's SLAs or switch the SMO on for them."),
			frappe.PermissionError,
		)


@typed_whitelist()
def preview_helpdesk_import(service: str | None = None) -> dict:
	"""What importing Helpdesk's SLAs would create, update and skip (and what it cannot import, and why), with
	Helpdesk's verdicts beside the imported agreements' over the tickets of the last 90 days. Writes nothing."""
	only_managers()
	return adopt.preview(service.strip() if service else None)


@typed_whitelist(methods=["POST"])
def import_helpdesk_slas(service: str | None = None, activate: bool = False) -> dict:
	"""Import every enabled Helpdesk SLA (Draft agreements unless `activate`); the default SLA becomes the
	general agreement of `service` (or of a new "Customer Support" service). Idempotent."""
	only_managers()
	return adopt.import_slas(service.strip() if service else None, activate=activate)


@typed_whitelist(methods=["POST"])
def switch_to_smo(dry_run: bool = False) -> dict:
	"""Activate the imported agreements, enable their mapping rules and judge every ticket in the background
	(a progress bar for the caller; a comment on SMO Settings with who, when and the counts). `dry_run`: only
	say which agreements would become Active and which stay Draft (a priority without a target, ended)."""
	only_managers()
	return adopt.switch_over(dry_run=dry_run)
