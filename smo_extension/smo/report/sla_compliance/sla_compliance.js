// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

{% include "smo_extension/smo/report/report_kit.js" %}

frappe.query_reports["SLA Compliance"] = {
	filters: [
		...smo_report.period(),
		smo_report.select("group_by", "Group By", ["Service", "Customer", "Team", "Priority", "Agreement"], "Service"),
		...smo_report.clock_filters({ agreement_type: "SLA" }).slice(2),
		smo_report.operation(),
		smo_report.agreement(),
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		return column.fieldname === "gap" && data ? smo_report.signed(value, data.gap) : value;
	},
};
