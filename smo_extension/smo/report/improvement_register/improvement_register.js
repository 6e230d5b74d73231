// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.query_reports["Improvement Register"] = {
	filters: [
		{ fieldname: "service", label: __("Service"), fieldtype: "Link", options: "SMO Service" },
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: ["", "Proposed", "Approved", "In Progress", "Done", "Rejected"],
		},
		{
			fieldname: "source",
			label: __("Source"),
			fieldtype: "Select",
			options: ["", "KPI Miss", "SLA Breach Trend", "Review", "Audit", "Suggestion"],
		},
		{ fieldname: "improvement_owner", label: __("Owner"), fieldtype: "Link", options: "User" },
		{ fieldname: "only_overdue", label: __("Only Overdue"), fieldtype: "Check", default: 0 },
		{
			fieldname: "group_by",
			label: __("Chart By"),
			fieldtype: "Select",
			options: ["Status", "Service"],
			default: "Status",
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (!data) {
			return value;
		}
		if (column.fieldname === "days_overdue" && data.days_overdue) {
			value = `<span style="color:var(--red-600)">${value}</span>`;
		}
		if (column.fieldname === "status") {
			const colour = {
				Proposed: "gray",
				Approved: "blue",
				"In Progress": "orange",
				Done: "green",
				Rejected: "red",
			}[data.status];
			if (colour) {
				value = `<span class="indicator-pill ${colour}">${value}</span>`;
			}
		}
		return value;
	},
};
