"""A small client for the PMO's Frappe / ERPNext REST API: reads projects, nothing else.

Pure HTTP on `requests`: no `frappe` import, no clock reads (the pause between retries is the injected `sleep`),
so it is tested without a site. Token auth (`Authorization: token <key>:<secret>`), a timeout on every request,
bounded retries with exponential backoff on 5xx, 429, timeouts and connection errors, none on other 4xx.
Nothing it raises or returns carries the secret: messages name the status, the path and the host only.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from urllib.parse import quote
from urllib.parse import urlsplit

import requests

# The Project fields the SMO keeps (ERPNext names).
PROJECT_FIELDS = ("name", "project_name", "status", "percent_complete", "expected_end_date")
MAX_BACKOFF = 30.0
MAX_RETRY_AFTER = 60.0
REDACTED = "*****"


class PMOError(Exception):
	"""Any failure to read from the PMO site. `status_code` is the HTTP status when there was one."""

	def __init__(self, message: str, status_code: int | None = None):
		super().__init__(message)
		self.status_code = status_code


class PMOAuthError(PMOError):
	"""401 or 403: the PMO site rejected the API key and secret (or they may not read projects)."""


class PMONotFound(PMOError):
	"""404: the project (or the resource) does not exist on the PMO site."""


class PMOUnavailable(PMOError):
	"""The PMO site could not answer: 5xx or 429 after the retries, a timeout, a refused connection."""


class PMOBadResponse(PMOError):
	"""The PMO site answered with something that is not the expected JSON, or another 4xx."""


@dataclass(frozen=True)
class ProjectSnapshot:
	name: str
	title: str | None
	status: str | None
	percent_complete: float | None
	expected_end: date | None
	# read only when the SMO is told which Project fields hold them (PMO sites keep them in custom fields)
	go_live: date | None = None
	hypercare_until: date | None = None


def _date_field(doc: dict, field: str | None) -> date | None:
	if not field:
		return None
	value = doc.get(field)
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	if isinstance(value, str) and value:
		try:
			return date.fromisoformat(value[:10])
		except ValueError:
			raise PMOBadResponse(f"project {doc['name']}: {field} {value[:20]!r} is not a date")
	if value not in (None, ""):
		raise PMOBadResponse(f"project {doc['name']}: {field} is not a date")
	return None


def parse_project(
	doc: object, go_live_field: str | None = None, hypercare_field: str | None = None
) -> ProjectSnapshot:
	"""The fields the SMO keeps, checked: a project document from the API (or this site) -> snapshot. The
	go-live date and the end of hypercare are read from `go_live_field` / `hypercare_field` when given."""
	if not isinstance(doc, dict) or not isinstance(doc.get("name"), str) or not doc["name"]:
		raise PMOBadResponse("the project record has no name")
	for field in ("project_name", "status"):
		if doc.get(field) is not None and not isinstance(doc.get(field), str):
			raise PMOBadResponse(f"project {doc['name']}: {field} is not text")
	percent = doc.get("percent_complete")
	if percent is not None:
		if isinstance(percent, bool) or not isinstance(percent, int | float | str):
			raise PMOBadResponse(f"project {doc['name']}: percent_complete is not a number")
		try:
			percent = float(percent)
		except ValueError:
			raise PMOBadResponse(f"project {doc['name']}: percent_complete is not a number")
		if not 0 <= percent <= 100:
			raise PMOBadResponse(f"project {doc['name']}: percent_complete {percent} is outside 0-100")
	end = doc.get("expected_end_date")
	if isinstance(end, datetime):
		end = end.date()
	elif isinstance(end, str) and end:
		try:
			end = date.fromisoformat(end[:10])
		except ValueError:
			raise PMOBadResponse(f"project {doc['name']}: expected_end_date {end[:20]!r} is not a date")
	elif not isinstance(end, date):
		end = None
	return ProjectSnapshot(
		name=doc["name"],
		title=doc.get("project_name"),
		status=doc.get("status"),
		percent_complete=percent,
		expected_end=end,
		go_live=_date_field(doc, go_live_field),
		hypercare_until=_date_field(doc, hypercare_field),
	)


class PMOClient:
	"""Reads projects from a Frappe site's `/api/resource/Project`.

	`retries` is the number of attempts after the first one (so at most `retries + 1` requests per call);
	the n-th retry waits `backoff * 2**(n-1)` seconds (at most 30), or the server's Retry-After on a 429.
	"""

	def __init__(
		self,
		base_url: str,
		api_key: str,
		api_secret: str,
		timeout: float = 10,
		retries: int = 3,
		backoff: float = 0.5,
		session: requests.Session | None = None,
		sleep: Callable[[float], None] = time.sleep,
	):
		base_url = (base_url or "").strip().rstrip("/")
		parts = urlsplit(base_url)
		if parts.scheme not in ("http", "https") or not parts.hostname:
			raise ValueError("the PMO base URL must be an http(s) URL such as https://pmo.example.com")
		if parts.username or parts.password:
			raise ValueError("the PMO base URL must not carry credentials; use the API key and secret")
		if not api_key or not api_secret:
			raise ValueError("the PMO API key and secret are both required")
		self.base_url = base_url
		self.host = parts.hostname
		self._token = f"{api_key}:{api_secret}"
		self._secrets = tuple(s for s in (self._token, api_secret) if s)
		self.timeout = timeout
		self.retries = max(0, int(retries))
		self.backoff = max(0.0, float(backoff))
		self.session = session or requests.Session()
		self.sleep = sleep

	def __repr__(self) -> str:
		return f"PMOClient({self.base_url!r})"

	# -- public
	def get_project(self, name: str) -> dict:
		"""The project document named `name`. PMONotFound when the PMO site has no such project."""
		if not name:
			raise ValueError("a project name is required")
		payload = self._get(f"/api/resource/Project/{quote(str(name), safe='')}")
		doc = payload.get("data")
		if not isinstance(doc, dict):
			raise PMOBadResponse("the project answer has no document in 'data'")
		return doc

	def list_projects(
		self,
		filters: list | dict | None = None,
		fields: Iterable[str] = PROJECT_FIELDS,
		page_length: int = 100,
		max_pages: int = 1000,
	) -> list[dict]:
		"""Every project matching `filters`, read page by page (limit_start / limit_page_length) until a page
		comes back shorter than `page_length`."""
		if page_length < 1:
			raise ValueError("page_length must be at least 1")
		rows: list[dict] = []
		for page_number in range(max_pages):
			params = {
				"fields": json.dumps(list(fields)),
				"limit_start": page_number * page_length,
				"limit_page_length": page_length,
				"order_by": "name asc",
			}
			if filters:
				params["filters"] = json.dumps(filters)
			try:
				payload = self._get("/api/resource/Project", params=params)
			except PMONotFound:
				raise PMOBadResponse(
					"the PMO site has no Project list: is the base URL an ERPNext site?", 404
				)
			page = payload.get("data")
			if not isinstance(page, list) or not all(isinstance(row, dict) for row in page):
				raise PMOBadResponse("the project list answer has no list of records in 'data'")
			rows.extend(page)
			if len(page) < page_length:
				return rows
		raise PMOBadResponse(f"the project list did not end after {max_pages} pages")

	def redact(self, text: str | None) -> str:
		"""`text` without the secret (or the token it is part of)."""
		text = str(text or "")
		for secret in self._secrets:
			text = text.replace(secret, REDACTED)
		return text

	# -- HTTP
	def _get(self, path: str, params: dict | None = None) -> dict:
		url = self.base_url + path
		attempt = 0
		while True:
			retry_after = None
			try:
				response = self.session.get(
					url,
					params=params,
					headers={"Authorization": f"token {self._token}", "Accept": "application/json"},
					timeout=self.timeout,
				)
			except requests.Timeout:
				error: PMOError = PMOUnavailable(f"{self.host} did not answer within {self.timeout} s")
			except requests.ConnectionError:
				error = PMOUnavailable(f"could not connect to {self.host}")
			except requests.RequestException as exc:
				raise PMOUnavailable(f"request to {self.host} failed ({type(exc).__name__})")
			else:
				status = response.status_code
				if 200 <= status < 300:
					return self._json(response, path)
				if status in (401, 403):
					raise PMOAuthError(f"{self.host} rejected the credentials (HTTP {status})", status)
				if status == 404:
					raise PMONotFound(f"{path} does not exist on {self.host} (HTTP 404)", status)
				if status == 429 or status >= 500:
					error = PMOUnavailable(f"{self.host} answered HTTP {status}", status)
					retry_after = _retry_after(response) if status == 429 else None
				else:
					raise PMOBadResponse(f"{self.host} answered HTTP {status} to {path}", status)
			if attempt >= self.retries:
				if attempt:
					error.args = (f"{error.args[0]} (after {attempt + 1} attempts)",)
				raise error
			attempt += 1
			delay = retry_after if retry_after is not None else self.backoff * 2 ** (attempt - 1)
			self.sleep(min(delay, MAX_BACKOFF if retry_after is None else MAX_RETRY_AFTER))

	def _json(self, response: requests.Response, path: str) -> dict:
		try:
			payload = response.json()
		except ValueError:
			raise PMOBadResponse(
				f"{self.host} answered {path} with something that is not JSON", response.status_code
			)
		if not isinstance(payload, dict):
			raise PMOBadResponse(f"{self.host} answered {path} with JSON that is not an object")
		return payload


def _retry_after(response: requests.Response) -> float | None:
	try:
		return max(0.0, float(response.headers.get("Retry-After", "")))
	except ValueError:
		return None
