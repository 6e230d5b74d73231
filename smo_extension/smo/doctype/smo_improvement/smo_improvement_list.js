// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.listview_settings["SMO Improvement"] = {
	add_fields: ["status", "is_overdue"],
	get_indicator(doc) {
		if (doc.is_overdue) {
			return [__("Overdue"), "red", "is_overdue,=,1"];
		}
		const colours = {
			Proposed: "orange",
			Approved: "blue",
			"In Progress": "purple",
			Done: "green",
			Rejected: "gray",
		};
		return [__(doc.status), colours[doc.status] || "gray", `status,=,${doc.status}`];
	},
};
