// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.ui.form.on("SMO KPI Definition", {
	setup(frm) {
		// SMO staff may not read Helpdesk's customers: search them through the SMO API
		frm.set_query("customer", () => ({ query: "smo_extension.api.catalog.search_customers" }));
		frm.smo_metrics = frappe.xcall("smo_extension.api.kpi.get_metrics");
	},
	refresh(frm) {
		frm.trigger("load_objectives");
		frm.trigger("describe_metric");
		if (!frm.is_new() && frappe.user.has_role(["SMO Manager", "SMO Analyst"])) {
			frm.add_custom_button(__("Measure a Period"), () => {
				frappe.prompt(
					{
						fieldname: "period_start",
						fieldtype: "Date",
						label: __("Period Start"),
						reqd: 1,
						description: __("The first day of a finished {0} period.", [
							__(frm.doc.frequency),
						]),
					},
					({ period_start }) =>
						frappe
							.xcall("smo_extension.api.kpi.measure", {
								definition: frm.doc.name,
								period_start,
							})
							.then((m) => {
								frappe.show_alert({
									message: __("{0}: {1} ({2})", [
										m.period_label,
										m.value === null ? __("no data") : format_number(m.value, null, 2),
										__(m.rag),
									]),
									indicator: { Green: "green", Amber: "orange", Red: "red" }[m.rag] || "gray",
								});
								frappe.set_route("Form", "SMO KPI Measurement", m.name);
							}),
					__("Measure {0}", [frm.doc.kpi_name])
				);
			});
			frm.add_custom_button(__("Scorecard"), () =>
				frappe.set_route("query-report", "KPI Scorecard", { service: frm.doc.service || "" })
			);
		}
	},
	metric(frm) {
		frm.smo_metrics.then((metrics) => {
			const metric = metrics[frm.doc.metric];
			if (metric && frm.is_new()) {
				frm.set_value("direction", metric.direction);
			}
			frm.trigger("describe_metric");
		});
	},
	describe_metric(frm) {
		// what the chosen metric counts, from the registry (smo_extension/engine/kpi.py)
		frm.smo_metrics.then((metrics) => {
			const metric = metrics[frm.doc.metric];
			frm.set_df_property(
				"metric",
				"description",
				metric ? `${metric.label} (${__(metric.unit)}): ${metric.description}.` : ""
			);
		});
	},
	service(frm) {
		frm.set_value("business_objective", "");
		frm.trigger("load_objectives");
	},
	load_objectives(frm) {
		// The service's business objectives, or the charter's for an SMO-wide KPI.
		const set = (rows) =>
			frm.set_df_property(
				"business_objective",
				"options",
				(rows || []).map((r) => r.objective).filter(Boolean)
			);
		if (frm.doc.service) {
			frappe.db.get_doc("SMO Service", frm.doc.service).then((d) => set(d.business_objectives));
		} else {
			frappe.db
				.get_doc("SMO Charter", "SMO Charter")
				.then((d) => set(d.objectives))
				.catch(() => set([]));
		}
	},
});
