// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.ui.form.on("SMO Improvement", {
	refresh(frm) {
		smo_owned_form(frm); // public/js/smo_owned.js
	},
});
