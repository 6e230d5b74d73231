"""What of the SMO rests on ERPNext's records, where ERPNext is installed: the Contract (and Supplier) an agreement
implements, checked on every save of the agreement; the agreements a Contract's form lists; the liaisons and
services a Project's form lists. ERPNext's own records are read, never written."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import getdate

from smo_extension import erpnext_compat

AGREEMENT = "SMO Service Level Agreement"
LIAISON = "SMO PMO Liaison"


class SMOContractError(frappe.ValidationError):
	pass


def validate_contract(doc) -> None:
	"""An agreement that names an ERPNext Contract: an SLA's contract is with a Customer (its own customer, when
	it names one), a UC's with a Supplier (the one it names); the agreement lies within the contract's dates. An
	OLA is internal and names none."""
	name = doc.get("smo_contract")
	if not name or not erpnext_compat.installed():
		return
	if doc.agreement_type == "OLA":
		frappe.throw(_("An OLA is owed by an internal team: it implements no contract."), SMOContractError)
	contract = erpnext_compat.contract(name)
	if contract is None:
		frappe.throw(_("Contract {0} does not exist.").format(frappe.bold(name)), SMOContractError)
	if doc.agreement_type == "SLA":
		if contract.party_type != "Customer":
			frappe.throw(
				_("An SLA implements a contract with a customer; Contract {0} is with a {1}.").format(
					frappe.bold(name), _(contract.party_type)
				),
				SMOContractError,
			)
		if doc.customer and erpnext_compat.hd_customer(contract.party_name) != doc.customer:
			frappe.throw(
				_("Contract {0} is with customer {1}, not with {2}, the customer of this agreement.").format(
					frappe.bold(name), frappe.bold(contract.party_name), frappe.bold(doc.customer)
				),
				SMOContractError,
			)
	if doc.agreement_type == "UC":
		if contract.party_type != "Supplier":
			frappe.throw(
				_(
					"An underpinning contract rests on a contract with a supplier; Contract {0} is with a {1}."
				).format(frappe.bold(name), _(contract.party_type)),
				SMOContractError,
			)
		if doc.get("smo_supplier") and doc.smo_supplier != contract.party_name:
			frappe.throw(
				_("Contract {0} is with supplier {1}, not with {2}.").format(
					frappe.bold(name), frappe.bold(contract.party_name), frappe.bold(doc.smo_supplier)
				),
				SMOContractError,
			)
		doc.smo_supplier = contract.party_name
		doc.supplier = doc.supplier or contract.party_name
	check_dates(doc, contract)


def fill_supplier(doc) -> None:
	"""A UC that names an ERPNext Supplier, or a Contract with one, is owed by that supplier (before the
	agreement checks that a UC names its supplier)."""
	if doc.agreement_type != "UC" or doc.supplier:
		return
	if doc.get("smo_supplier"):
		doc.supplier = doc.smo_supplier
		return
	contract = erpnext_compat.contract(doc.get("smo_contract")) if doc.get("smo_contract") else None
	if contract and contract.party_type == "Supplier":
		doc.supplier = contract.party_name


def check_dates(doc, contract) -> None:
	valid_from = getdate(doc.valid_from) if doc.valid_from else None
	valid_to = getdate(doc.valid_to) if doc.valid_to else None
	start = getdate(contract.start_date) if contract.start_date else None
	end = getdate(contract.end_date) if contract.end_date else None
	problem = erpnext_compat.contract_problem({"start_date": start, "end_date": end}, valid_from, valid_to)
	if problem == "starts_before":
		message = _("The agreement starts on {0}, before Contract {1} starts ({2}).").format(
			frappe.format(valid_from, "Date"), frappe.bold(contract.name), frappe.format(start, "Date")
		)
	elif problem == "outlives":
		message = _(
			"The agreement runs to {0}, past the end of Contract {1} ({2}): end it on or before that day."
		).format(frappe.format(valid_to, "Date"), frappe.bold(contract.name), frappe.format(end, "Date"))
	elif problem == "open_ended":
		message = _(
			"Contract {0} ends on {1}: give the agreement a Valid To on or before that day, or it would outlive "
			"its contract."
		).format(frappe.bold(contract.name), frappe.format(end, "Date"))
	else:
		return
	frappe.throw(message, SMOContractError, title=_("The agreement outlives its contract"))


# ------------------------------------------------------------------------------------------- dashboards
def contract_dashboard(data):
	"""The Contract form's connections: the SMO agreements that implement it."""
	data = frappe._dict(data or {})
	data.setdefault("transactions", [])
	data.setdefault("non_standard_fieldnames", {})
	data.non_standard_fieldnames[AGREEMENT] = "smo_contract"
	# the form counts the connections only when the dashboard names a fieldname (Contract has no dashboard of its
	# own): ours, where no other app set one
	data.setdefault("fieldname", "smo_contract")
	data.transactions.append({"label": _("Service Management (SMO)"), "items": [AGREEMENT]})
	return data


def project_dashboard(data):
	"""The Project form's connections: the SMO/PMO liaisons of the project (their `project`)."""
	data = frappe._dict(data or {})
	data.setdefault("transactions", [])
	data.setdefault("non_standard_fieldnames", {})
	if data.get("fieldname") != "project":
		data.non_standard_fieldnames[LIAISON] = "project"
	data.transactions.append({"label": _("Service Management (SMO)"), "items": [LIAISON]})
	return data
