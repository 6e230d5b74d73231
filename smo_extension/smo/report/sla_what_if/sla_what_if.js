// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

{% include "smo_extension/smo/report/report_kit.js" %}

frappe.query_reports["SLA What-If"] = {
	filters: [
		smo_report.clock_agreement({ reqd: 1 }),
		...smo_report.period(3),
		smo_report.metric(),
		smo_report.select("view", "View", ["By Priority", "By Customer", "By Service", "Flipped Tickets"], "By Priority"),
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "change" && data) {
			value = smo_report.signed(value, data.change);
		}
		if (column.fieldname === "what_if_state" && data && data.what_if_state === "Breached") {
			value = smo_report.coloured(value, "red");
		}
		return value;
	},
};
