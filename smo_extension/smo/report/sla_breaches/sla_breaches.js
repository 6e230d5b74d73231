// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

{% include "smo_extension/smo/report/report_kit.js" %}

frappe.query_reports["SLA Breaches"] = {
	filters: smo_report.clock_filters({ metric_blank: true }),
	formatter(value, row, column, data, default_formatter) {
		// times without seconds; business minutes as hours and minutes (the value itself stays a number, so
		// the columns still sort by it)
		if (column.fieldtype === "Datetime" && value) {
			return default_formatter(smo_report.minute(value), row, { ...column, fieldtype: "Data" }, data);
		}
		if (["late_minutes", "target_minutes"].includes(column.fieldname) && value !== null && value !== undefined) {
			return smo_report.hours_minutes(value);
		}
		return default_formatter(value, row, column, data);
	},
};
