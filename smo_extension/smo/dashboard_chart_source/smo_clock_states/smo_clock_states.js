frappe.provide("frappe.dashboards.chart_sources");

// SLA clocks by resolution state: every state in a fixed order, so each keeps its colour of the app's one
// colour map (the chart's colours are written from it on migrate).
frappe.dashboards.chart_sources["SMO Clock States"] = {
	method: "smo_extension.smo.dashboard_chart_source.smo_clock_states.smo_clock_states.get",
	filters: [],
};
