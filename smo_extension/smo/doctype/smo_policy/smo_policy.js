// Copyright (c) 2026, smo_extension developers
// For license information, please see license.txt

frappe.ui.form.on("SMO Policy", {
	refresh(frm) {
		smo_owned_form(frm); // public/js/smo_owned.js
		if (frm.is_new() || frm.doc.is_superseded) {
			return;
		}
		const manager = frappe.user.has_role("SMO Manager");
		const may_act = manager || frm.doc.policy_owner === frappe.session.user;
		if (frm.doc.status === "Published" && may_act) {
			frm.add_custom_button(__("Mark Reviewed"), () =>
				frm.call("mark_reviewed").then(() => frm.reload_doc())
			);
		}
		if (may_act && frappe.model.can_create("SMO Policy")) {
			frm.add_custom_button(__("New Version"), () => {
				frappe.prompt(
					{ fieldname: "version", fieldtype: "Data", label: __("New Version"), reqd: 1 },
					(values) =>
						frm
							.call("make_new_version", { version: values.version })
							.then((r) => frappe.set_route("Form", "SMO Policy", r.message)),
					__("Draft a New Version")
				);
			});
		}
	},
});
