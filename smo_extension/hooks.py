app_name = "smo_extension"
app_title = "SMO"
app_publisher = "smo_extension developers"
app_description = "Service Management Office for Frappe Helpdesk"
app_email = "smo@example.com"
app_license = "mit"

# Helpdesk must be installed first. Written as "org/repo" so Frappe 15 resolves it without asking GitHub
# for a bare name.
required_apps = ["frappe/helpdesk"]

# Typed controllers: `bench` writes the "begin: auto-generated types" block in each controller.
export_python_type_annotations = True

# Installation
# ------------
before_install = "smo_extension.setup.install.before_install"
after_install = "smo_extension.setup.install.after_install"
after_migrate = "smo_extension.setup.install.after_migrate"
# after an install has synced the dashboards (the charts exist only then)
after_sync = "smo_extension.setup.install.paint_state_chart"
before_uninstall = "smo_extension.setup.install.before_uninstall"
# ERPNext installed or uninstalled beside the app: its fields of the SMO come and go with it (setup/erpnext.py).
after_app_install = "smo_extension.setup.erpnext.after_app_install"
before_app_uninstall = "smo_extension.setup.erpnext.before_app_uninstall"

# ERPNext's forms list what of the SMO rests on them: a Contract its agreements, a Project its liaisons.
override_doctype_dashboards = {
	"Contract": "smo_extension.erpnext_links.contract_dashboard",
	"Project": "smo_extension.erpnext_links.project_dashboard",
}

# Desk: the SMO section of HD Ticket shows its state in colour, in the form and the list; both paint with the one
# colour map of sla/states.py, which the boot carries.
doctype_js = {
	"HD Ticket": ["public/js/smo_states.js", "public/js/hd_ticket.js"],
	# ERPNext's doctypes, where ERPNext is installed (a doctype a site lacks never loads its script)
	"Issue": ["public/js/smo_states.js", "public/js/hd_ticket.js"],
	"Project": ["public/js/erpnext_project.js"],
	# the records a Service Owner may own: read-only where they may not edit, owner field for SMO Managers only
	**{
		doctype: ["public/js/smo_owned.js"]
		for doctype in ("SMO Service", "SMO Service Level Agreement", "SMO Policy", "SMO Improvement")
	},
}
doctype_list_js = {
	"HD Ticket": ["public/js/smo_states.js", "public/js/hd_ticket_list.js"],
	"SMO Ticket SLA": ["public/js/smo_states.js"],
	"Issue": ["public/js/smo_states.js", "public/js/hd_ticket_list.js"],
}
boot_session = "smo_extension.boot.boot_session"

# Helpdesk's agent ticket list: its default columns (HD Ticket.default_list_data, built in code) get the SMO's
# SLA state (see api/helpdesk.py).
override_whitelisted_methods = {
	"helpdesk.api.doc.get_list_data": "smo_extension.api.helpdesk.get_list_data",
	"helpdesk.api.doc.get_quick_filters": "smo_extension.api.helpdesk.get_quick_filters",
}

# Helpdesk (≥ 1.24) rewrites the SLA Status of open tickets hourly outside a save: on tickets the SMO judges it
# keeps the SMO's answer (overrides/hd_service_level_agreement.py).
override_doctype_class = {
	"HD Service Level Agreement": "smo_extension.overrides.hd_service_level_agreement.SMOHDServiceLevelAgreement",
}

# The app's doctypes that people edit: each value is checked against its field before the controller sees it
# (a leading underscore keeps this list out of the hooks Frappe reads).
_EDITED_DOCTYPES = (
	"SMO Business Calendar",
	"SMO Charter",
	"SMO Framework Practice",
	"SMO Improvement",
	"SMO KPI Definition",
	"SMO KPI Measurement",
	"SMO PMO Liaison",
	"SMO Policy",
	"SMO Service",
	"SMO Service Level Agreement",
	"SMO Service Mapping Rule",
	"SMO Settings",
)

