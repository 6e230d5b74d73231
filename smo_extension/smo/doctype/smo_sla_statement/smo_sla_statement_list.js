// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.listview_settings["SMO SLA Statement"] = {
	get_indicator(doc) {
		const colours = { Generated: "blue", Sent: "green", "No Contacts": "orange" };
		return [__(doc.status), colours[doc.status] || "gray", "status,=," + doc.status];
	},
	onload(listview) {
		if (!frappe.user.has_role("SMO Manager")) return;
		listview.page.add_inner_button(__("Generate Statement"), () => {
			const dialog = new frappe.ui.Dialog({
				title: __("Generate SLA Statement"),
				fields: [
					{
						fieldname: "customer",
						label: __("Customer"),
						fieldtype: "Link",
						options: "HD Customer",
						reqd: 1,
						get_query: () => ({ query: "smo_extension.api.catalog.search_customers" }),
						ignore_link_validation: 1,
					},
					{
						fieldname: "month",
						label: __("Month"),
						fieldtype: "Data",
						reqd: 1,
						description: __("YYYY-MM"),
						default: frappe.datetime.add_months(frappe.datetime.get_today(), -1).slice(0, 7),
					},
				],
				primary_action_label: __("Generate"),
				primary_action(values) {
					frappe
						.call("smo_extension.api.statements.generate_statement", values)
						.then((r) => {
							dialog.hide();
							frappe.set_route("Form", "SMO SLA Statement", r.message);
						});
				},
			});
			dialog.show();
		});
	},
};
