// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

{% include "smo_extension/smo/report/report_kit.js" %}

frappe.query_reports["Policy Review Status"] = {
	filters: [
		smo_report.date("as_of", "As Of"),
		smo_report.select("group_by", "Chart By", ["Owner", "Framework", "Practice", "Document Type"], "Owner"),
		smo_report.select("review_state", "Review State", ["Overdue", "Due Soon", "On Track"]),
		smo_report.owner("policy_owner"),
		smo_report.select("framework", "Framework", ["ITIL 4", "ISO/IEC 20000-1:2018", "Other"]),
		smo_report.link("framework_practice", "Practice or Clause", "SMO Framework Practice"),
		smo_report.select("document_type", "Document Type", ["Policy", "Process", "Procedure", "Standard", "Guideline"]),
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "review_state" && data) {
			value = smo_report.pill(value, { Overdue: "red", "Due Soon": "orange", "On Track": "green" }, data.review_state);
		}
		return value;
	},
};
