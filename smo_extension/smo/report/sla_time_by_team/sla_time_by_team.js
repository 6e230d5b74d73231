// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.query_reports["SLA Time by Team"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -1),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{ fieldname: "service", label: __("Service"), fieldtype: "Link", options: "SMO Service" },
		{
			fieldname: "outcome",
			label: __("Outcome"),
			fieldtype: "Select",
			options: ["", "Breached", "Met"],
		},
		{
			fieldname: "view",
			label: __("View"),
			fieldtype: "Select",
			options: ["Teams", "Handoffs", "Tickets"],
			default: "Teams",
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "outcome" && data) {
			const colour = data.outcome === __("Breached") ? "var(--red-600)" : "var(--green-600)";
			value = `<span style="color:${colour}">${value}</span>`;
		}
		return value;
	},
};
