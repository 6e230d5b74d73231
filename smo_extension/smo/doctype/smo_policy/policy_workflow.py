# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""The Frappe Workflow of SMO Policy, made in code on install and every migrate (idempotent).

The workflow drives the form (action buttons, read-only status); the controller enforces the same moves and
roles on every save, so they hold even where the workflow is switched off.
"""

import frappe

WORKFLOW = "SMO Policy Lifecycle"
MANAGER, OWNER = "SMO Manager", "Service Owner"
APPROVER_ONLY = "doc.approver == frappe.session.user"

STATES = (
	# state, style, roles that may edit in it
	("Draft", "", (MANAGER, OWNER)),
	("In Review", "Warning", (MANAGER, OWNER)),
	("Approved", "Info", (MANAGER,)),
	("Published", "Success", (MANAGER,)),
	("Retired", "Inverse", (MANAGER,)),
)
TRANSITIONS = (
	# state, action, next state, role, condition
	("Draft", "Submit for Review", "In Review", MANAGER, None),
	("Draft", "Submit for Review", "In Review", OWNER, None),
	("In Review", "Approve", "Approved", MANAGER, None),
	("In Review", "Approve", "Approved", OWNER, APPROVER_ONLY),
	("In Review", "Send Back", "Draft", MANAGER, None),
	("In Review", "Send Back", "Draft", OWNER, APPROVER_ONLY),
	("Approved", "Publish", "Published", MANAGER, None),
	("Approved", "Send Back", "Draft", MANAGER, None),
	("Published", "Retire", "Retired", MANAGER, None),
)


def setup_policy_workflow() -> None:
	for state, style, _roles in STATES:
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc(
				{"doctype": "Workflow State", "workflow_state_name": state, "style": style}
			).insert(ignore_permissions=True)
	for action in sorted({t[1] for t in TRANSITIONS}):
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
				ignore_permissions=True
			)
	if frappe.db.exists("Workflow", WORKFLOW):
		workflow = frappe.get_doc("Workflow", WORKFLOW)
	else:
		workflow = frappe.new_doc("Workflow")
		workflow.workflow_name = WORKFLOW
	workflow.update(
		{
			"document_type": "SMO Policy",
			"workflow_state_field": "status",
			"is_active": 1,
			"send_email_alert": 0,
			# our list indicator (Superseded, Review Overdue) rather than the bare state
			"override_status": 1,
		}
	)
	workflow.set(
		"states",
		[
			{"state": state, "doc_status": "0", "allow_edit": role}
			for state, _style, roles in STATES
			for role in roles
		],
	)
	workflow.set(
		"transitions",
		[
			{
				"state": state,
				"action": action,
				"next_state": next_state,
				"allowed": role,
				"allow_self_approval": 1,  # self-approval is SMO Settings' rule, checked by the controller
				"condition": condition,
			}
			for state, action, next_state, role, condition in TRANSITIONS
		],
	)
	workflow.flags.ignore_permissions = True
	workflow.save()


def remove_policy_workflow() -> None:
	if frappe.db.exists("Workflow", WORKFLOW):
		frappe.delete_doc("Workflow", WORKFLOW, ignore_permissions=True, force=True)
