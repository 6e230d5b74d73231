// The forms of the records a Service Owner may own (services, their agreements, policies, improvements): the
// whole form read-only for who may not edit the record, and the owning field read-only for anyone but an SMO
// Manager (the form load says which, in __onload). Each of those doctypes' scripts calls it on refresh.
window.smo_owned_form = function (frm) {
	const onload = frm.doc.__onload || {};
	if (onload.smo_read_only) {
		frm.disable_form(); // only its owner or an SMO Manager edits it
	}
	for (const fieldname of onload.smo_locked_fields || []) {
		frm.set_df_property(fieldname, "read_only", 1); // who owns it: an SMO Manager's to change
	}
};
