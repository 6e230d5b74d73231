// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.query_reports["Error Budget"] = {
	filters: [
		{
			fieldname: "period",
			label: __("Period"),
			fieldtype: "Select",
			options: ["Month", "Quarter", "Week"],
			default: "Month",
		},
		{
			fieldname: "date",
			label: __("Date in Period"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
		},
		{ fieldname: "service", label: __("Service"), fieldtype: "Link", options: "SMO Service" },
		{
			fieldname: "agreement_type",
			label: __("Agreement Type"),
			fieldtype: "Select",
			options: ["", "SLA", "OLA"],
			default: "SLA",
		},
		{
			fieldname: "agreement",
			label: __("Agreement"),
			fieldtype: "Link",
			options: "SMO Service Level Agreement",
			get_query: () => ({ filters: { agreement_type: ["in", ["SLA", "OLA"]] } }),
		},
		{
			fieldname: "metric",
			label: __("Metric"),
			fieldtype: "Select",
			options: ["Resolution", "Response"],
			default: "Resolution",
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (!data) return value;
		if (column.fieldname === "status_label") {
			const colour = {
				"On Track": "var(--green-600)",
				"At Risk": "var(--orange-600)",
				Exhausted: "var(--red-600)",
			}[data.status];
			if (colour) value = `<span style="color:${colour};font-weight:600">${value}</span>`;
		}
		if (column.fieldname === "remaining" && data.remaining < 0) {
			value = `<span style="color:var(--red-600)">${value}</span>`;
		}
		if (column.fieldname === "burn_rate" && data.burn_rate > 1) {
			value = `<span style="color:var(--red-600)">${value}</span>`;
		}
		return value;
	},
};
