// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.listview_settings["SMO Policy"] = {
	add_fields: ["status", "is_superseded", "next_review_due"],
	get_indicator(doc) {
		if (doc.is_superseded) {
			return [__("Superseded"), "gray", "is_superseded,=,1"];
		}
		const today = frappe.datetime.get_today();
		if (doc.status === "Published" && doc.next_review_due && doc.next_review_due < today) {
			return [__("Review Overdue"), "red", `status,=,Published|next_review_due,<,${today}`];
		}
		const colours = {
			Draft: "red",
			"In Review": "orange",
			Approved: "blue",
			Published: "green",
			Retired: "gray",
		};
		return [__(doc.status), colours[doc.status] || "gray", `status,=,${doc.status}`];
	},
};
