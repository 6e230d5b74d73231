"""The SLA states a person sees, and the one colour map every page of the app paints them with.

Plain values (no `frappe` import): the desk form and list read it from the boot (`smo_extension.boot`), the
Helpdesk agent UI script gets it rendered into its source on install and migrate (`setup.helpdesk_ui`), and the
workspace donut takes its colours from it (`setup.install`).
"""

from __future__ import annotations

NO_CLOCK = "No SMO clock"
# The states of a clock, in the order a person reads them (how far along, then the verdict).
CLOCK_STATES = ("Running", "At Risk", "Paused", "Met", "Breached")
SLA_STATES = (NO_CLOCK, *CLOCK_STATES)

# state -> the same colour three ways: Frappe's indicator name (desk pills, report summaries), its hex value
# (charts, the agent UI dialog) and a coloured dot (button labels, which take text only).
STATE_COLOURS: dict[str, dict[str, str]] = {
	"Running": {"indicator": "blue", "hex": "#2490EF", "dot": "🔵"},
	"At Risk": {"indicator": "orange", "hex": "#F8814F", "dot": "🟠"},
	"Paused": {"indicator": "purple", "hex": "#9B5DE5", "dot": "🟣"},
	"Met": {"indicator": "green", "hex": "#29CD42", "dot": "🟢"},
	"Breached": {"indicator": "red", "hex": "#E24C4C", "dot": "🔴"},
	NO_CLOCK: {"indicator": "gray", "hex": "#A6B1B9", "dot": "⚪"},
}


def colour(state: str | None, kind: str = "indicator") -> str:
	return STATE_COLOURS.get(state or NO_CLOCK, STATE_COLOURS[NO_CLOCK])[kind]
