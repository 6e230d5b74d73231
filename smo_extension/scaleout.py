"""Frappe's own scale-out, as the app's code uses it (no app imports here: every layer may use it).

- `heavy_read`: run a function on the read replica when the site config names one (`read_from_replica`,
  `replica_host`, `replica_db_port`: Frappe's `connect_replica`), on the primary otherwise.
- `inline_jobs`: whether chunks that go to the long queue run in the caller instead (tests).
"""

from __future__ import annotations

import functools

import frappe


def on_replica() -> bool:
	replica = getattr(frappe.local, "replica_db", None)
	return replica is not None and frappe.local.db is replica


def heavy_read(fn):
	"""Run `fn` on the read replica when the site config names one; nested calls (and calls inside Frappe's own
	`frappe.read_only`, e.g. a report page) stay on the connection they have. Unlike `frappe.read_only`, the
	replica is connected again on each outermost call: a job that reads in batches reads every batch from it."""

	@functools.wraps(fn)
	def wrapper(*args, **kwargs):
		local = frappe.local
		if not local.conf.get("read_from_replica") or on_replica():
			return fn(*args, **kwargs)
		for name in ("replica_db", "primary_db"):  # left behind by an earlier frappe.read_only of the request
			if hasattr(local, name):
				delattr(local, name)
		frappe.connect_replica()
		try:
			return fn(*args, **kwargs)
		finally:
			replica, local.db = local.db, local.primary_db
			replica.close()
			del local.replica_db, local.primary_db

	return wrapper


def inline_jobs() -> bool:
	"""Chunks run in the caller during tests (the test's transaction never commits, so a queued job would never
	start), unless a test runs real workers (`frappe.flags.smo_real_queue`)."""
	return bool(frappe.flags.in_test) and not frappe.flags.smo_real_queue
