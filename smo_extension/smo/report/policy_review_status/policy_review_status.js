// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.query_reports["Policy Review Status"] = {
	filters: [
		{
			fieldname: "as_of",
			label: __("As Of"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "group_by",
			label: __("Chart By"),
			fieldtype: "Select",
			options: ["Owner", "Framework", "Practice", "Document Type"],
			default: "Owner",
		},
		{
			fieldname: "review_state",
			label: __("Review State"),
			fieldtype: "Select",
			options: ["", "Overdue", "Due Soon", "On Track"],
		},
		{ fieldname: "policy_owner", label: __("Owner"), fieldtype: "Link", options: "User" },
		{
			fieldname: "framework",
			label: __("Framework"),
			fieldtype: "Select",
			options: ["", "ITIL 4", "ISO/IEC 20000-1:2018", "Other"],
		},
		{
			fieldname: "framework_practice",
			label: __("Practice or Clause"),
			fieldtype: "Link",
			options: "SMO Framework Practice",
		},
		{
			fieldname: "document_type",
			label: __("Document Type"),
			fieldtype: "Select",
			options: ["", "Policy", "Process", "Procedure", "Standard", "Guideline"],
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "review_state" && data) {
			const colour = { Overdue: "red", "Due Soon": "orange", "On Track": "green" }[data.review_state];
			if (colour) {
				value = `<span class="indicator-pill ${colour}">${value}</span>`;
			}
		}
		return value;
	},
};
