// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.ui.form.on("SMO KPI Measurement", {
	refresh(frm) {
		if (frm.is_new() || !frm.doc.rag) {
			return;
		}
		const colour = { Green: "green", Amber: "orange", Red: "red" }[frm.doc.rag] || "gray";
		const value = frm.doc.no_data
			? __("no data")
			: `${format_number(frm.doc.value, null, 2)} ${frm.doc.unit || ""}`;
		frm.dashboard.set_headline_alert(
			__("{0} for {1}: {2} against a target of {3}", [
				__(frm.doc.rag),
				frm.doc.period_label,
				value,
				`${format_number(frm.doc.target, null, 2)} ${frm.doc.unit || ""}`,
			]),
			colour
		);
	},
});
