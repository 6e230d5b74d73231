// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

{% include "smo_extension/smo/report/report_kit.js" %}

const SMO_RAG_COLOURS = { Green: "green", Amber: "orange", Red: "red", "No Data": "gray" };

function smo_with_unit(formatted, unit) {
	// the number as the default formatter gives it (often inside a right-aligned div), then its unit
	if (formatted === null || formatted === undefined || formatted === "") {
		return "";
	}
	const suffix = unit === "%" ? " %" : unit ? ` ${__(unit)}` : "";
	const closing = /<\/div>\s*$/;
	return closing.test(formatted) ? formatted.replace(closing, `${suffix}</div>`) : `${formatted}${suffix}`;
}

frappe.query_reports["KPI Scorecard"] = {
	filters: [
		smo_report.date("period_end", "Period End"),
		smo_report.service(),
		smo_report.owner("kpi_owner", "KPI Owner"),
		smo_report.select("rag", "RAG", ["Green", "Amber", "Red", "No Data"]),
		smo_report.select("periods", "Trend Periods", ["6", "9", "12"], "6"),
	],
	tree: true,
	name_field: "row_id",
	parent_field: "parent_row",
	initial_depth: 1,
	formatter(value, row, column, data, default_formatter) {
		const formatted = default_formatter(value, row, column, data);
		if (!data) {
			return formatted;
		}
		if (data.is_group) {
			return column.fieldname === "label" || column.fieldname === "rag"
				? `<b>${frappe.utils.escape_html(data[column.fieldname] || "")}</b>`
				: "";
		}
		if (column.fieldname === "rag" && data.rag) {
			const colour = SMO_RAG_COLOURS[data.rag] || "gray";
			return `<span class="indicator-pill ${colour}">${__(data.rag)}</span>`;
		}
		if (column.fieldname === "value") {
			if (data.value === null || data.value === undefined) {
				return `<span class="text-muted">${__("No data")}</span>`;
			}
			const colour = { Green: "--green-600", Amber: "--orange-600", Red: "--red-600" }[data.rag];
			const text = smo_with_unit(format_number(data.value, null, 2), data.unit);
			return `<div style="text-align:right;color:var(${colour || "--gray-800"})">${text}</div>`;
		}
		if (column.fieldname === "target" || column.fieldname === "previous_value") {
			return smo_with_unit(formatted, data.unit);
		}
		if (column.fieldname === "change" && data.change !== null && data.change !== undefined) {
			const better = data.direction === "Higher is better" ? data.change > 0 : data.change < 0;
			const colour = data.change === 0 ? "--gray-600" : better ? "--green-600" : "--red-600";
			const sign = data.change > 0 ? "+" : "";
			const text = smo_with_unit(`${sign}${format_number(data.change, null, 2)}`, data.unit);
			return `<div style="text-align:right;color:var(${colour})">${text}</div>`;
		}
		if (column.fieldname === "trend_line" && data.trend_line) {
			const title = (data.trend_values || [])
				.map((v) => (v === null ? "–" : format_number(v, null, 2)))
				.join(" → ");
			return `<span title="${frappe.utils.escape_html(title)}" style="letter-spacing:1px">${
				data.trend_line
			}</span>`;
		}
		return formatted;
	},
};
