// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.ui.form.on("SMO Business Calendar", {
	setup(frm) {
		frappe.call({
			method: "smo_extension.smo.doctype.smo_business_calendar.smo_business_calendar.get_timezones",
			callback(r) {
				frm.set_df_property("timezone", "options", r.message || []);
			},
		});
	},
});
