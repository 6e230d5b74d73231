// HD Ticket list in desk: the SMO SLA state as a coloured pill.
(function () {
	const settings = (frappe.listview_settings["HD Ticket"] = frappe.listview_settings["HD Ticket"] || {});
	const colours = {
		Running: "green",
		"At Risk": "orange",
		Paused: "blue",
		Met: "green",
		Breached: "red",
		"No SMO clock": "gray",
	};
	settings.add_fields = (settings.add_fields || []).concat(["smo_sla_state"]);
	settings.formatters = Object.assign(settings.formatters || {}, {
		smo_sla_state(value) {
			if (!value) return "";
			return `<span class="indicator-pill ${colours[value] || "gray"}">${__(value)}</span>`;
		},
	});
})();
