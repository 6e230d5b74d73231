"""Install, migrate and uninstall steps of smo_extension."""

import json

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from smo_extension.setup.custom_fields import custom_field_names
from smo_extension.setup.custom_fields import get_custom_fields
from smo_extension.setup.helpdesk_ui import add_to_agent_ui
from smo_extension.setup.helpdesk_ui import remove_from_agent_ui
from smo_extension.smo.doctype.smo_framework_practice.smo_framework_practice import load_framework_practices
from smo_extension.smo.doctype.smo_policy.policy_workflow import remove_policy_workflow
from smo_extension.smo.doctype.smo_policy.policy_workflow import setup_policy_workflow
from smo_extension.smo.doctype.smo_settings.smo_settings import set_governance_defaults

SMO_ROLES = ("SMO Manager", "SMO Analyst", "Service Owner")
DEFAULT_CALENDAR = "Standard Business Hours"


def before_install() -> None:
	# Roles exist before the doctypes that grant them permissions are synced.
	create_roles()


def after_install() -> None:
	create_roles()
	make_custom_fields()
	set_default_settings()
	add_to_agent_ui()
	paint_state_chart()
	enqueue_backfill()
	setup_governance()
	setup_erpnext()
	refresh_onboarding()


def setup_erpnext() -> None:
	from smo_extension.setup import erpnext

	erpnext.setup()


def after_migrate() -> None:
	# New custom fields of a release reach sites that already have the app.
	make_custom_fields()
	setup_erpnext()
	add_to_agent_ui()
	paint_state_chart()
	setup_governance()
	refresh_onboarding()
	decide_prepared_reports()


def decide_prepared_reports() -> None:
	from smo_extension import scale

	scale.decide_prepared_reports()


def refresh_onboarding() -> None:
	from smo_extension.setup import onboarding

	onboarding.refresh()


def before_uninstall() -> None:
	remove_policy_workflow()
	remove_from_agent_ui()
	delete_custom_fields()
	from smo_extension.setup import erpnext

	erpnext.remove()


def paint_state_chart() -> None:
	"""The workspace donut of clock states takes its colours from the app's one colour map (the chart's JSON
	carries none, so a sync never brings other colours back)."""
	from smo_extension.smo.dashboard_chart_source.smo_clock_states.smo_clock_states import CHART
	from smo_extension.smo.dashboard_chart_source.smo_clock_states.smo_clock_states import chart_options

	if frappe.db.exists("Dashboard Chart", CHART):
		frappe.db.set_value(
			"Dashboard Chart", CHART, "custom_options", json.dumps(chart_options()), update_modified=False
		)


def create_roles() -> None:
	for role in SMO_ROLES:
		if frappe.db.exists("Role", role):
			continue
		frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": 1}).insert(
			ignore_permissions=True
		)


def make_custom_fields() -> None:
	create_custom_fields(get_custom_fields(), ignore_validate=True)


def delete_custom_fields() -> None:
	"""Remove our fields from other apps' doctypes. The columns and their values stay in the table (Frappe
	never drops a column on its own), so a reinstall finds them again and no ticket loses data."""
	for doctype, fieldnames in custom_field_names().items():
		for name in frappe.get_all(
			"Custom Field", filters={"dt": doctype, "fieldname": ("in", fieldnames)}, pluck="name"
		):
			frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
		frappe.clear_cache(doctype=doctype)


def set_default_settings() -> None:
	"""Saved settings with the defaults, and a default Mon-Fri 09:00-17:00 calendar in the site's time zone."""
	if not frappe.db.exists("SMO Business Calendar", DEFAULT_CALENDAR):
		frappe.get_doc(
			{
				"doctype": "SMO Business Calendar",
				"calendar_name": DEFAULT_CALENDAR,
				"timezone": frappe.utils.get_system_timezone(),
				"description": "Monday to Friday, 09:00-17:00, site time zone. Created on install.",
				"windows": [
					{"weekday": day, "start_time": "09:00:00", "end_time": "17:00:00"}
					for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
				],
			}
		).insert(ignore_permissions=True)
	settings = frappe.get_single("SMO Settings")  # a new single carries its JSON defaults (enabled, 75 %)
	if settings.default_calendar and settings.at_risk_percent:
		return
	settings.at_risk_percent = settings.at_risk_percent or 75
	settings.default_calendar = settings.default_calendar or DEFAULT_CALENDAR
	settings.flags.ignore_permissions = True
	settings.save()


def setup_governance() -> None:
	"""The framework practices shipped with the app, the SMO Policy workflow, and the governance settings'
	defaults on sites that had the settings before. Idempotent."""
	load_framework_practices()
	setup_policy_workflow()
	set_governance_defaults()


def enqueue_backfill() -> None:
	"""A site that already has tickets gets their SMO events (and, once agreements exist, clocks) from what
	Helpdesk kept, in the background."""
	if frappe.db.count("HD Ticket"):
		frappe.enqueue(
			"smo_extension.sla.jobs.backfill",
			queue="long",
			enqueue_after_commit=True,
			now=bool(frappe.flags.in_test),
		)
