// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

{% include "smo_extension/smo/report/report_kit.js" %}

frappe.query_reports["SLA Time by Team"] = {
	filters: [
		...smo_report.period(),
		smo_report.service(),
		smo_report.select("outcome", "Outcome", ["Breached", "Met"]),
		smo_report.select("view", "View", ["Teams", "Handoffs", "Tickets"], "Teams"),
		...smo_report.source(),
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "outcome" && data) {
			return smo_report.coloured(value, data.outcome === __("Breached") ? "red" : "green");
		}
		return value;
	},
};
