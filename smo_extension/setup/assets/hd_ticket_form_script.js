// Installed by smo_extension as the HD Form Script "SMO SLA Status": a coloured SLA button in the Helpdesk agent
// ticket header; clicking it shows every SMO clock of the ticket, read at a glance. The colour map is the app's
// one map (smo_extension/sla/states.py), written into this script on install and migrate.
function setupForm({ doc, call, $dialog }) {
	const COLOURS = __SMO_STATE_COLOURS__;
	const NONE = "No SMO clock";
	const t = (text) => (typeof __ === "function" ? __(text) : text);
	const esc = (value) =>
		String(value === null || value === undefined ? "" : value).replace(
			/[&<>"']/g,
			(ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]
		);
	const colour = (state) => (COLOURS[state] || COLOURS[NONE]).hex;
	const dot = (state) => (COLOURS[state] || COLOURS[NONE]).dot;
	const pill = (state) =>
		`<span style="display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;` +
		`color:#fff;background:${colour(state)}">${esc(t(state || NONE))}</span>`;
	// business minutes as "12h 44m"
	const duration = (minutes) => {
		if (minutes === null || minutes === undefined || minutes === "") return "–";
		const total = Math.round(Number(minutes));
		const h = Math.floor(total / 60);
		const m = total % 60;
		return h ? `${h}h ${String(m).padStart(2, "0")}m` : `${m}m`;
	};
	// a stored site-time datetime as "2026-12-01 14:30"
	const when = (value) => (value ? esc(String(value).slice(0, 16)) : "–");

	const state = (doc && doc.smo_sla_state) || NONE;
	const label = `${dot(state)} ${t("SLA")}: ${t(state)}`;

	const cell = "padding:6px 10px;border-bottom:1px solid #eee;text-align:left;vertical-align:top";
	const head = `${cell};color:#777;font-weight:500;font-size:12px`;
	function clockTable(c) {
		const row = (kind, title) => {
			const s = c[`${kind}_state`];
			const due = c[`${kind}_due`];
			const stopped = c[`${kind}_stopped_at`];
			const dueText = due ? when(due) : stopped ? `${t("stopped")} ${when(stopped)}` : "–";
			return (
				`<tr data-kind="${kind}"><td style="${cell}">${t(title)}</td>` +
				`<td style="${cell}" class="smo-state">${pill(s)}</td>` +
				`<td style="${cell}" class="smo-due">${dueText}</td>` +
				`<td style="${cell}" class="smo-used">${duration(c[`${kind}_elapsed_minutes`])} / ` +
				`${duration(c[`${kind}_target_minutes`])}</td>` +
				`<td style="${cell}" class="smo-paused">${duration(c[`${kind}_paused_minutes`])}</td></tr>`
			);
		};
		const version = c.agreement_version ? ` (${t("version")} ${esc(c.agreement_version)})` : "";
		return (
			`<div class="smo-clock" data-agreement="${esc(c.agreement)}" style="margin-bottom:14px">` +
			`<div style="font-weight:600;margin-bottom:4px">${esc(c.agreement_type)} · ${esc(c.agreement)}` +
			`${version}</div>` +
			`<table style="width:100%;border-collapse:collapse;font-size:13px;table-layout:fixed">` +
			`<colgroup><col style="width:18%"><col style="width:18%"><col style="width:24%">` +
			`<col style="width:26%"><col style="width:14%"></colgroup>` +
			`<tr><th style="${head}"></th><th style="${head}">${t("State")}</th><th style="${head}">${t("Due")}</th>` +
			`<th style="${head}">${t("Business time used / target")}</th><th style="${head}">${t("Paused")}</th></tr>` +
			row("response", "First response") +
			row("resolution", "Resolution") +
			`</table></div>`
		);
	}

	return {
		actions: [
			{
				label: label,
				onClick: async () => {
					let rows = [];
					try {
						rows = (await call("smo_extension.api.sla.get_ticket_clocks", { ticket: doc.name })) || [];
					} catch (error) {
						$dialog({ title: label, message: t("The SMO clocks could not be read.") });
						return;
					}
					const note = doc.smo_sla_note
						? `<p style="color:#777;margin-bottom:8px">${esc(doc.smo_sla_note)}</p>`
						: "";
					// the customer's SLA first, then the internal OLAs
					rows.sort((a, b) => (a.agreement_type === "SLA" ? 0 : 1) - (b.agreement_type === "SLA" ? 0 : 1));
					const body = rows.length ? note + rows.map(clockTable).join("") : note || `<p>${esc(t(NONE))}</p>`;
					$dialog({ title: label, size: "3xl", html: `<div class="smo-clocks">${body}</div>` });
				},
			},
		],
	};
}
