// The SMO section of HD Ticket in desk: a coloured headline with the SLA state and due times.
frappe.provide("smo_extension");

smo_extension.SLA_COLOURS = {
	Running: "green",
	"At Risk": "orange",
	Paused: "blue",
	Met: "green",
	Breached: "red",
	"No SMO clock": "gray",
};

frappe.ui.form.on("HD Ticket", {
	refresh(frm) {
		if (frm.is_new() || !frm.fields_dict.smo_sla_state) return;
		const state = frm.doc.smo_sla_state || "No SMO clock";
		const colour = smo_extension.SLA_COLOURS[state] || "gray";
		const parts = [
			`<span class="indicator-pill ${colour}">${__("SLA")}: ${__(state)}</span>`,
		];
		if (frm.doc.smo_service) parts.push(`${__("Service")}: <b>${frappe.utils.escape_html(frm.doc.smo_service)}</b>`);
		if (frm.doc.smo_response_due)
			parts.push(`${__("Response due")}: ${frappe.datetime.str_to_user(frm.doc.smo_response_due)}`);
		if (frm.doc.smo_resolution_due)
			parts.push(`${__("Resolution due")}: ${frappe.datetime.str_to_user(frm.doc.smo_resolution_due)}`);
		if (frm.doc.smo_sla_note) parts.push(frappe.utils.escape_html(frm.doc.smo_sla_note));
		frm.dashboard.set_headline(parts.join(" &nbsp;·&nbsp; "));
	},
});
