// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

// Working windows are minutes of the clock: show them as HH:MM, without seconds.
const smo_hh_mm = (value) => {
	if (!value) return "";
	const [hours, minutes] = String(value).split(":");
	return `${hours.padStart(2, "0")}:${(minutes || "00").padStart(2, "0")}`;
};

frappe.ui.form.on("SMO Business Calendar", {
	setup(frm) {
		frappe.call({
			method: "smo_extension.smo.doctype.smo_business_calendar.smo_business_calendar.get_timezones",
			callback(r) {
				frm.set_df_property("timezone", "options", r.message || []);
			},
		});
	},
	refresh(frm) {
		const grid = frm.fields_dict.windows && frm.fields_dict.windows.grid;
		if (!grid) return;
		for (const fieldname of ["start_time", "end_time"]) {
			grid.update_docfield_property(fieldname, "formatter", smo_hh_mm);
		}
		grid.refresh();
	},
});