# Document events: other apps' doctypes (HD Ticket) and the value checks of ours; named handlers in our modules.
doc_events = {
	"HD Ticket": {
		"before_save": "smo_extension.handlers.hd_ticket.before_save",
		"on_update": "smo_extension.handlers.hd_ticket.on_update",
		"on_trash": "smo_extension.handlers.hd_ticket.on_trash",
	},
	# ERPNext's Issue (where ERPNext is installed): the same clocks, when SMO Settings judge Issues.
	"Issue": {
		"before_save": "smo_extension.handlers.hd_ticket.before_save",
		"on_update": "smo_extension.handlers.hd_ticket.on_update",
		"on_trash": "smo_extension.handlers.hd_ticket.on_trash",
	},
	# Helpdesk assigns tickets through ToDo: assignment changes feed the time ledger.
	"ToDo": {
		"on_update": "smo_extension.handlers.todo.on_update",
		"on_trash": "smo_extension.handlers.todo.on_trash",
	},
	**{
		doctype: {"before_validate": "smo_extension.validation.prepare_values"}
		for doctype in _EDITED_DOCTYPES
	},
}

# The guided setup (Module Onboarding "SMO"): a step completes when its record exists.
for _doctype in (
	"SMO Settings",
	"SMO Service",
	"SMO Service Level Agreement",
	"SMO Service Mapping Rule",
	"SMO KPI Definition",
	"User",
):
	_events = doc_events.setdefault(_doctype, {})
	for _event in ("on_update", "on_trash"):
		_handlers = _events.get(_event) or []
		_events[_event] = [
			*([_handlers] if isinstance(_handlers, str) else _handlers),
			"smo_extension.setup.onboarding.on_record_change",
		]

# Who may do what (shared/PERSONAS.md): ownership on top of the role permissions, clocks as their tickets.
has_permission = {
	"SMO Service": "smo_extension.permissions.has_owner_permission",
	"SMO Service Level Agreement": "smo_extension.permissions.has_owner_permission",
	"SMO Policy": "smo_extension.permissions.has_owner_permission",
	"SMO Improvement": "smo_extension.permissions.has_owner_permission",
	"SMO Ticket SLA": "smo_extension.permissions.ticket_sla_permission",
}
permission_query_conditions = {
	"SMO Ticket SLA": "smo_extension.permissions.ticket_sla_query",
}

# Requests to SMO records and reports are checked before Frappe's REST layer and report runner handle them
# (which answer a malformed body with a 500 and log what a report raises).
before_request = ["smo_extension.guards.check_request"]

scheduler_events = {
	# every scheduler tick (a minute; Frappe logs no run of these): what saves left on their tickets (SMO
	# Settings: Write Clocks After the Save) goes to the tables
	"all": ["smo_extension.sla.jobs.flush_deferred"],
	# KPIs: each finished period of every active KPI is measured once (an hour after it ends).
	"hourly": ["smo_extension.kpi.jobs.close_periods"],
	"cron": {
		"*/5 * * * *": ["smo_extension.sla.jobs.scan_due_clocks"],
		# PMO sync: looks every 15 minutes, syncs the liaisons whose SMO Settings interval has passed.
		"*/15 * * * *": ["smo_extension.pmo.sync.sync_all_liaisons"],
	},
	"daily": [
		"smo_extension.smo.doctype.smo_service_level_agreement.smo_service_level_agreement.expire_agreements",
		"smo_extension.smo.doctype.smo_policy.smo_policy.notify_policy_reviews",
		"smo_extension.smo.doctype.smo_improvement.smo_improvement.flag_overdue_improvements",
		# liaisons whose hypercare window ended leave hypercare (stage Closed, day recorded)
		"smo_extension.sla.hypercare.end_hypercare",
		# on the first working day of a month: last month's SLA statement to each customer who opted in
		"smo_extension.sla.statement.send_monthly_statements",
		"smo_extension.sla.budget.notify_budget_risks",
		# the SLA reports become Prepared Reports once the clock table is large (SMO Settings)
		"smo_extension.scale.decide_prepared_reports",
	],
}

# Testing
# -------
before_tests = "smo_extension.tests.before_tests"
