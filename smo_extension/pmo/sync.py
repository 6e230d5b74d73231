"""PMO sync: each SMO PMO Liaison reads its project's status, percent complete and expected end.

Projects on the PMO's own site are read through `client.PMOClient` (one filtered list per chunk, then one read
per project the list did not return); projects on this site (ERPNext installed here, liaison says "This Site")
are read from the local Project. When SMO Settings name the Project fields that hold the go-live date and the end
of hypercare, those move the liaison's hypercare window too: the liaison is saved with them (its checks run, its
running clocks are recomputed in the background), and dates the checks refuse are reported, not taken. Every liaison records its own result (`sync_status`, `sync_error`,
`last_sync_attempt_at`); a failure never overwrites the last good values, and a project that is gone is
flagged, never deleted. The API secret is read server-side only and scrubbed from anything stored or logged.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import cint
from frappe.utils import get_datetime
from frappe.utils import getdate
from frappe.utils import now_datetime

from smo_extension.pmo.client import PROJECT_FIELDS
from smo_extension.pmo.client import PMOAuthError
from smo_extension.pmo.client import PMOBadResponse
from smo_extension.pmo.client import PMOClient
from smo_extension.pmo.client import PMOError
from smo_extension.pmo.client import PMONotFound
from smo_extension.pmo.client import PMOUnavailable
from smo_extension.pmo.client import ProjectSnapshot
from smo_extension.pmo.client import parse_project
from smo_extension.settings import get_settings
from smo_extension.settings import is_enabled

LIAISON = "SMO PMO Liaison"
CHUNK = 50
LOCAL, REMOTE = "This Site", "PMO Site"
DEFAULT_INTERVAL, DEFAULT_TIMEOUT = 60, 10
# The scheduler looks every 15 minutes; a liaison is due a little before its interval is over so that an
# hourly interval does not slip to the next tick.
TOLERANCE = timedelta(minutes=5)

OK = "OK"
CREDENTIALS_REJECTED = "Credentials Rejected"
NOT_FOUND = "Not Found"
UNAVAILABLE = "Unavailable"
BAD_RESPONSE = "Bad Response"
ERROR = "Error"
# The values a successful sync writes; failures leave them as they are.
SYNCED_FIELDS = ("project_title", "project_status", "percent_complete", "expected_end", "last_synced_at")


class NotConfigured(Exception):
	pass


# ------------------------------------------------------------------------------------------- client
def get_client(sleep: Callable[[float], None] = time.sleep, session=None) -> PMOClient:
	"""A client for the PMO connection of SMO Settings. Raises NotConfigured when a part is missing."""
	settings = get_settings()
	key = settings.get_password("pmo_api_key", raise_exception=False)
	secret = settings.get_password("pmo_api_secret", raise_exception=False)
	if not (settings.pmo_base_url and key and secret):
		raise NotConfigured
	try:
		return PMOClient(
			settings.pmo_base_url,
			key,
			secret,
			timeout=cint(settings.pmo_timeout_seconds) or DEFAULT_TIMEOUT,
			session=session,
			sleep=sleep,
		)
	except ValueError:
		raise NotConfigured


def date_fields() -> tuple[str | None, str | None]:
	"""The Project fields (on the PMO site) holding the go-live date and the end of hypercare, if configured."""
	settings = get_settings()
	return (settings.get("pmo_go_live_field") or None, settings.get("pmo_hypercare_end_field") or None)


def project_fields() -> tuple[str, ...]:
	return (*PROJECT_FIELDS, *(f for f in date_fields() if f))


def sync_interval() -> timedelta:
	return timedelta(minutes=cint(get_settings().pmo_sync_interval_minutes) or DEFAULT_INTERVAL)


# ------------------------------------------------------------------------------------------- scheduler
def sync_all_liaisons() -> None:
	"""Every 15 minutes (hooks.py): when liaisons are due, one deduplicated background job syncs them."""
	if not is_enabled() or not due_liaisons(now_datetime()):
		return
	frappe.enqueue(
		"smo_extension.pmo.sync.run_sync",
		queue="long",
		timeout=3600,
		job_id="smo_extension:pmo_sync",
		deduplicate=True,
	)


def due_liaisons(now: datetime) -> list[str]:
	"""Open liaisons never tried, or last tried a sync interval ago; the longest-waiting first."""
	cutoff = now - sync_interval() + TOLERANCE
	li = frappe.qb.DocType(LIAISON)
	rows = (
		frappe.qb.from_(li)
		.select(li.name)
		.where(
			(li.transition_stage != "Closed")
			& (li.last_sync_attempt_at.isnull() | (li.last_sync_attempt_at <= cutoff))
		)
		.orderby(li.last_sync_attempt_at)
		.orderby(li.name)
		.run()
	)
	return [r[0] for r in rows]


def run_sync(
	now: datetime | None = None, client: PMOClient | None = None, names: list[str] | None = None
) -> dict[str, int]:
	"""Sync the due liaisons (or `names`) in chunks, committing after each chunk outside tests. When the PMO
	site itself fails (credentials, unreachable), the remaining liaisons record that without further calls.
	Returns how many liaisons ended in each sync status."""
	if not is_enabled():
		return {}
	now = now or now_datetime()
	names = due_liaisons(now) if names is None else names
	counts: dict[str, int] = {}
	state = {"site_error": None}
	for start in range(0, len(names), CHUNK):
		for status in sync_chunk(names[start : start + CHUNK], now=now, client=client, state=state).values():
			counts[status] = counts.get(status, 0) + 1
		if not frappe.flags.in_test:
			frappe.db.commit()  # nosemgrep: each chunk's results stay when a later chunk fails
	return counts


def sync_chunk(
	names: list[str], now: datetime | None = None, client: PMOClient | None = None, state: dict | None = None
) -> dict[str, str]:
	"""Sync a few liaisons; returns liaison -> sync status."""
	now = now or now_datetime()
	state = state if state is not None else {"site_error": None}
	liaisons = frappe.get_all(
		LIAISON,
		filters={"name": ("in", names)},
		fields=["name", "project", "project_source"],
		order_by="name",
	)
	results: dict[str, str] = {}
	for liaison in [li for li in liaisons if li.project_source == LOCAL]:
		results[liaison.name] = guarded(liaison, now, None, lambda li: sync_local(li, now))
	remote = [li for li in liaisons if li.project_source != LOCAL]
	if not remote:
		return results
	if state.get("site_error") is None and client is None:
		try:
			client = get_client()
		except NotConfigured:
			state["site_error"] = (ERROR, not_configured_message())
	found: dict[str, dict] = {}
	if state.get("site_error") is None:
		try:
			found = {
				str(row.get("name")): row
				for row in client.list_projects(
					filters=[["name", "in", sorted({li.project for li in remote})]],
					fields=project_fields(),
					page_length=len(remote),
				)
			}
		except PMOAuthError as exc:
			state["site_error"] = (CREDENTIALS_REJECTED, auth_message(exc))
		except PMOUnavailable as exc:
			state["site_error"] = (UNAVAILABLE, unavailable_message(exc, client))
		except PMOError:
			found = {}  # the list is not usable: read each project on its own
	for liaison in remote:
		if state.get("site_error"):
			status, message = state["site_error"]
			record_failure(liaison.name, status, message, now)
			results[liaison.name] = status
			continue
		doc = found.get(liaison.project)
		results[liaison.name] = guarded(
			liaison, now, client, lambda li, doc=doc: sync_remote(li, now, client, doc)
		)
	return results


# ------------------------------------------------------------------------------------------- one liaison
def sync_liaison(name: str, now: datetime | None = None, client: PMOClient | None = None) -> str:
	"""Sync one liaison now (the form's Sync button); returns its sync status."""
	now = now or now_datetime()
	liaison = frappe.db.get_value(LIAISON, name, ["name", "project", "project_source"], as_dict=True)
	if not liaison:
		frappe.throw(_("PMO Liaison {0} does not exist.").format(name), frappe.DoesNotExistError)
	if liaison.project_source == LOCAL:
		return guarded(liaison, now, None, lambda li: sync_local(li, now))
	if client is None:
		try:
			client = get_client()
		except NotConfigured:
			record_failure(name, ERROR, not_configured_message(), now)
			return ERROR
	return guarded(liaison, now, client, lambda li: sync_remote(li, now, client, None))


def guarded(liaison, now: datetime, client: PMOClient | None, sync: Callable) -> str:
	"""Run one liaison's sync in a savepoint; whatever goes wrong is rolled back to it (none of the liaison's
	new values stay half-written) and recorded on that liaison only."""
	frappe.db.savepoint("smo_pmo_liaison")
	try:
		return sync(liaison)
	except Exception as exc:
		frappe.db.rollback(save_point="smo_pmo_liaison")
		redact = client.redact if client else scrub
		message = redact(f"{type(exc).__name__}: {exc}")
		record_failure(
			liaison.name,
			ERROR,
			_("Unexpected error while syncing ({0}); see the Error Log.").format(message),
			now,
		)
		frappe.log_error(
			title=_("PMO sync of {0} failed").format(liaison.name),
			message=redact(frappe.get_traceback()),
			reference_doctype=LIAISON,
			reference_name=liaison.name,
		)
		return ERROR


def sync_remote(liaison, now: datetime, client: PMOClient, doc: dict | None) -> str:
	try:
		snapshot = parse_project(
			doc if doc is not None else client.get_project(liaison.project), *date_fields()
		)
	except PMOAuthError as exc:
		return record_failure(liaison.name, CREDENTIALS_REJECTED, auth_message(exc), now)
	except PMONotFound:
		message = _(
			"Project {0} no longer exists on the PMO site. The liaison keeps its last synced values."
		).format(liaison.project)
		return record_failure(liaison.name, NOT_FOUND, message, now, project_missing=1)
	except PMOUnavailable as exc:
		return record_failure(liaison.name, UNAVAILABLE, unavailable_message(exc, client), now)
	except PMOBadResponse as exc:
		message = _("The PMO site sent an answer that could not be read: {0}.").format(
			client.redact(str(exc))
		)
		return record_failure(liaison.name, BAD_RESPONSE, message, now)
	return record_success(liaison.name, snapshot, now)


def sync_local(liaison, now: datetime) -> str:
	if not local_projects_available():
		message = _("ERPNext is not installed on this site, so Project {0} cannot be read here.").format(
			liaison.project
		)
		return record_failure(liaison.name, ERROR, message, now)
	doc = read_local_project(liaison.project)
	if not doc:
		message = _(
			"Project {0} no longer exists on this site. The liaison keeps its last synced values."
		).format(liaison.project)
		return record_failure(liaison.name, NOT_FOUND, message, now, project_missing=1)
	try:
		snapshot = parse_project(dict(doc), *date_fields())
	except PMOBadResponse as exc:
		return record_failure(
			liaison.name,
			BAD_RESPONSE,
			_("Project {0} could not be read: {1}.").format(liaison.project, exc),
			now,
		)
	return record_success(liaison.name, snapshot, now)


def local_projects_available() -> bool:
	return bool(frappe.db.exists("DocType", "Project"))


def read_local_project(name: str) -> dict | None:
	meta = frappe.get_meta("Project")
	fields = [*PROJECT_FIELDS, *(f for f in date_fields() if f and meta.has_field(f))]
	return frappe.db.get_value("Project", name, fields, as_dict=True)


# ------------------------------------------------------------------------------------------- results
def record_success(name: str, snapshot: ProjectSnapshot, now: datetime) -> str:
	frappe.db.set_value(
		LIAISON,
		name,
		{
			"project_title": snapshot.title,
			"project_status": snapshot.status,
			"percent_complete": snapshot.percent_complete,
			"expected_end": snapshot.expected_end,
			"last_synced_at": now,
			"last_sync_attempt_at": now,
			"sync_status": OK,
			"sync_error": None,
			"project_missing": 0,
		},
		update_modified=False,
	)
	refused = apply_dates(name, snapshot)
	if refused:
		return record_failure(name, BAD_RESPONSE, refused, now)
	return OK


def apply_dates(name: str, snapshot: ProjectSnapshot) -> str | None:
	"""The PMO's go-live date and end of hypercare, where it has them and they differ, saved on the liaison
	with its checks (a moved hypercare window recomputes its tickets: `SMOPMOLiaison.on_update`). Returns
	why the dates were refused, or None."""
	stored = frappe.db.get_value(LIAISON, name, ["go_live_date", "hypercare_until"], as_dict=True)
	values = {}
	for field, value in (("go_live_date", snapshot.go_live), ("hypercare_until", snapshot.hypercare_until)):
		if value and (not stored.get(field) or getdate(stored.get(field)) != value):
			values[field] = value
	if not values:
		return None
	from smo_extension.pmo.errors import SMOLiaisonError

	doc = frappe.get_doc(LIAISON, name)
	doc.update(values)
	doc.flags.ignore_permissions = True
	doc.flags.smo_from_sync = True
	messages = len(frappe.local.message_log)
	frappe.db.savepoint("smo_pmo_dates")
	try:
		doc.save()
	except SMOLiaisonError as exc:
		frappe.db.rollback(save_point="smo_pmo_dates")
		del frappe.local.message_log[messages:]  # reported on the liaison, not shown to whoever synced
		return _("The PMO's go-live date or end of hypercare was not taken: {0}").format(
			frappe.utils.strip_html(str(exc))
		)
	return None


def record_failure(
	name: str, status: str, message: str, now: datetime, project_missing: int | None = None
) -> str:
	"""Only the sync bookkeeping changes: the last good project values stay."""
	values = {"sync_status": status, "sync_error": scrub(message), "last_sync_attempt_at": now}
	if project_missing is not None:
		values["project_missing"] = project_missing
	frappe.db.set_value(LIAISON, name, values, update_modified=False)
	return status


def scrub(text: str) -> str:
	"""`text` without the configured API key and secret, whatever produced it."""
	settings = get_settings()
	for fieldname in ("pmo_api_secret", "pmo_api_key"):
		value = settings.get_password(fieldname, raise_exception=False)
		if value:
			text = text.replace(value, "*****")
	return text


def auth_message(exc: PMOError) -> str:
	return _(
		"The PMO site rejected the credentials (HTTP {0}): check the API key and secret in SMO Settings."
	).format(exc.status_code or "401/403")


def unavailable_message(exc: PMOError, client: PMOClient) -> str:
	return _("The PMO site could not be reached: {0}. The next sync tries again.").format(
		client.redact(str(exc))
	)


def not_configured_message() -> str:
	return _("The PMO connection is not set up: fill in the base URL, API key and secret in SMO Settings.")


def is_stale(last_synced_at, now: datetime) -> bool:
	"""True when the last good values are older than two sync intervals (or there are none)."""
	return not last_synced_at or get_datetime(last_synced_at) < now - 2 * sync_interval()
