// SLA states in desk, painted with the one colour map of smo_extension/sla/states.py (sent in the boot).
// Loaded with the HD Ticket form and list scripts (hooks.py).
frappe.provide("smo_extension");

smo_extension.state_colour = (state, kind = "indicator") => {
	const map = frappe.boot.smo_state_colours || {};
	const entry = map[state] || map["No SMO clock"] || {};
	return entry[kind] || (kind === "indicator" ? "gray" : "");
};

smo_extension.sla_pill = (state) =>
	`<span class="indicator-pill ${smo_extension.state_colour(state)}">${__(state || "No SMO clock")}</span>`;

// Business minutes as "12h 44m" (a person reads hours and minutes, not 764.32 minutes).
smo_extension.duration = (minutes) => {
	if (minutes === null || minutes === undefined || minutes === "") return "";
	const total = Math.round(Number(minutes));
	const h = Math.floor(total / 60);
	const m = total % 60;
	return h ? `${h}h ${String(m).padStart(2, "0")}m` : `${m}m`;
};

// A stored (site-time) datetime as the user's date and HH:MM (no seconds).
smo_extension.when = (value) =>
	value ? `${frappe.datetime.str_to_user(String(value).slice(0, 10))} ${String(value).slice(11, 16)}` : "";
