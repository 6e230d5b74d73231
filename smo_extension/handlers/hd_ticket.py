"""doc_events of Helpdesk's HD Ticket. Each handler is a no-op while SMO Settings `enabled` is off."""

from smo_extension.sla import ticket as ticket_sla
from smo_extension.smo.doctype.smo_settings.smo_settings import is_enabled


def before_save(doc, method=None):
	if is_enabled():
		ticket_sla.before_save(doc)


def on_update(doc, method=None):
	if is_enabled():
		ticket_sla.on_update(doc)


def on_trash(doc, method=None):
	# Clocks of a deleted ticket go with it, even while SMO is switched off.
	ticket_sla.on_trash(doc)
