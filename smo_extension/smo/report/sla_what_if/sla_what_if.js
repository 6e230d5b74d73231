// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.query_reports["SLA What-If"] = {
	filters: [
		{
			fieldname: "agreement",
			label: __("Agreement"),
			fieldtype: "Link",
			options: "SMO Service Level Agreement",
			reqd: 1,
			get_query: () => ({ filters: { agreement_type: ["in", ["SLA", "OLA"]] } }),
		},
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -3),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "metric",
			label: __("Metric"),
			fieldtype: "Select",
			options: ["Resolution", "Response"],
			default: "Resolution",
		},
		{
			fieldname: "view",
			label: __("View"),
			fieldtype: "Select",
			options: ["By Priority", "By Customer", "By Service", "Flipped Tickets"],
			default: "By Priority",
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "change" && data && data.change !== null && data.change !== undefined) {
			const colour = data.change < 0 ? "var(--red-600)" : "var(--green-600)";
			value = `<span style="color:${colour}">${value}</span>`;
		}
		if (column.fieldname === "what_if_state" && data && data.what_if_state === "Breached") {
			value = `<span style="color:var(--red-600)">${value}</span>`;
		}
		return value;
	},
};
