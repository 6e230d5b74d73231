"""Errors of the PMO liaison, at the level of the adapters that raise and catch them (`pmo.sync`, the SMO PMO
Liaison controller above it)."""

import frappe


class SMOLiaisonError(frappe.ValidationError):
	pass
