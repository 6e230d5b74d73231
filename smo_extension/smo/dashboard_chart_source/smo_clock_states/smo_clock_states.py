"""Dashboard chart source "SMO Clock States": the SLA clocks (customer agreements) by the state of their
resolution clock, every state in the order of `sla.states.CLOCK_STATES` (zeros included), so the chart's colours,
written from the one colour map in the same order, always mean the same state."""

from __future__ import annotations

import frappe
from frappe import _

from smo_extension.api import typed_whitelist
from smo_extension.sla.states import CLOCK_STATES
from smo_extension.sla.states import STATE_COLOURS

CHART = "Clocks by Resolution State"


def chart_options() -> dict:
	return {"colors": [STATE_COLOURS[state]["hex"] for state in CLOCK_STATES]}


@typed_whitelist()
def get(
	chart_name: str | None = None,
	filters: str | dict | list | None = None,
	refresh: int | str | None = None,
	time_interval: str | None = None,
	timespan: str | None = None,
	from_date: str | None = None,
	to_date: str | None = None,
	heatmap_year: str | int | None = None,
) -> dict:
	"""Counts per resolution state of the SLA clocks the user may read (SMO staff all; agents those of tickets
	they may read, as in the SMO Ticket SLA list)."""
	frappe.has_permission("SMO Ticket SLA", "read", throw=True)
	counts = {
		row.state: row.count
		for row in frappe.get_list(
			"SMO Ticket SLA",
			filters={"agreement_type": "SLA"},
			fields=["resolution_state as state", "count(name) as count"],
			group_by="resolution_state",
			order_by="resolution_state asc",
		)
	}
	return {
		"labels": [_(state) for state in CLOCK_STATES],
		"datasets": [{"name": _("SLA clocks"), "values": [counts.get(state, 0) for state in CLOCK_STATES]}],
	}
