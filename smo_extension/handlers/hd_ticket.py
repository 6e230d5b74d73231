"""doc_events of Helpdesk's HD Ticket. Each handler is a no-op while SMO Settings `enabled` is off."""

import frappe
from frappe import _

from smo_extension.settings import is_enabled
from smo_extension.sla import ticket as ticket_sla


def before_save(doc, method=None):
	if not is_enabled():
		return
	try:
		ticket_sla.before_save(doc)
	except frappe.ValidationError:
		raise  # a bad input the agent must fix (e.g. a retired service)
	except Exception:
		# A fault in the SMO computation must not stop agents from working the ticket: it is logged, the ticket
		# says so, and the next change or the scheduler's recompute tries again.
		doc.flags.pop("smo_pending", None)
		frappe.log_error(title=_("SMO could not compute the clocks of ticket {0}").format(doc.name))
		doc.smo_sla_note = _("SMO could not compute the SLA clocks (see Error Log)")


def on_update(doc, method=None):
	if is_enabled():
		ticket_sla.on_update(doc)


def on_trash(doc, method=None):
	# Clocks of a deleted ticket go with it, even while SMO is switched off.
	ticket_sla.on_trash(doc)
