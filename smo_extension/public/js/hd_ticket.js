// The SMO section of HD Ticket in desk: a coloured badge with the SLA state of each clock.
frappe.provide("smo_extension");

smo_extension.SLA_COLOURS = {
	Running: "green",
	"At Risk": "orange",
	Paused: "blue",
	Met: "green",
	Breached: "red",
	"No SMO clock": "gray",
};

smo_extension.sla_pill = (state) =>
	`<span class="indicator-pill ${smo_extension.SLA_COLOURS[state] || "gray"}">${__(state)}</span>`;

frappe.ui.form.on("HD Ticket", {
	refresh(frm) {
		const field = frm.get_field("smo_sla_badge");
		if (!field || frm.is_new()) return;
		const state = frm.doc.smo_sla_state || "No SMO clock";
		field.$wrapper.html(
			`<div class="mb-3">${__("SLA")}: ${smo_extension.sla_pill(state)}
			${frm.doc.smo_sla_note ? `<span class="text-muted ml-2">${frappe.utils.escape_html(frm.doc.smo_sla_note)}</span>` : ""}
			<div class="smo-clocks mt-2 small"></div></div>`
		);
		frappe
			.call("smo_extension.api.sla.get_ticket_clocks", { ticket: frm.doc.name })
			.then((r) => {
				const rows = (r.message || []).map(
					(c) =>
						`<div>${frappe.utils.escape_html(c.agreement)} (${c.agreement_type}): ` +
						`${__("response")} ${smo_extension.sla_pill(c.response_state)} ` +
						`${__("resolution")} ${smo_extension.sla_pill(c.resolution_state)} ` +
						`<span class="text-muted">${c.resolution_elapsed_minutes} / ${c.resolution_target_minutes} ${__("business minutes")}</span></div>`
				);
				field.$wrapper.find(".smo-clocks").html(rows.join(""));
			});
	},
});
