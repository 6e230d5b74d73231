// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

// A milestone past its due date and neither done nor cancelled is overdue: its due date is shown in red, and the
// charter says how many there are.
const SMO_OPEN_MILESTONE = ["Planned", "In Progress"];

function smo_milestone_overdue(row) {
	return (
		row &&
		SMO_OPEN_MILESTONE.includes(row.status) &&
		row.due_date &&
		row.due_date < frappe.datetime.get_today()
	);
}

frappe.ui.form.on("SMO Charter", {
	refresh(frm) {
		const grid = frm.fields_dict.milestones && frm.fields_dict.milestones.grid;
		if (grid) {
			grid.update_docfield_property("due_date", "formatter", (value, df, options, doc) => {
				const text = value ? frappe.datetime.str_to_user(value) : "";
				return smo_milestone_overdue(doc)
					? `<span class="smo-overdue text-danger" style="font-weight:600">${text} · ${__("Overdue")}</span>`
					: text;
			});
			grid.refresh();
		}
		const overdue = (frm.doc.milestones || []).filter(smo_milestone_overdue);
		if (overdue.length) {
			frm.dashboard.set_headline_alert(
				__("{0} milestone(s) overdue: {1}", [
					overdue.length,
					overdue.map((row) => frappe.utils.escape_html(row.milestone)).join(", "),
				]),
				"red"
			);
		} else {
			frm.dashboard.clear_headline();
		}
	},
});

frappe.ui.form.on("SMO Charter Milestone", {
	status(frm) {
		frm.trigger("refresh");
	},
	due_date(frm) {
		frm.trigger("refresh");
	},
});
