"""The pure SLA engine: business calendars, clocks and compliance.

No `frappe` import and no clock reads anywhere in this package: plain values in and out, the caller passes
`now`.
"""

from smo_extension.engine.calendar import BusinessCalendar
from smo_extension.engine.calendar import CalendarError
from smo_extension.engine.clock import ClockResult
from smo_extension.engine.clock import evaluate_clock
from smo_extension.engine.compliance import Compliance
from smo_extension.engine.compliance import compliance
from smo_extension.engine.compliance import compliance_percent

__all__ = [
	"BusinessCalendar",
	"CalendarError",
	"ClockResult",
	"Compliance",
	"compliance",
	"compliance_percent",
	"evaluate_clock",
]
