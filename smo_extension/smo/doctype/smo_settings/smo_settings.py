# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class SMOSettingsError(frappe.ValidationError):
	pass


class SMOSettings(Document):
	def validate(self):
		if not 0 < (self.at_risk_percent or 0) < 100:
			frappe.throw(
				_("At-Risk Share must be more than 0% and less than 100%, not {0}%.").format(
					self.at_risk_percent
				),
				SMOSettingsError,
			)

	def on_update(self):
		from smo_extension.sla.config import clear_config_cache

		clear_config_cache()


def get_settings() -> "SMOSettings":
	"""The settings from the document cache: no query once cached; saving the settings clears it."""
	return frappe.get_cached_doc("SMO Settings")


def is_enabled() -> bool:
	return bool(get_settings().enabled)
