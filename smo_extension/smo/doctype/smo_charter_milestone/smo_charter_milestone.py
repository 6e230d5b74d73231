# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt

from frappe.model.document import Document


class SMOCharterMilestone(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		completed_on: DF.Date | None
		due_date: DF.Date
		milestone: DF.Data
		note: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		status: DF.Literal["Planned", "In Progress", "Done", "Missed", "Cancelled"]
	# end: auto-generated types
	pass
