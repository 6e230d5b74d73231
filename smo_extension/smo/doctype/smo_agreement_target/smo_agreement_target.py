# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

from frappe.model.document import Document


class SMOAgreementTarget(Document):
	pass
