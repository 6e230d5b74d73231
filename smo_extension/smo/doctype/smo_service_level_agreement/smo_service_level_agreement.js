// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

// An empty At-Risk Share means "use the share of SMO Settings"; Frappe keeps an empty percentage as 0, which
// would read as "at risk from 0 %". The form shows it empty, with the share that applies.
function smo_show_at_risk_share(frm) {
	const field = frm.get_field("at_risk_percent");
	if (!field) return;
	const settings = frm.doc.__onload && frm.doc.__onload.settings_at_risk_percent;
	const uses_settings = !flt(frm.doc.at_risk_percent);
	const description = uses_settings
		? __("Empty: the share of SMO Settings ({0}%) applies.", [settings || 75])
		: __("Empty: the share of SMO Settings.");
	frm.set_df_property("at_risk_percent", "description", description);
	if (uses_settings && field.$input) {
		field.$input.val("").attr("placeholder", __("SMO Settings: {0}%", [settings || 75]));
	}
	if (uses_settings && field.$wrapper) {
		field.$wrapper.find(".control-value").text("");
	}
}

frappe.ui.form.on("SMO Service Level Agreement", {
	at_risk_percent(frm) {
		smo_show_at_risk_share(frm);
	},
	refresh(frm) {
		smo_owned_form(frm); // public/js/smo_owned.js
		smo_show_at_risk_share(frm);
		const gap = (frm.doc.__onload && frm.doc.__onload.coverage_gap) || [];
		if (gap.length) {
			frm.dashboard.set_headline_alert(
				__("Coverage gap: no target for priority {0}. Tickets at that priority get no clock.", [
					gap.map((p) => frappe.utils.escape_html(p)).join(", "),
				]),
				"orange"
			);
		}
		if (!frm.is_new() && frm.doc.__onload && frm.doc.__onload.may_what_if) {
			frm.add_custom_button(__("What if…"), () => smo_what_if(frm));
		}
		if (!frm.is_new() && frappe.user.has_role("SMO Manager")) {
			frm.add_custom_button(__("Repair Clocks"), () => {
				frappe.confirm(
					__(
						"Recompute every clock of this agreement, including stopped ones, with its current terms?"
					),
					() =>
						frm.call("repair_clocks").then((r) => {
							frappe.show_alert({
								message: __("{0} clocks recomputed", [r.message]),
								indicator: "green",
							});
							frm.reload_doc();
						})
				);
			});
		}
	},
});

// "What if…": replay a period's tickets with this agreement as saved (smo_extension.api.sla.what_if). Nothing
// is written; the dialog shows the summary, a chart per priority and the tickets whose outcome flips.
const SMO_WHAT_IF_ROWS = 200;

function smo_what_if(frm) {
	const today = frappe.datetime.get_today();
	const dialog = new frappe.ui.Dialog({
		title: __("What if {0} had judged these tickets?", [frappe.utils.escape_html(frm.doc.name)]),
		size: "extra-large",
		fields: [
			{
				fieldname: "from_date",
				fieldtype: "Date",
				label: __("From Date"),
				reqd: 1,
				default: frappe.datetime.add_months(today, -3),
			},
			{ fieldtype: "Column Break" },
			{ fieldname: "to_date", fieldtype: "Date", label: __("To Date"), reqd: 1, default: today },
			{ fieldtype: "Column Break" },
			{
				fieldname: "metric",
				fieldtype: "Select",
				label: __("Metric"),
				options: ["Resolution", "Response"],
				default: "Resolution",
			},
			{ fieldtype: "Section Break" },
			{ fieldname: "result", fieldtype: "HTML" },
		],
		primary_action_label: __("Replay"),
		primary_action(values) {
			const area = dialog.fields_dict.result.$wrapper;
			area.html(`<p class="text-muted">${__("Replaying the tickets…")}</p>`);
			frappe
				.call({
					method: "smo_extension.api.sla.what_if",
					args: {
						agreement: frm.doc.name,
						from_date: values.from_date,
						to_date: values.to_date,
						metric: values.metric,
					},
				})
				.then((r) => smo_render_what_if(area, r.message, values))
				.catch(() => area.html(""));
		},
	});
	const intro = frm.is_dirty()
		? __("The form has unsaved changes: the replay uses the agreement as saved.")
		: __(
				"Replays the period's tickets this agreement would judge, with its terms as they stand now, beside their live clocks. Nothing is written."
		  );
	dialog.fields_dict.result.$wrapper.html(`<p class="text-muted">${intro}</p>`);
	dialog.show();
}

