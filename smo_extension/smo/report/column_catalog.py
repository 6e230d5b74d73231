"""The columns of the SMO reports, each declared once: a report lists the ones it shows by their keys
(`columns("ticket subject service")`), in its own order. Each column is made when asked for (the labels in the
reader's language; a column naming a Helpdesk record is a Link only for a reader who sees every such record,
`link_column`)."""

from __future__ import annotations

from collections.abc import Callable

from frappe import _

from smo_extension.smo.report.columns import column
from smo_extension.smo.report.columns import link_column


def catalog() -> dict[str, Callable[[], dict]]:
	return {
		"agent": lambda: column(_("Agent"), "agent", "Data", 180),
		"agents": lambda: column(_("Agents"), "agents", "Data", 160),
		"agreement": lambda: link_column(
			_("Agreement"), "agreement", "SMO Service Level Agreement", width=200
		),
		"agreement_type": lambda: column(_("Type"), "agreement_type", "Data", 60),
		"agreement_types": lambda: column(_("Agreements"), "agreement_types", "Data", 110),
		"allowed": lambda: column(_("Breaches Allowed"), "allowed", "Int", 130),
		"breached": lambda: column(_("Breached"), "breached", "Int", 85),
		"breached_at": lambda: column(_("Breached At"), "breached_at", "Datetime", 160),
		"budget_share": lambda: column(_("% of Budget"), "budget_share", "Percent", 110),
		"burn_rate": lambda: column(_("Burn Rate"), "burn_rate", "Float", 95, precision=2),
		"change": lambda: column(_("Change"), "change", "Float", 90, precision=2),
		"change_points": lambda: column(_("Change (points)"), "change", "Float", 130, precision=2),
		"compliance": lambda: column(_("Compliance %"), "compliance", "Percent", 105),
		"csat": lambda: column(_("CSAT %"), "csat", "Percent", 80),
		"customer": lambda: link_column(_("Customer"), "customer", "HD Customer"),
		"days_overdue": lambda: column(_("Days Overdue"), "days_overdue", "Int", 110),
		"days_to_due": lambda: column(_("Days to Due"), "days_to_due", "Int", 100),
		"document_type": lambda: column(_("Type"), "document_type", "Data", 100),
		"expected": lambda: column(_("Expected Clocks"), "expected", "Float", 120, precision=1),
		"expected_benefit": lambda: column(_("Expected Benefit"), "expected_benefit", "Data", 260),
		"framework": lambda: column(_("Framework"), "framework", "Data", 150),
		"framework_practice": lambda: column(
			_("Practice or Clause"), "framework_practice", "Link", 200, options="SMO Framework Practice"
		),
		"frequency": lambda: column(_("Frequency"), "frequency", "Data", 90),
		"from_team": lambda: link_column(_("From Team"), "from_team", "HD Team", width=180),
		"gap": lambda: column(_("Gap"), "gap", "Float", 70, precision=2),
		"gap_points": lambda: column(_("Gap (points)"), "gap", "Float", 110, precision=2),
		"handoff_wait_hours": lambda: column(
			_("Median Wait (h)"), "median_wait_hours", "Float", 130, precision=2
		),
		"handoffs": lambda: column(_("Handoffs"), "handoffs", "Int", 90),
		"handoffs_in": lambda: column(_("Handoffs In"), "handoffs_in", "Int", 100),
		"hours": lambda: column(_("Hours"), "hours", "Float", 90, precision=2),
		"improvement": lambda: column(
			_("Improvement"), "improvement", "Link", 130, options="SMO Improvement"
		),
		"kpi": lambda: link_column(_("Definition"), "kpi", "SMO KPI Definition", width=110),
		"kpi_counts": lambda: column(_("KPIs G / A / R / –"), "kpi_counts", "Data", 125),
		"kpi_target": lambda: column(_("Target"), "target", "Float", 100, precision=2),
		"label": lambda: column(_("KPI"), "label", "Data", 300),
		"last_reviewed_on": lambda: column(_("Last Reviewed"), "last_reviewed_on", "Date", 110),
		"late_minutes": lambda: column(
			_("Late by (business time)"), "late_minutes", "Float", 150, precision=1
		),
		"liaisons_in_flight": lambda: column(_("Liaisons in Flight"), "liaisons_in_flight", "Int", 120),
		"live_agreement": lambda: link_column(
			_("Live Agreement"), "live_agreement", "SMO Service Level Agreement", width=180
		),
		"live_breached": lambda: column(_("Live Breached"), "live_breached", "Int", 110),
		"live_compliance": lambda: column(_("Live Compliance %"), "live_compliance", "Percent", 140),
		"live_due": lambda: column(_("Live Due"), "live_due", "Datetime", 160),
		"live_met": lambda: column(_("Live Met"), "live_met", "Int", 90),
		"live_state": lambda: column(_("Live State"), "live_state", "Data", 100),
		"measured_benefit": lambda: column(_("Measured Benefit"), "measured_benefit", "Data", 260),
		"measurement": lambda: link_column(_("Measurement"), "measurement", "SMO KPI Measurement", width=170),
		"median_wait_hours": lambda: column(
			_("Median Wait After Handoff (h)"), "median_wait_hours", "Float", 200, precision=2
		),
		"met": lambda: column(_("Met"), "met", "Int", 70),
		"metric": lambda: column(_("Metric"), "metric", "Data", 100),
		"metric_label": lambda: column(_("Metric"), "metric_label", "Data", 200),
		"next_review_date": lambda: column(_("Next Review"), "next_review_date", "Date", 115),
		"next_review_due": lambda: column(_("Next Review Due"), "next_review_due", "Date", 120),
		"open_breaches": lambda: column(_("Open Breaches"), "open_breaches", "Int", 105),
		"open_improvements": lambda: column(_("Open Improvements"), "open_improvements", "Int", 130),
		"open_tickets": lambda: column(_("Open Tickets"), "open_tickets", "Int", 95),
		"outcome": lambda: column(_("Outcome"), "outcome", "Data", 90),
		"owner_name": lambda: column(_("Owner"), "owner_name", "Data", 180),
		"path": lambda: column(_("Path"), "path", "Data", 320),
		"paused_hours": lambda: column(_("Paused Hours"), "paused_hours", "Float", 110, precision=2),
		"pending": lambda: column(_("Due in Period"), "pending", "Int", 110),
		"period_label": lambda: column(_("Period"), "period_label", "Data", 90),
		"picked_up": lambda: column(_("Picked Up %"), "picked_up", "Percent", 110),
		"policy": lambda: column(_("Document"), "policy", "Link", 160, options="SMO Policy"),
		"previous_value": lambda: column(_("Previous"), "previous_value", "Float", 100, precision=2),
		"priority": lambda: column(_("Priority"), "priority", "Data", 80),
		"projected": lambda: column(_("Projected %"), "projected", "Percent", 110),
		"rag": lambda: column(_("RAG"), "rag", "Data", 150),
		"remaining": lambda: column(_("Remaining"), "remaining", "Int", 95),
		"reopen_rate": lambda: column(_("Reopen %"), "reopen_rate", "Percent", 85),
		"review_state": lambda: column(_("Review State"), "review_state", "Data", 110),
		"running": lambda: column(_("Running"), "running", "Int", 90),
		"scope": lambda: column(_("Scope"), "scope", "Data", 160),
		"service": lambda: link_column(_("Service"), "service", "SMO Service", width=110),
		"service_name": lambda: column(_("Name"), "service_name", "Data", 160),
		"source": lambda: column(_("Source"), "source", "Data", 130),
		"stage": lambda: column(_("Stage"), "stage", "Data", 110),
		"status": lambda: column(_("Status"), "status", "Data", 100),
		"status_label": lambda: column(_("Status"), "status_label", "Data", 100),
		"still_open": lambda: column(_("Still Open"), "still_open", "Check", 80),
		"stopped_at": lambda: column(_("Stopped At"), "stopped_at", "Datetime", 160),
		"subject": lambda: column(_("Subject"), "subject", "Data", 220),
		"target": lambda: column(_("Target %"), "target", "Percent", 90),
		"target_date": lambda: column(_("Target Date"), "target_date", "Date", 110),
		"target_minutes": lambda: column(_("Target (business time)"), "target_minutes", "Int", 120),
		"team": lambda: link_column(_("Team"), "team", "HD Team", width=120),
		"ticket": ticket_column,
		"ticket_doctype": lambda: column(_("Source"), "ticket_doctype", "Data", 90),
		"ticket_priority": lambda: link_column(_("Priority"), "priority", "HD Ticket Priority", width=90),
		"tickets": lambda: column(_("Tickets"), "tickets", "Int", 80),
		"time_share": lambda: column(_("% of Time Used"), "time_share", "Percent", 120),
		"title": lambda: column(_("Title"), "title", "Data", 260),
		"to_team": lambda: link_column(_("To Team"), "to_team", "HD Team", width=180),
		"trend_line": lambda: column(_("Trend"), "trend_line", "Data", 110),
		"used": lambda: column(_("Used"), "used", "Int", 70),
		"usual_volume": lambda: column(_("Usual Volume"), "usual_volume", "Float", 110, precision=1),
		"value": lambda: column(_("Value"), "value", "Float", 110, precision=2),
		"version": lambda: column(_("Version"), "version", "Data", 80),
		"watermelon_flag": lambda: column(_("Watermelon"), "watermelon_flag", "Data", 105),
		"what_if_breached": lambda: column(_("What-If Breached"), "what_if_breached", "Int", 130),
		"what_if_compliance": lambda: column(_("What-If Compliance %"), "what_if_compliance", "Percent", 160),
		"what_if_due": lambda: column(_("What-If Due"), "what_if_due", "Datetime", 160),
		"what_if_met": lambda: column(_("What-If Met"), "what_if_met", "Int", 100),
		"what_if_state": lambda: column(_("What-If State"), "what_if_state", "Data", 110),
	}


def ticket_column() -> dict:
	"""The ticket of a clock: a link to the HD Ticket; where ERPNext is installed, to the ticket or Issue the
	row's `ticket_doctype` names."""
	from smo_extension import erpnext_compat

	if erpnext_compat.installed():
		return {**column(_("Ticket"), "ticket", "Dynamic Link", 130), "options": "ticket_doctype"}
	return link_column(_("Ticket"), "ticket", "HD Ticket", width=90)


def source_column_keys() -> str:
	"""The keys of the ticket columns: the ticket, and its source where ERPNext is installed."""
	from smo_extension import erpnext_compat

	return "ticket_doctype ticket" if erpnext_compat.installed() else "ticket"


def columns(keys: str, *extra: dict) -> list[dict]:
	"""The columns of `keys` (separated by spaces) from the catalog, in that order, then `extra`."""
	made = catalog()
	return [made[key]() for key in keys.split()] + list(extra)
