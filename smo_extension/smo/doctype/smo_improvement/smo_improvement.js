// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.ui.form.on("SMO Improvement", {
	refresh(frm) {
		if (frm.doc.__onload && frm.doc.__onload.smo_read_only) {
			frm.disable_form(); // only its owner or an SMO Manager edits it
		}
		for (const fieldname of (frm.doc.__onload && frm.doc.__onload.smo_locked_fields) || []) {
			frm.set_df_property(fieldname, "read_only", 1); // who owns it: an SMO Manager's to change
		}
	},
});
