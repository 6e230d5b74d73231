// ERPNext's Project form (where ERPNext is installed): the SMO/PMO liaisons of the project and the services they
// change, read with the user's own permissions (nothing shows to someone who may not read liaisons).
frappe.ui.form.on("Project", {
	refresh(frm) {
		if (frm.is_new()) return;
		frappe.db
			.get_list("SMO PMO Liaison", {
				filters: { project: frm.doc.name, project_source: "This Site" },
				fields: ["name", "service", "relationship", "transition_stage", "go_live_date"],
				order_by: "go_live_date asc",
			})
			.then((rows) => {
				if (!rows || !rows.length) return;
				const esc = frappe.utils.escape_html;
				const lines = rows
					.map(
						(r) =>
							`<div class="mb-1"><a href="/app/smo-pmo-liaison/${encodeURIComponent(r.name)}">${esc(r.name)}</a>: ` +
							`${__(r.relationship || "")} · ${__("Service")} <a href="/app/smo-service/${encodeURIComponent(r.service)}">${esc(r.service)}</a>` +
							` · ${__(r.transition_stage || "")}${r.go_live_date ? ` · ${__("Go-live")} ${frappe.datetime.str_to_user(r.go_live_date)}` : ""}</div>`
					)
					.join("");
				frm.dashboard.add_section(
					`<div class="smo-project-liaisons small">${lines}</div>`,
					__("Services this project changes (SMO)")
				);
			});
	},
});