function smo_render_what_if(area, result, values) {
	const esc = frappe.utils.escape_html;
	const pct = (v) => (v === null || v === undefined ? "–" : `${v.toFixed(1)} %`);
	const change = (a, b) => {
		if (a === null || b === null) return "–";
		const d = b - a;
		const colour = d < 0 ? "var(--red-600)" : "var(--green-600)";
		return `<span style="color:${colour}">${d > 0 ? "+" : ""}${d.toFixed(1)}</span>`;
	};
	const live = result.overall.live;
	const what = result.overall.what_if;
	const notes = (result.notes || []).map((n) => `<div class="text-warning small">${esc(n)}</div>`).join("");
	const summary = `
		<table class="table table-bordered table-sm" style="max-width: 560px">
			<thead><tr><th></th><th>${__("Live")}</th><th>${__("What-If")}</th><th>${__("Change")}</th></tr></thead>
			<tbody>
				<tr><td>${__("Met")}</td><td>${live.met}</td><td>${what.met}</td><td>${what.met - live.met}</td></tr>
				<tr><td>${__("Breached")}</td><td>${live.breached}</td><td>${what.breached}</td>
					<td>${what.breached - live.breached}</td></tr>
				<tr><td><b>${__("Compliance")}</b></td><td><b>${pct(live.compliance)}</b></td>
					<td><b>${pct(what.compliance)}</b></td><td>${change(live.compliance, what.compliance)}</td></tr>
			</tbody>
		</table>
		<p class="text-muted small">${__(
			"{0} tickets replayed, {1} {2} clocks from {3} to {4}; target {5} %.",
			[
				result.tickets,
				__(result.metric),
				esc(result.agreement_type),
				frappe.datetime.str_to_user(result.from_date),
				frappe.datetime.str_to_user(result.to_date),
				result.target,
			]
		)}</p>`;
	const flipped = result.flipped.slice(0, SMO_WHAT_IF_ROWS);
	const due = (v) => (v ? frappe.datetime.str_to_user(v) : "–");
	const state = (s) =>
		s
			? `<span style="color:${s === "Breached" ? "var(--red-600)" : "inherit"}">${esc(__(s))}</span>`
			: `<span class="text-muted">${__("no clock")}</span>`;
	const rows = flipped
		.map(
			(f) => `<tr>
				<td><a href="/app/hd-ticket/${encodeURIComponent(f.ticket)}" target="_blank">${esc(f.ticket)}</a></td>
				<td>${esc(f.subject || "")}</td><td>${esc(f.priority || "")}</td><td>${esc(f.customer || "")}</td>
				<td>${state(f.live_state)}</td><td>${due(f.live_due)}</td>
				<td>${state(f.what_if_state)}</td><td>${due(f.what_if_due)}</td></tr>`
		)
		.join("");
	const more =
		result.flipped_total > flipped.length
			? `<p><a class="smo-what-if-report">${__("{0} more in the SLA What-If report", [
					result.flipped_total - flipped.length,
			  ])}</a></p>`
			: "";
	const table = result.flipped_total
		? `<h5>${__("Tickets whose outcome flips ({0})", [result.flipped_total])}</h5>
			<div style="max-height: 320px; overflow-y: auto">
			<table class="table table-bordered table-sm small">
				<thead><tr><th>${__("Ticket")}</th><th>${__("Subject")}</th><th>${__("Priority")}</th>
					<th>${__("Customer")}</th><th>${__("Live")}</th><th>${__("Live Due")}</th>
					<th>${__("What-If")}</th><th>${__("What-If Due")}</th></tr></thead>
				<tbody>${rows}</tbody></table></div>${more}`
		: `<p class="text-muted">${__("No ticket changes outcome.")}</p>`;
	area.html(`${notes}${summary}<div class="smo-what-if-chart"></div>${table}`);
	area.find(".smo-what-if-report").on("click", () =>
		frappe.set_route("query-report", "SLA What-If", {
			agreement: result.agreement,
			from_date: values.from_date,
			to_date: values.to_date,
			metric: values.metric,
			view: "Flipped Tickets",
		})
	);
	const groups = result.by_priority.filter(
		(g) => g.live.compliance !== null || g.what_if.compliance !== null
	);
	if (groups.length) {
		new frappe.Chart(area.find(".smo-what-if-chart")[0], {
			title: __("Compliance by priority"),
			type: "bar",
			height: 220,
			colors: ["#7c8b9a", "#2490ef"],
			data: {
				labels: groups.map((g) => g.priority || __("(none)")),
				datasets: [
					{ name: __("Live %"), values: groups.map((g) => +(g.live.compliance || 0).toFixed(1)) },
					{
						name: __("What-If %"),
						values: groups.map((g) => +(g.what_if.compliance || 0).toFixed(1)),
					},
				],
				yMarkers: [{ label: __("Target"), value: result.target || 0 }],
			},
		});
	}
}
