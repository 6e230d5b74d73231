import frappe
from frappe.model.naming import NamingSeries


def execute():
	"""Improvements and liaisons now count in their own naming series (SMO-IMP-.#####, SMO-LIA-.#####): start
	each counter after the highest number already used, so no new record takes an existing name."""
	for doctype, series in (("SMO Improvement", "SMO-IMP-.#####"), ("SMO PMO Liaison", "SMO-LIA-.#####")):
		prefix = series.split(".")[0]
		used = [
			int(name[len(prefix) :])
			for name in frappe.get_all(doctype, pluck="name")
			if name.startswith(prefix) and name[len(prefix) :].isdigit()
		]
		counter = NamingSeries(series)
		if max(used, default=0) > counter.get_current_value():
			counter.update_counter(max(used))
