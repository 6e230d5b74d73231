// The SMO section of HD Ticket (and of ERPNext's Issue, where the SMO judges Issues) in desk: the SLA state, and
// each clock read at a glance (colours and formatting: smo_states.js).
const smo_ticket_form = {
	refresh(frm) {
		const field = frm.get_field("smo_sla_badge");
		if (!field || frm.is_new()) return;
		const state = frm.doc.smo_sla_state || "No SMO clock";
		const note = frm.doc.smo_sla_note
			? `<span class="text-muted ml-2">${frappe.utils.escape_html(frm.doc.smo_sla_note)}</span>`
			: "";
		field.$wrapper.html(
			`<div class="mb-3">${__("SLA")}: ${smo_extension.sla_pill(state)} ${note}
			<div class="smo-clocks mt-2 small"></div></div>`
		);
		frappe
			.call("smo_extension.api.sla.get_ticket_clocks", { ticket: frm.doc.name, doctype: frm.doctype })
			.then((r) => field.$wrapper.find(".smo-clocks").html((r.message || []).map(clock_line).join("")));
	},
};
frappe.ui.form.on("HD Ticket", smo_ticket_form);
frappe.ui.form.on("Issue", smo_ticket_form);

function clock_line(c) {
	const part = (kind) => {
		const due = c[`${kind}_due`];
		const used = smo_extension.duration(c[`${kind}_elapsed_minutes`]);
		const target = smo_extension.duration(c[`${kind}_target_minutes`]);
		const paused = c[`${kind}_paused_minutes`] ? `, ${__("paused")} ${smo_extension.duration(c[`${kind}_paused_minutes`])}` : "";
		return (
			`${__(kind === "response" ? "Response" : "Resolution")} ${smo_extension.sla_pill(c[`${kind}_state`])} ` +
			`<span class="text-muted">${used} / ${target}${paused}${due ? ` · ${__("due")} ${smo_extension.when(due)}` : ""}</span>`
		);
	};
	const name = frappe.utils.escape_html(c.agreement);
	return `<div class="mb-1"><b>${c.agreement_type}</b> ${name} (${__("v{0}", [c.agreement_version])}): ${part("response")}; ${part("resolution")}</div>`;
}
