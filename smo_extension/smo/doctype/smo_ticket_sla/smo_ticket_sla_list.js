// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

// Clock states in the one colour map of the app (helper: public/js/smo_states.js, loaded with this list).
frappe.listview_settings["SMO Ticket SLA"] = {
	formatters: {
		response_state: (value) => (value ? smo_extension.sla_pill(value) : ""),
		resolution_state: (value) => (value ? smo_extension.sla_pill(value) : ""),
	},
};
