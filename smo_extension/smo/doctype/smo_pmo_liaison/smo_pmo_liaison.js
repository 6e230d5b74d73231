// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.ui.form.on("SMO PMO Liaison", {
	setup(frm) {
		// only the service's SLAs marked For Hypercare can judge its hypercare window
		frm.set_query("hypercare_agreement", () => ({
			filters: {
				service: frm.doc.service || "",
				agreement_type: "SLA",
				is_hypercare: 1,
				status: ["!=", "Expired"],
			},
		}));
	},
	refresh(frm) {
		if (frm.doc.sync_status && frm.doc.sync_status !== "OK") {
			frm.dashboard.set_headline(
				`<span class="indicator-pill red">${__(frm.doc.sync_status)}</span> ${frappe.utils.escape_html(
					frm.doc.sync_error || ""
				)}`
			);
		} else {
			show_hypercare(frm);
		}
		if (!frm.is_new() && frappe.user.has_role("SMO Manager")) {
			frm.add_custom_button(__("Sync from PMO"), () =>
				frm.call("sync_now").then((r) => {
					frappe.show_alert({
						message: __("Sync: {0}", [__(r.message.status)]),
						indicator: r.message.status === "OK" ? "green" : "red",
					});
					frm.reload_doc();
				})
			);
		}
	},
	service(frm) {
		frm.set_value("hypercare_agreement", null);
	},
});

function show_hypercare(frm) {
	const doc = frm.doc;
	if (!doc.hypercare_agreement || !doc.go_live_date || !doc.hypercare_until) return;
	const from = frappe.datetime.str_to_user(doc.go_live_date);
	const until = frappe.datetime.str_to_user(doc.hypercare_until);
	const agreement = frappe.utils.escape_html(doc.hypercare_agreement);
	if (doc.transition_stage === "Hypercare") {
		frm.dashboard.set_headline(
			`<span class="indicator-pill orange">${__("In hypercare")}</span> ` +
				__("Tickets opened from {0} to {1} are judged by {2}.", [from, until, `<b>${agreement}</b>`])
		);
	} else if (doc.transition_stage === "Closed") {
		const ended = doc.hypercare_ended_on
			? __("Hypercare ended on {0}.", [frappe.datetime.str_to_user(doc.hypercare_ended_on)])
			: "";
		frm.dashboard.set_headline(
			`<span class="indicator-pill gray">${__("Hypercare over")}</span> ` +
				__("Tickets opened from {0} to {1} stay judged by {2}.", [from, until, `<b>${agreement}</b>`]) +
				" " +
				ended
		);
	}
}
