"""doc_events of the documents the SMO judges: Helpdesk's HD Ticket and ERPNext's Issue (hooks.py wires both).
Each handler is a no-op while SMO Settings do not judge the document's source (`enabled`, and the switch per
source)."""

import frappe
from frappe import _

from smo_extension.settings import judges_helpdesk
from smo_extension.settings import judges_issues
from smo_extension.sla import ticket as ticket_sla


def judged(doc) -> bool:
	return judges_issues() if doc.doctype == ticket_sla.ISSUE else judges_helpdesk()


def before_save(doc, method=None):
	if not judged(doc):
		return
	try:
		ticket_sla.before_save(doc)
	except frappe.ValidationError:
		raise  # a bad input the agent must fix (e.g. a retired service)
	except Exception:
		# A fault in the SMO computation must not stop agents from working the ticket: it is logged, the ticket
		# says so, and the next change or the scheduler's recompute tries again.
		doc.flags.pop("smo_pending", None)
		ticket_sla.keep_left_events(doc)
		frappe.log_error(title=_("SMO could not compute the clocks of ticket {0}").format(doc.name))
		doc.smo_sla_note = _("SMO could not compute the SLA clocks (see Error Log)")


def on_update(doc, method=None):
	if judged(doc):
		ticket_sla.on_update(doc)


def on_trash(doc, method=None):
	# Clocks of a deleted ticket go with it, even while SMO is switched off.
	ticket_sla.on_trash(doc)
