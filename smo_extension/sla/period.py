"""Periods that callers name by dates: checked (translated errors for dates that are not dates, a start after the
end, a span longer than the analysis allows) and turned into aware instants of the site's time zone.

A period "from 2026-03-01 to 2026-03-31" is [1 March 00:00, 1 April 00:00) in site time, as the SMO reports
count it.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import getdate

from smo_extension.sla.ticket import site_zone

MAX_PERIOD_DAYS = 366


class SMOPeriodError(frappe.ValidationError):
	pass


def parse_date(value, label: str) -> date:
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	if value is None or (isinstance(value, str) and not value.strip()):
		frappe.throw(_("{0} is required.").format(_(label)), SMOPeriodError, title=_("Invalid period"))
	if not isinstance(value, str):
		frappe.throw(
			_("{0} must be a date (YYYY-MM-DD), not {1}.").format(_(label), _(type(value).__name__)),
			SMOPeriodError,
			title=_("Invalid period"),
		)
	try:
		parsed = getdate(value.strip())
	except Exception:
		parsed = None
	if not isinstance(parsed, date):
		frappe.throw(
			_("{0} must be a date (YYYY-MM-DD), not {1}.").format(_(label), frappe.bold(value[:40])),
			SMOPeriodError,
			title=_("Invalid period"),
		)
	return parsed


def check_period(from_date, to_date, max_days: int = MAX_PERIOD_DAYS) -> tuple[date, date]:
	"""(first day, last day) of a period given by two dates, both included."""
	start = parse_date(from_date, "From Date")
	end = parse_date(to_date, "To Date")
	if start > end:
		frappe.throw(
			_("From Date {0} is after To Date {1}.").format(start, end),
			SMOPeriodError,
			title=_("Invalid period"),
		)
	days = (end - start).days + 1
	if days > max_days:
		frappe.throw(
			_("The period from {0} to {1} is {2} days long; it may be at most {3} days.").format(
				start, end, days, max_days
			),
			SMOPeriodError,
			title=_("Period too long"),
		)
	return start, end


def period_instants(first_day: date, last_day: date) -> tuple[datetime, datetime]:
	"""[first day 00:00, the day after the last 00:00) as aware instants in the site's time zone."""
	zone = site_zone()
	return (
		datetime.combine(first_day, time()).replace(tzinfo=zone),
		datetime.combine(last_day + timedelta(days=1), time()).replace(tzinfo=zone),
	)
