# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from smo_extension.api import typed_whitelist
from smo_extension.sla.config import SMOCalendarError
from smo_extension.sla.config import build_calendar
from smo_extension.sla.config import clear_config_cache


class SMOBusinessCalendar(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from smo_extension.smo.doctype.smo_calendar_holiday.smo_calendar_holiday import SMOCalendarHoliday
		from smo_extension.smo.doctype.smo_calendar_window.smo_calendar_window import SMOCalendarWindow

		calendar_name: DF.Data
		description: DF.SmallText | None
		holidays: DF.Table[SMOCalendarHoliday]
		timezone: DF.Autocomplete
		windows: DF.Table[SMOCalendarWindow]

	# end: auto-generated types
	def validate(self):
		holidays = [row.holiday_date for row in self.holidays]
		if len(holidays) != len(set(holidays)):
			frappe.throw(_("A holiday date is listed twice."), SMOCalendarError)
		# The engine's own checks: time zone, window shapes, overlaps, some working time at all.
		build_calendar(self.timezone, self.windows, holidays)

	def on_update(self):
		clear_config_cache()
		if not self.is_new() and self.calendar_changed():
			from smo_extension.sla.jobs import enqueue_recompute

			enqueue_recompute(calendar=self.name)

	def on_trash(self):
		clear_config_cache()

	def calendar_changed(self) -> bool:
		before = self.get_doc_before_save()
		if before is None:
			return False

		def shape(doc):
			return (
				doc.timezone,
				sorted((w.weekday, str(w.start_time), str(w.end_time)) for w in doc.windows),
				sorted(str(h.holiday_date) for h in doc.holidays),
			)

		return shape(before) != shape(self)


@typed_whitelist()
def get_timezones() -> list[str]:
	"""Time zones for the form's autocomplete."""
	from zoneinfo import available_timezones

	frappe.has_permission("SMO Business Calendar", "read", throw=True)
	return sorted(available_timezones())
