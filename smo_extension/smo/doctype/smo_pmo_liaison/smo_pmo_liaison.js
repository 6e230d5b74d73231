// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.ui.form.on("SMO PMO Liaison", {
	refresh(frm) {
		if (frm.doc.sync_status && frm.doc.sync_status !== "OK") {
			frm.dashboard.set_headline(
				`<span class="indicator-pill red">${__(frm.doc.sync_status)}</span> ${frappe.utils.escape_html(
					frm.doc.sync_error || ""
				)}`
			);
		}
		if (!frm.is_new() && frappe.user.has_role("SMO Manager")) {
			frm.add_custom_button(__("Sync from PMO"), () =>
				frm.call("sync_now").then((r) => {
					frappe.show_alert({
						message: __("Sync: {0}", [__(r.message.status)]),
						indicator: r.message.status === "OK" ? "green" : "red",
					});
					frm.reload_doc();
				})
			);
		}
	},
});
