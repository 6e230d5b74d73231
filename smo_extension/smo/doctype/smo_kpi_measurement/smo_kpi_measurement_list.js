// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.listview_settings["SMO KPI Measurement"] = {
	add_fields: ["rag"],
	get_indicator(doc) {
		const colours = { Green: "green", Amber: "orange", Red: "red", "No Data": "gray" };
		return [__(doc.rag), colours[doc.rag] || "gray", `rag,=,${doc.rag}`];
	},
};
