# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

from frappe.model.document import Document


class SMOLiaisonChecklistItem(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		done: DF.Check
		due_date: DF.Date | None
		item: DF.Data
		mandatory: DF.Check
		note: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		responsible: DF.Data | None
	# end: auto-generated types
	pass
