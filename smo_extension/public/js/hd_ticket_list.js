// HD Ticket list in desk: the SMO SLA state as a coloured pill (colours: smo_states.js).
(function () {
	const settings = (frappe.listview_settings["HD Ticket"] = frappe.listview_settings["HD Ticket"] || {});
	settings.add_fields = (settings.add_fields || []).concat(["smo_sla_state"]);
	settings.formatters = Object.assign(settings.formatters || {}, {
		smo_sla_state(value) {
			return value ? smo_extension.sla_pill(value) : "";
		},
	});
})();
