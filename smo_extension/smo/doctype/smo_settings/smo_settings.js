// SMO Settings: "Import from Helpdesk" (SMO Managers): a preview of what importing Helpdesk's own SLAs makes,
// what it cannot import and why, and how Helpdesk's verdicts compare with the imported agreements' over the
// last 90 days; then import (Draft) or import and switch over. The workspace's shortcut opens this form with
// #import-from-helpdesk, which opens the dialog at once.
frappe.ui.form.on("SMO Settings", {
	refresh(frm) {
		smo_unmatched_customers(frm);
		if (!frappe.user.has_role("SMO Manager") && frappe.session.user !== "Administrator") {
			return;
		}
		frm.add_custom_button(__("Import from Helpdesk"), () => smo_import_dialog(frm));
		if (window.location.hash === "#import-from-helpdesk") {
			history.replaceState(null, "", window.location.pathname);
			smo_import_dialog(frm);
		}
	},
});

// Where ERPNext is installed: the HD Customers that are linked to no ERPNext Customer (install links those of the
// same name), so their Issues cannot count as theirs until someone links them on the HD Customer.
function smo_unmatched_customers(frm) {
	const names = (frm.doc.__onload || {}).smo_unmatched_customers || [];
	if (!frappe.boot.smo_erpnext || !names.length) return;
	const shown = names.slice(0, 20).map((n) => frappe.utils.escape_html(n));
	const more = names.length > shown.length ? " " + __("and {0} more", [names.length - shown.length]) : "";
	frm.dashboard.add_comment(
		__("HD Customers linked to no ERPNext Customer (set ERPNext Customer on each): {0}", [shown.join(", ") + more]),
		"yellow",
		true
	);
}

const SMO_ACTIONS = {
	create: __("Create"),
	update: __("Update"),
	skip: __("Skip (already imported)"),
	error: __("Error"),
};
const SMO_KINDS = {
	general: __("General agreement of the service"),
	customer: __("Customer-specific agreements"),
	rules: __("A service of its own, with mapping rules"),
	"": __("Not imported"),
};

function smo_escape(value) {
	return frappe.utils.escape_html(value === null || value === undefined ? "" : String(value));
}

function smo_preview_html(data) {
	const rows = data.slas
		.map((s) => {
			const targets = s.targets
				.map(
					(t) =>
						`${smo_escape(__(t.priority))}: ${t.response_minutes} / ${
							t.resolution_minutes === null ? __("no resolution target") : t.resolution_minutes
						}`
				)
				.join("<br>");
			const problems = s.problems.length
				? `<ul class="text-muted small">${s.problems.map((p) => `<li>${smo_escape(p)}</li>`).join("")}</ul>`
				: "";
			return `<tr data-sla="${smo_escape(s.sla)}">
				<td><b>${smo_escape(s.sla)}</b>${s.default ? ` <span class="badge badge-info">${__("Default")}</span>` : ""}${problems}</td>
				<td>${smo_escape(SMO_ACTIONS[s.action] || s.action)}</td>
				<td>${smo_escape(SMO_KINDS[s.kind] || s.kind)}${s.customers.length ? "<br>" + s.customers.map(smo_escape).join(", ") : ""}</td>
				<td class="small">${targets}</td>
				<td>${s.windows} / ${s.holidays}</td>
			</tr>`;
		})
		.join("");
	const c = data.comparison;
	const side = (metric, who) =>
		["met", "failed", "running"].map((k) => `<td>${c.counts[metric][who][k]}</td>`).join("");
	const differences = c.differences
		.slice(0, 50)
		.map(
			(d) => `<tr class="smo-difference">
				<td><a href="/app/hd-ticket/${encodeURIComponent(d.ticket)}">${smo_escape(d.ticket)}</a> ${smo_escape(d.subject)}</td>
				<td>${smo_escape(d.metric === "response" ? __("Response") : __("Resolution"))}</td>
				<td>${smo_escape(__(d.helpdesk))}<br><span class="text-muted small">${smo_escape(d.helpdesk_due)}</span></td>
				<td>${smo_escape(__(d.smo))}<br><span class="text-muted small">${smo_escape(d.smo_due)}</span></td>
				<td>${smo_escape(d.reasons.join(", ") || __("not known"))}</td>
			</tr>`
		)
		.join("");
	return `<div class="smo-import-preview">
		<p>${__("Creates {0}, updates {1}, skips {2}. Nothing is written to Helpdesk's own SLAs.", [
			data.counts.create,
			data.counts.update,
			data.counts.skip,
		])}</p>
		<table class="table table-bordered small">
			<thead><tr><th>${__("Helpdesk SLA")}</th><th>${__("Action")}</th><th>${__("Becomes")}</th>
			<th>${__("Targets (response / resolution, minutes)")}</th><th>${__("Windows / holidays")}</th></tr></thead>
			<tbody>${rows}</tbody>
		</table>
		<h5>${__("Helpdesk and the SMO, tickets of the last {0} days", [c.days])}</h5>
		<p class="text-muted small">${__(
			"{0} tickets compared; {1} judged differently. Due dates equal on {2} of {3} tickets without pauses, reopenings or priority changes.",
			[c.tickets, c.different, c.due_dates_equal, c.plain_tickets]
		)}${
		c.not_compared
			? " " +
			  __(
					"{0} not compared: the SMO already shows its answer on them and Helpdesk's own was not recorded, or the import cannot carry their SLA over.",
					[c.not_compared]
			  )
			: ""
	}</p>
		<table class="table table-bordered small smo-comparison">
			<thead><tr><th></th><th>${__("Met")}</th><th>${__("Failed")}</th><th>${__("Running")}</th></tr></thead>
			<tbody>
				<tr><td>${__("Response")} · Helpdesk</td>${side("response", "helpdesk")}</tr>
				<tr><td>${__("Response")} · SMO</td>${side("response", "smo")}</tr>
				<tr><td>${__("Resolution")} · Helpdesk</td>${side("resolution", "helpdesk")}</tr>
				<tr><td>${__("Resolution")} · SMO</td>${side("resolution", "smo")}</tr>
			</tbody>
		</table>
		${
			differences
				? `<table class="table table-bordered small"><thead><tr><th>${__("Ticket")}</th><th>${__(
						"Target"
				  )}</th><th>Helpdesk</th><th>SMO</th><th>${__("Why")}</th></tr></thead><tbody>${differences}</tbody></table>`
				: ""
		}
	</div>`;
}

