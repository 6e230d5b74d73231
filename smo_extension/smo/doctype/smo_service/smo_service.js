// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.ui.form.on("SMO Service", {
	refresh(frm) {
		if (frm.doc.__onload && frm.doc.__onload.smo_read_only) {
			frm.disable_form(); // only its owner or an SMO Manager edits it
		}
	},
});
