// The SMO reports' kit: the filters every report shares and the formatting helpers, declared once.
// Each report's .js takes it in the Frappe way, with an include directive naming this file (Jinja's include
// tag), which Frappe's report loader expands on the server (query_report.get_script -> render_include). Python
// declares the same filters once too (report/filters.py), and checks every value against them.

var smo_report = {
	// -- filters
	from_date(months = 1, reqd = 1) {
		return {
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -months),
			reqd: reqd,
		};
	},
	to_date(reqd = 1) {
		return {
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: reqd,
		};
	},
	// the period from `months` months ago to today
	period(months = 1) {
		return [smo_report.from_date(months), smo_report.to_date()];
	},
	// the last full month: the one a review talks about
	last_month() {
		const start = frappe.datetime.month_start();
		return [
			{ ...smo_report.from_date(), default: frappe.datetime.add_months(start, -1) },
			{ ...smo_report.to_date(), default: frappe.datetime.add_days(start, -1) },
		];
	},
	date(fieldname, label, reqd = 1) {
		return { fieldname, label: __(label), fieldtype: "Date", default: frappe.datetime.get_today(), reqd };
	},
	link(fieldname, label, doctype, extra = {}) {
		return { fieldname, label: __(label), fieldtype: "Link", options: doctype, ...extra };
	},
	// options: the values, in order; blank (no choice) first unless a default is given
	select(fieldname, label, options, default_value) {
		const filter = {
			fieldname,
			label: __(label),
			fieldtype: "Select",
			options: default_value === undefined ? ["", ...options] : options,
		};
		if (default_value !== undefined) {
			filter.default = default_value;
		}
		return filter;
	},
	check(fieldname, label) {
		return { fieldname, label: __(label), fieldtype: "Check", default: 0 };
	},
	service() {
		return smo_report.link("service", "Service", "SMO Service");
	},
	customer() {
		// SMO staff may not read Helpdesk's customers: search and keep the name without Link validation
		return smo_report.link("customer", "Customer", "HD Customer", {
			get_query: () => ({ query: "smo_extension.api.catalog.search_customers" }),
			ignore_link_validation: 1,
		});
	},
	team() {
		return smo_report.link("team", "Team", "HD Team");
	},
	priority() {
		return smo_report.link("priority", "Priority", "HD Ticket Priority");
	},
	owner(fieldname, label = "Owner") {
		return smo_report.link(fieldname, label, "User");
	},
	agreement(extra = {}) {
		return smo_report.link("agreement", "Agreement", "SMO Service Level Agreement", extra);
	},
	// agreements that have clocks (an underpinning contract has none)
	clock_agreement(extra = {}) {
		return smo_report.agreement({
			get_query: () => ({ filters: { agreement_type: ["in", ["SLA", "OLA"]] } }),
			...extra,
		});
	},
	agreement_type(default_value) {
		const filter = smo_report.select("agreement_type", "Agreement Type", ["SLA", "OLA"]);
		if (default_value) {
			filter.default = default_value;
		}
		return filter;
	},
	metric(with_blank = false) {
		return with_blank
			? smo_report.select("metric", "Metric", ["Response", "Resolution"])
			: smo_report.select("metric", "Metric", ["Resolution", "Response"], "Resolution");
	},
	operation() {
		// tickets opened inside a hypercare window of a PMO liaison, or all the others
		return {
			fieldname: "operation",
			label: __("Operation"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "Hypercare", label: __("Hypercare") },
				{ value: "Normal Operation", label: __("Normal Operation") },
			],
		};
	},
	// the filters of the SLA clock reports: period, metric, service, customer, team, priority, agreement type
	clock_filters({ months = 1, metric_blank = false, agreement_type } = {}) {
		return [
			...smo_report.period(months),
			smo_report.metric(metric_blank),
			smo_report.service(),
			smo_report.customer(),
			smo_report.team(),
			smo_report.priority(),
			smo_report.agreement_type(agreement_type),
			...smo_report.source(),
		];
	},
	// Helpdesk tickets, ERPNext Issues or both: only where ERPNext is installed (the boot says so)
	source() {
		if (!frappe.boot.smo_erpnext) return [];
		return [
			{
				fieldname: "source",
				label: __("Source"),
				fieldtype: "Select",
				options: [
					{ value: "", label: __("Helpdesk tickets and ERPNext issues") },
					{ value: "HD Ticket", label: __("Helpdesk tickets") },
					{ value: "Issue", label: __("ERPNext issues") },
				],
			},
		];
	},

	// -- formatting
	// the value in a colour of Frappe's palette (green, red, orange, gray ...)
	coloured(value, colour) {
		return `<span style="color:var(--${colour}-600)">${value}</span>`;
	},
	// the value as an indicator pill of `colours[key]`, unchanged when the key has no colour
	pill(value, colours, key) {
		const colour = colours[key];
		return colour ? `<span class="indicator-pill ${colour}">${value}</span>` : value;
	},
	// green when the number is not below zero, red when it is (a gap to target, a change)
	signed(value, number) {
		return number === null || number === undefined ? value : smo_report.coloured(value, number < 0 ? "red" : "green");
	},
	// a datetime without its seconds, in the user's date format
	minute(value) {
		return `${frappe.datetime.str_to_user(String(value).slice(0, 10))} ${String(value).slice(11, 16)}`;
	},
	// business minutes as hours and minutes, right-aligned
	hours_minutes(minutes) {
		const total = Math.round(Number(minutes));
		return `<div style="text-align: right">${Math.floor(total / 60)}h ${String(total % 60).padStart(2, "0")}m</div>`;
	},
};
