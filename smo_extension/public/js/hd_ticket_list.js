// HD Ticket list (and ERPNext's Issue list, where the SMO judges Issues) in desk: the SMO SLA state as a coloured
// pill (colours: smo_states.js).
(function () {
	for (const doctype of ["HD Ticket", "Issue"]) {
		const settings = (frappe.listview_settings[doctype] = frappe.listview_settings[doctype] || {});
		settings.add_fields = (settings.add_fields || []).concat(["smo_sla_state"]);
		settings.formatters = Object.assign(settings.formatters || {}, {
			smo_sla_state(value) {
				return value ? smo_extension.sla_pill(value) : "";
			},
		});
	}
})();
