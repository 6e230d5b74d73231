// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.query_reports["SLA Compliance"] = {
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
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Service", "Customer", "Team", "Priority", "Agreement"],
			default: "Service",
		},
		{
			fieldname: "metric",
			label: __("Metric"),
			fieldtype: "Select",
			options: ["Resolution", "Response"],
			default: "Resolution",
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
			default: "SLA",
		},
		{
			fieldname: "operation",
			label: __("Operation"),
			fieldtype: "Select",
			// tickets opened inside a hypercare window of a PMO liaison, or all the others
			options: [
				{ value: "", label: "" },
				{ value: "Hypercare", label: __("Hypercare") },
				{ value: "Normal Operation", label: __("Normal Operation") },
			],
		},
		{
			fieldname: "agreement",
			label: __("Agreement"),
			fieldtype: "Link",
			options: "SMO Service Level Agreement",
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "gap" && data && data.gap !== null && data.gap !== undefined) {
			const colour = data.gap < 0 ? "var(--red-600)" : "var(--green-600)";
			value = `<span style="color:${colour}">${value}</span>`;
		}
		return value;
	},
};
