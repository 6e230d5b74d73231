// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.query_reports["SLA Breaches"] = {
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
		{
			fieldname: "metric",
			label: __("Metric"),
			fieldtype: "Select",
			options: ["", "Response", "Resolution"],
		},
		{ fieldname: "service", label: __("Service"), fieldtype: "Link", options: "SMO Service" },
		{
			fieldname: "customer",
			label: __("Customer"),
			fieldtype: "Link",
			options: "HD Customer",
			// SMO staff may not read Helpdesk's customers: search and keep the name without Link validation
			get_query: () => ({ query: "smo_extension.api.catalog.search_customers" }),
			ignore_link_validation: 1,
		},
		{ fieldname: "team", label: __("Team"), fieldtype: "Link", options: "HD Team" },
		{ fieldname: "priority", label: __("Priority"), fieldtype: "Link", options: "HD Ticket Priority" },
		{
			fieldname: "agreement_type",
			label: __("Agreement Type"),
			fieldtype: "Select",
			options: ["", "SLA", "OLA"],
		},
	],
	formatter(value, row, column, data, default_formatter) {
		// times without seconds; business minutes as hours and minutes (the value itself stays a number, so
		// the columns still sort by it)
		if (column.fieldtype === "Datetime" && value) {
			const text = `${frappe.datetime.str_to_user(String(value).slice(0, 10))} ${String(value).slice(11, 16)}`;
			return default_formatter(text, row, { ...column, fieldtype: "Data" }, data);
		}
		if (["late_minutes", "target_minutes"].includes(column.fieldname) && value !== null && value !== undefined) {
			const total = Math.round(Number(value));
			const text = `${Math.floor(total / 60)}h ${String(total % 60).padStart(2, "0")}m`;
			return `<div style="text-align: right">${text}</div>`;
		}
		return default_formatter(value, row, column, data);
	},
};
