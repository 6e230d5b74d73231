# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

from smo_extension.sla.config import SMOCalendarError
from smo_extension.tests import SMOTestCase
from smo_extension.tests.factories import make_calendar


class TestSMOBusinessCalendar(SMOTestCase):
	def test_overlapping_windows_are_refused_with_a_translated_message(self):
		with self.assertRaises(SMOCalendarError) as raised:
			make_calendar("_Overlap", windows={"Tuesday": [("09:00", "13:00"), ("12:00", "18:00")]})
		message = str(raised.exception)
		self.assertIn("overlap", message)
		self.assertIn("Tuesday", message)
		self.assertIn("12:00", message)

	def test_unknown_time_zone(self):
		with self.assertRaises(SMOCalendarError) as raised:
			make_calendar("_BadZone", timezone="Mars/Olympus")
		self.assertIn("Mars/Olympus", str(raised.exception))

	def test_end_before_start(self):
		with self.assertRaises(SMOCalendarError) as raised:
			make_calendar("_Backwards", windows={"Monday": [("17:00", "09:00")]})
		self.assertIn("not after its start", str(raised.exception))

	def test_no_working_time(self):
		with self.assertRaises(SMOCalendarError):
			make_calendar("_Empty", windows={})

	def test_midnight_end_and_split_day_are_accepted(self):
		cal = make_calendar(
			"_Split",
			windows={"Monday": [("09:00", "13:00"), ("14:00", "18:00")], "Saturday": [("20:00", "00:00")]},
		)
		self.assertEqual(len(cal.windows), 3)
