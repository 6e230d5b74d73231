// Installed by smo_extension as the HD Form Script "SMO SLA Status": a coloured SLA button in the
// Helpdesk agent ticket header; clicking it shows the SMO clocks of the ticket.
function setupForm({ doc, call, $dialog }) {
	const dots = {
		Running: "🟢",
		"At Risk": "🟠",
		Paused: "⏸️",
		Met: "✅",
		Breached: "🔴",
		"No SMO clock": "⚪",
	};
	const state = (doc && doc.smo_sla_state) || "No SMO clock";
	const label = `${dots[state] || "⚪"} ${__("SLA")}: ${__(state)}`;
	return {
		actions: [
			{
				label: label,
				onClick: async () => {
					const rows = await call("smo_extension.api.sla.get_ticket_clocks", { ticket: doc.name });
					const lines = (rows || []).map(
						(r) =>
							`${r.agreement} (${r.agreement_type}): ${__("response")} ${__(r.response_state)}` +
							`${r.response_due ? " · " + __("due") + " " + r.response_due : ""}; ` +
							`${__("resolution")} ${__(r.resolution_state)}` +
							`${r.resolution_due ? " · " + __("due") + " " + r.resolution_due : ""}`
					);
					$dialog({
						title: label,
						message: lines.length ? lines.join("\n") : doc.smo_sla_note || __("No SMO clock"),
					});
				},
			},
		],
	};
}
