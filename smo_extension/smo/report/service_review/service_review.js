// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

{% include "smo_extension/smo/report/report_kit.js" %}

frappe.query_reports["Service Review"] = {
	// the last full month: the one a service review talks about
	filters: [...smo_report.last_month(), smo_report.service(), smo_report.owner("service_owner", "Service Owner")],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (!data) {
			return value;
		}
		const colour = (name) => smo_report.coloured(value, name);
		const rag = { Green: "green", Amber: "orange", Red: "red" };
		if (column.fieldname === "compliance" && data.compliance !== null && data.target !== null) {
			return colour(data.compliance_green ? "green" : "red");
		}
		if (column.fieldname === "gap" && data.gap !== null && data.gap !== undefined) {
			return colour(data.gap < 0 ? "red" : "green");
		}
		if (column.fieldname === "csat" && rag[data.csat_rag]) {
			return colour(rag[data.csat_rag]);
		}
		if (column.fieldname === "reopen_rate" && rag[data.reopen_rag]) {
			return colour(rag[data.reopen_rag]);
		}
		if (column.fieldname === "watermelon_flag" && data.watermelon) {
			return `<span class="indicator-pill red" title="${__(
				"SLA compliance is green but CSAT or the reopen rate is red"
			)}">${value}</span>`;
		}
		if (column.fieldname === "agreement_types" && data.agreements) {
			return `<span title="${frappe.utils.escape_html(data.agreements)}">${value}</span>`;
		}
		if (column.fieldname === "kpi_counts") {
			const part = (n, name) => (n ? `<span style="color:var(--${name}-600)">${n}</span>` : n);
			return [
				part(data.kpi_green, "green"),
				part(data.kpi_amber, "orange"),
				part(data.kpi_red, "red"),
				data.kpi_no_data,
			].join(" / ");
		}
		if (column.fieldname === "open_breaches" && data.open_breaches) {
			return colour("red");
		}
		return value;
	},
};
