// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

{% include "smo_extension/smo/report/report_kit.js" %}

frappe.query_reports["Improvement Register"] = {
	filters: [
		smo_report.service(),
		smo_report.select("status", "Status", ["Proposed", "Approved", "In Progress", "Done", "Rejected"]),
		smo_report.select("source", "Source", ["KPI Miss", "SLA Breach Trend", "Review", "Audit", "Suggestion"]),
		smo_report.owner("improvement_owner"),
		smo_report.check("only_overdue", "Only Overdue"),
		smo_report.select("group_by", "Chart By", ["Status", "Service"], "Status"),
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (!data) {
			return value;
		}
		if (column.fieldname === "days_overdue" && data.days_overdue) {
			value = smo_report.coloured(value, "red");
		}
		if (column.fieldname === "status") {
			const colours = { Proposed: "gray", Approved: "blue", "In Progress": "orange", Done: "green", Rejected: "red" };
			value = smo_report.pill(value, colours, data.status);
		}
		return value;
	},
};
