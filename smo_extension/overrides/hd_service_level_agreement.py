"""Helpdesk's SLA controller, with one SLA truth kept where Helpdesk recomputes its status outside a save.

From 1.24 on Helpdesk runs an hourly job (`update_sla_status_in_ticket`) that loads every open ticket with an
SLA, asks `HD Service Level Agreement.handle_agreement_status` for its status and writes it with `set_value`,
bypassing the ticket's hooks. Helpdesk derives that status from its own fields; where the SMO judges the ticket
the derivation can disagree with the SMO (a Helpdesk SLA without a resolution target says Fulfilled after the
first response, the SMO says Resolution Due). So for a ticket whose SLA fields tell the SMO's answer
(`sla.ticket.shows_smo_sla`) the status Helpdesk derives is replaced by the one the SMO stored; every other
ticket gets Helpdesk's own. Registered with `override_doctype_class` (hooks.py); the class extends whatever
class the installed Helpdesk has (`helpdesk_compat.sla_class`), so its other behaviour is Helpdesk's.
"""

from __future__ import annotations

from smo_extension.helpdesk_compat import sla_class


class SMOHDServiceLevelAgreement(sla_class()):
	def handle_agreement_status(self, doc) -> None:
		from smo_extension.sla.ticket import shows_smo_sla

		if not shows_smo_sla(doc):
			super().handle_agreement_status(doc)
			return
		stored = doc.get("agreement_status")
		super().handle_agreement_status(doc)
		if stored:
			doc.agreement_status = stored
