// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

{% include "smo_extension/smo/report/report_kit.js" %}

frappe.query_reports["Error Budget"] = {
	filters: [
		smo_report.select("period", "Period", ["Month", "Quarter", "Week"], "Month"),
		smo_report.date("date", "Date in Period", 0),
		smo_report.service(),
		smo_report.agreement_type("SLA"),
		smo_report.clock_agreement(),
		smo_report.metric(),
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (!data) return value;
		if (column.fieldname === "status_label") {
			const colour = { "On Track": "green", "At Risk": "orange", Exhausted: "red" }[data.status];
			if (colour) value = `<span style="color:var(--${colour}-600);font-weight:600">${value}</span>`;
		}
		if (column.fieldname === "remaining" && data.remaining < 0) {
			value = smo_report.coloured(value, "red");
		}
		if (column.fieldname === "burn_rate" && data.burn_rate > 1) {
			value = smo_report.coloured(value, "red");
		}
		return value;
	},
};
