"""The pure SLA engine: business calendars, clocks and compliance.

No `frappe` import and no clock reads anywhere in this package: plain values in and out, the caller passes
`now`.
"""

from smo_extension.engine.calendar import BusinessCalendar, CalendarError
from smo_extension.engine.clock import ClockResult, evaluate_clock
from smo_extension.engine.compliance import Compliance, compliance, compliance_percent

__all__ = [
	"BusinessCalendar",
	"CalendarError",
	"ClockResult",
	"Compliance",
	"compliance",
	"compliance_percent",
	"evaluate_clock",
]
