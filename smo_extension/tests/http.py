"""Tests through the real HTTP layer: a logged-in user talking to the site's WSGI application.

Each request runs in a thread of its own with a database connection of its own, as a request of a web worker
does (Frappe's own API tests work the same way), so the session login, the argument type checks of whitelisted
methods, `has_permission` hooks, permission query conditions, report runners and error handling all run
exactly as in production. What a request is to see must be committed first, and what it wrote is committed
when it answers: tests that use this module make their records with `committed()` and remove them again.
"""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from typing import Any
from unittest.mock import patch
from urllib.parse import quote

import frappe
from werkzeug.test import Client
from werkzeug.test import TestResponse

from smo_extension.tests.factories import test_password


class Response:
	"""What the server answered: status, the decoded JSON body, and Frappe's error details."""

	def __init__(self, raw: TestResponse):
		self.status = raw.status_code
		self.headers = raw.headers
		self.body = raw.get_data()  # bytes: a file download is not text
		self.text = self.body.decode("utf-8", "replace")
		try:
			self.json: Any = json.loads(self.text) if self.text else None
		except ValueError:
			self.json = None

	@property
	def data(self):
		"""`data` of /api/resource answers, `message` of /api/method answers."""
		if not isinstance(self.json, dict):
			return None
		return self.json.get("data", self.json.get("message"))

	@property
	def exc_type(self) -> str | None:
		return self.json.get("exc_type") if isinstance(self.json, dict) else None

	@property
	def messages(self) -> list[str]:
		"""The texts of `_server_messages` (what `frappe.throw` said)."""
		if not isinstance(self.json, dict) or not self.json.get("_server_messages"):
			return []
		out = []
		for item in json.loads(self.json["_server_messages"]):
			try:
				out.append(json.loads(item).get("message", ""))
			except (ValueError, AttributeError):
				out.append(str(item))
		return out

	@property
	def message(self) -> str:
		return " ".join(self.messages)

	def __repr__(self) -> str:
		return f"<Response {self.status} {self.exc_type or ''} {self.text[:300]!r}>"


class Session:
	"""One user's browser-like session (cookies kept) against the site's WSGI application."""

	def __init__(self, user: str = "Guest"):
		from frappe.app import application

		self.user = user
		self.site = frappe.local.site
		self.client = Client(application, use_cookies=True)
		if user != "Guest":
			answer = self.post("/api/method/login", {"usr": user, "pwd": test_password()})
			if answer.status != 200:
				raise AssertionError(f"{user} could not log in: {answer!r}")

	# -- raw requests, each in its own thread (own frappe.local, own database connection)
	def request(self, method: str, path: str, **kwargs) -> Response:
		frappe.db.commit()  # nosemgrep: the server's connection sees only committed data
		result: dict[str, TestResponse] = {}

		def run():
			with patch("frappe.app.get_site_name", return_value=self.site):
				result["raw"] = self.client.open(path, method=method, **kwargs)

		thread = threading.Thread(target=run)
		thread.start()
		thread.join()
		frappe.db.rollback()  # a fresh snapshot: this connection now sees what the request committed
		return Response(result["raw"])

	def get(self, path: str, params: dict | None = None) -> Response:
		return self.request("GET", path, query_string=encode(params or {}))

	def post(self, path: str, data: dict | None = None) -> Response:
		return self.request("POST", path, json=data or {})

	def put(self, path: str, data: dict) -> Response:
		return self.request("PUT", path, json=data)

	def delete(self, path: str) -> Response:
		return self.request("DELETE", path)

	# -- /api/resource
	def read(self, doctype: str, name: str) -> Response:
		return self.get(resource(doctype, name))

	def list(self, doctype: str, filters=None, fields=None, limit: int = 0) -> Response:
		params = {"limit_page_length": limit}
		if filters is not None:
			params["filters"] = json.dumps(filters)
		if fields is not None:
			params["fields"] = json.dumps(fields)
		return self.get(resource(doctype), params)

	def create(self, doctype: str, values: dict) -> Response:
		return self.post(resource(doctype), values)

	def update(self, doctype: str, name: str, values: dict) -> Response:
		return self.put(resource(doctype, name), values)

	def remove(self, doctype: str, name: str) -> Response:
		return self.delete(resource(doctype, name))

	# -- /api/method
	def call(self, path: str, /, **args) -> Response:
		"""POST /api/method/<path> with `args` as JSON."""
		return self.post(f"/api/method/{path}", args)

	def call_get(self, path: str, /, **args) -> Response:
		return self.get(f"/api/method/{path}", {k: as_param(v) for k, v in args.items()})

	def doc_method(self, doctype: str, name: str, method: str, **args) -> Response:
		"""A whitelisted controller method, as the desk calls it (`run_doc_method` with the stored document)."""
		return self.call("run_doc_method", dt=doctype, dn=name, method=method, args=json.dumps(args))

	def run_report(self, report: str, filters) -> Response:
		return self.call(
			"frappe.desk.query_report.run",
			report_name=report,
			filters=filters if isinstance(filters, str) else json.dumps(filters),
			ignore_prepared_report=1,
		)


def resource(doctype: str, name: str | None = None) -> str:
	path = f"/api/resource/{quote(doctype)}"
	return f"{path}/{quote(str(name), safe='')}" if name is not None else path


def as_param(value) -> str:
	return value if isinstance(value, str) else json.dumps(value)


def encode(params: dict) -> str:
	from urllib.parse import urlencode

	return urlencode({k: as_param(v) for k, v in params.items()})


@contextmanager
def committed():
	"""Records made inside the block are committed, so requests (other connections) see them."""
	yield
	frappe.db.commit()  # nosemgrep


def error_log_count() -> int:
	"""Error Log entries, including those a read-only request deferred to Redis (Frappe's report runner)."""
	from frappe.deferred_insert import save_to_db

	save_to_db()
	frappe.db.commit()  # nosemgrep
	return frappe.db.count("Error Log")


_sessions: dict[str, Session] = {}


def session(user: str) -> Session:
	"""One logged-in session per user for the whole test run (logging in costs a request)."""
	if user not in _sessions:
		_sessions[user] = Session(user)
	return _sessions[user]
