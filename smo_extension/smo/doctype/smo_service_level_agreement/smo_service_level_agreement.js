// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.ui.form.on("SMO Service Level Agreement", {
	refresh(frm) {
		if (frm.doc.__onload && frm.doc.__onload.smo_read_only) {
			frm.disable_form(); // only its owner or an SMO Manager edits it
		}
		const gap = (frm.doc.__onload && frm.doc.__onload.coverage_gap) || [];
		if (gap.length) {
			frm.dashboard.set_headline_alert(
				__("Coverage gap: no target for priority {0}. Tickets at that priority get no clock.", [
					gap.map((p) => frappe.utils.escape_html(p)).join(", "),
				]),
				"orange"
			);
		}
		if (!frm.is_new() && frappe.user.has_role("SMO Manager")) {
			frm.add_custom_button(__("Repair Clocks"), () => {
				frappe.confirm(
					__(
						"Recompute every clock of this agreement, including stopped ones, with its current terms?"
					),
					() =>
						frm.call("repair_clocks").then((r) => {
							frappe.show_alert({
								message: __("{0} clocks recomputed", [r.message]),
								indicator: "green",
							});
							frm.reload_doc();
						})
				);
			});
		}
	},
});
