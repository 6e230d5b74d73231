// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.ui.form.on("SMO SLA Statement", {
	refresh(frm) {
		frm.disable_save();
		if (frm.doc.status === "No Contacts") {
			frm.dashboard.set_headline(
				`<span class="indicator-pill orange">${__("No Contacts")}</span> ` +
					__("Nobody received this statement: {0} has no contact with an e-mail address.", [
						frappe.utils.escape_html(frm.doc.customer),
					])
			);
		}
		if (frm.is_new()) return;
		frm.add_custom_button(__("Download PDF"), () => {
			window.open(
				"/api/method/smo_extension.api.statements.download_statement?statement=" +
					encodeURIComponent(frm.doc.name)
			);
		});
		if (frappe.user.has_role("SMO Manager")) {
			frm.add_custom_button(
				__("Regenerate"),
				() =>
					frappe
						.call("smo_extension.api.statements.generate_statement", {
							customer: frm.doc.customer,
							month: frm.doc.month,
						})
						.then(() => {
							frappe.show_alert({ message: __("Statement regenerated"), indicator: "green" });
							frm.reload_doc();
						}),
				__("Actions")
			);
			frm.add_custom_button(
				__("Send to Contacts"),
				() =>
					frm.call("send_to_contacts").then((r) => {
						frappe.show_alert({ message: __("Statement: {0}", [__(r.message)]), indicator: "green" });
						frm.reload_doc();
					}),
				__("Actions")
			);
		}
	},
});