function smo_import_dialog(frm) {
	frappe.call({
		method: "smo_extension.api.adopt.preview_helpdesk_import",
		freeze: true,
		freeze_message: __("Reading Helpdesk's SLAs…"),
		callback: (r) => {
			const data = r.message;
			const blocked = data.errors.length > 0;
			const dialog = new frappe.ui.Dialog({
				title: __("Import from Helpdesk"),
				size: "extra-large",
				fields: [
					{
						fieldname: "service",
						fieldtype: "Link",
						options: "SMO Service",
						label: __("Service of the default SLA"),
						description: __("Empty: a new service, Customer Support."),
					},
					{ fieldname: "preview", fieldtype: "HTML" },
				],
				primary_action_label: __("Import as Draft"),
				primary_action(values) {
					smo_run_import(dialog, frm, values.service, false);
				},
				secondary_action_label: __("Import and switch over"),
				secondary_action() {
					frappe.confirm(
						__(
							"The imported agreements become Active and judge every ticket; Helpdesk's SLA fields then show the SMO's answer. Go on?"
						),
						() => smo_run_import(dialog, frm, dialog.get_value("service"), true)
					);
				},
			});
			// the service field's suggestions would open over the preview: nothing takes the focus
			dialog.focus_on_first_input = () => {};
			dialog.fields_dict.preview.$wrapper.html(smo_preview_html(data));
			if (blocked) {
				dialog.get_primary_btn().prop("disabled", true);
				dialog.fields_dict.preview.$wrapper.prepend(
					`<div class="alert alert-danger">${data.errors
						.map((e) => `<b>${smo_escape(e.sla)}</b>: ${e.problems.map(smo_escape).join("; ")}`)
						.join("<br>")}</div>`
				);
			}
			dialog.show();
		},
	});
}

function smo_run_import(dialog, frm, service, activate) {
	frappe.call({
		method: "smo_extension.api.adopt.import_helpdesk_slas",
		args: { service: service || null, activate: activate ? 1 : 0 },
		freeze: true,
		freeze_message: __("Importing…"),
		callback: (r) => {
			const m = r.message;
			dialog.hide();
			frappe.msgprint({
				title: __("Imported from Helpdesk"),
				indicator: "green",
				message: __(
					"{0} created, {1} updated, {2} unchanged; {3} Helpdesk verdicts recorded for the comparison.",
					[m.counts.create, m.counts.update, m.counts.skip, m.verdicts]
				),
			});
			frm.reload_doc();
		},
	});
}
