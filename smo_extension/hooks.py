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
before_uninstall = "smo_extension.setup.install.before_uninstall"

# Desk: the SMO section of HD Ticket shows its state in colour, in the form and the list.
doctype_js = {"HD Ticket": "public/js/hd_ticket.js"}
doctype_list_js = {"HD Ticket": "public/js/hd_ticket_list.js"}

# Document events on other apps' doctypes: short lists of named handlers in our own module.
doc_events = {
	"HD Ticket": {
		"before_save": "smo_extension.handlers.hd_ticket.before_save",
		"on_update": "smo_extension.handlers.hd_ticket.on_update",
		"on_trash": "smo_extension.handlers.hd_ticket.on_trash",
	},
}

has_permission = {
	"SMO Service": "smo_extension.smo.doctype.smo_service.smo_service.has_permission",
}

scheduler_events = {
	"cron": {
		"*/5 * * * *": ["smo_extension.sla.jobs.scan_due_clocks"],
		# PMO sync: looks every 15 minutes, syncs the liaisons whose SMO Settings interval has passed.
		"*/15 * * * *": ["smo_extension.pmo.sync.sync_all_liaisons"],
	},
	"daily": [
		"smo_extension.smo.doctype.smo_service_level_agreement.smo_service_level_agreement.expire_agreements",
		"smo_extension.smo.doctype.smo_policy.smo_policy.notify_policy_reviews",
		"smo_extension.smo.doctype.smo_improvement.smo_improvement.flag_overdue_improvements",
	],
}

# Testing
# -------
before_tests = "smo_extension.tests.before_tests"
