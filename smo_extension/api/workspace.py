"""Numbers of the SMO workspace that must agree with the report they open."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import get_first_day
from frappe.utils import getdate
from frappe.utils import today

from smo_extension.api import typed_whitelist

BREACHES_REPORT = "SLA Breaches"


def breaches_this_month_filters(on=None) -> dict:
	"""The SLA Breaches filters the card counts with and opens the report with: this month's breaches of
	customer SLAs' resolution clocks (the same as the workspace chart's bar of this month)."""
	day = getdate(on or today())
	return {
		"from_date": str(get_first_day(day)),
		"to_date": str(day),
		"metric": "Resolution",
		"agreement_type": "SLA",
	}


@typed_whitelist()
def sla_breaches_this_month(filters: str | dict | list | None = None) -> dict:
	"""Number card "SLA Resolution Breaches This Month": the rows the SLA Breaches report shows for this month,
	customer SLAs, resolution; a click opens the report with exactly these filters."""
	if not frappe.get_cached_doc("Report", BREACHES_REPORT).is_permitted():
		frappe.throw(_("You may not open the report {0}.").format(_(BREACHES_REPORT)), frappe.PermissionError)
	from smo_extension.smo.report.filters import clean_filters
	from smo_extension.smo.report.sla_breaches.sla_breaches import FILTERS
	from smo_extension.smo.report.sla_breaches.sla_breaches import get_data

	report_filters = breaches_this_month_filters()
	return {
		"value": len(get_data(clean_filters(report_filters, FILTERS))),
		"fieldtype": "Int",
		"route": ["query-report", BREACHES_REPORT],
		"route_options": report_filters,
	}
