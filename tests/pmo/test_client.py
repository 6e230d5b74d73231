"""The PMO client against a mocked PMO site (`responses`): auth, retries, timeouts, pagination, bad answers,
and that nothing it raises carries the secret. No Frappe site needed."""

import ast
import json
import subprocess
import sys
from datetime import date
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
import requests
import responses

from smo_extension.pmo.client import PMOAuthError
from smo_extension.pmo.client import PMOBadResponse
from smo_extension.pmo.client import PMOClient
from smo_extension.pmo.client import PMOError
from smo_extension.pmo.client import PMONotFound
from smo_extension.pmo.client import PMOUnavailable
from smo_extension.pmo.client import parse_project

BASE = "https://pmo.example.com"
KEY = "the-key"
SECRET = "the-s3cret-value"
PROJECT_URL = f"{BASE}/api/resource/Project/PROJ-0001"
LIST_URL = f"{BASE}/api/resource/Project"
PROJECT = {
	"name": "PROJ-0001",
	"project_name": "New e-mail platform",
	"status": "Open",
	"percent_complete": 42.5,
	"expected_end_date": "2026-06-30",
}
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def mock():
	with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
		yield rsps


@pytest.fixture
def sleeps():
	return []


@pytest.fixture
def client(sleeps):
	return PMOClient(BASE, KEY, SECRET, timeout=7, retries=3, backoff=0.5, sleep=sleeps.append)


def assert_no_secret(error: Exception) -> None:
	assert SECRET not in str(error)
	assert SECRET not in repr(error)


# ------------------------------------------------------------------------------------------- success
def test_get_project_sends_token_and_timeout(mock, client, sleeps):
	mock.get(PROJECT_URL, json={"data": PROJECT})
	assert client.get_project("PROJ-0001") == PROJECT
	request = mock.calls[0].request
	assert request.headers["Authorization"] == f"token {KEY}:{SECRET}"
	assert request.headers["Accept"] == "application/json"
	assert request.req_kwargs["timeout"] == 7
	assert sleeps == []


def test_project_name_is_quoted_into_the_path(mock, client):
	mock.get(f"{BASE}/api/resource/Project/PROJ%201%2F2", json={"data": {**PROJECT, "name": "PROJ 1/2"}})
	assert client.get_project("PROJ 1/2")["name"] == "PROJ 1/2"


def test_trailing_slash_of_base_url_is_ignored(mock, sleeps):
	mock.get(PROJECT_URL, json={"data": PROJECT})
	PMOClient(BASE + "/", KEY, SECRET, sleep=sleeps.append).get_project("PROJ-0001")


# ------------------------------------------------------------------------------------------- 4xx: no retry
@pytest.mark.parametrize("status", [401, 403])
def test_rejected_credentials_raise_auth_error_without_retry(mock, client, sleeps, status):
	mock.get(PROJECT_URL, status=status, json={"exc_type": "AuthenticationError"})
	with pytest.raises(PMOAuthError) as raised:
		client.get_project("PROJ-0001")
	assert raised.value.status_code == status
	assert len(mock.calls) == 1
	assert sleeps == []
	assert_no_secret(raised.value)


def test_missing_project_raises_not_found_without_retry(mock, client, sleeps):
	mock.get(PROJECT_URL, status=404, json={"exc_type": "DoesNotExistError"})
	with pytest.raises(PMONotFound) as raised:
		client.get_project("PROJ-0001")
	assert raised.value.status_code == 404
	assert len(mock.calls) == 1
	assert sleeps == []


@pytest.mark.parametrize("status", [400, 409, 417])
def test_other_client_errors_are_bad_responses_without_retry(mock, client, sleeps, status):
	mock.get(PROJECT_URL, status=status, body="nope")
	with pytest.raises(PMOBadResponse) as raised:
		client.get_project("PROJ-0001")
	assert raised.value.status_code == status
	assert len(mock.calls) == 1
	assert sleeps == []


# ------------------------------------------------------------------------------------------- retries
def test_server_error_then_success_is_retried(mock, client, sleeps):
	mock.get(PROJECT_URL, status=500, body="boom")
	mock.get(PROJECT_URL, json={"data": PROJECT})
	assert client.get_project("PROJ-0001") == PROJECT
	assert len(mock.calls) == 2
	assert sleeps == [0.5]


def test_server_errors_give_up_after_bounded_retries_with_backoff(mock, client, sleeps):
	for _ in range(4):
		mock.get(PROJECT_URL, status=503, body="maintenance")
	with pytest.raises(PMOUnavailable) as raised:
		client.get_project("PROJ-0001")
	assert len(mock.calls) == 4  # first try + 3 retries
	assert sleeps == [0.5, 1.0, 2.0]
	assert raised.value.status_code == 503
	assert "4 attempts" in str(raised.value)


def test_no_retries_when_told(mock, sleeps):
	mock.get(PROJECT_URL, status=502)
	with pytest.raises(PMOUnavailable):
		PMOClient(BASE, KEY, SECRET, retries=0, sleep=sleeps.append).get_project("PROJ-0001")
	assert len(mock.calls) == 1
	assert sleeps == []


def test_backoff_is_capped(mock, sleeps):
	for _ in range(3):
		mock.get(PROJECT_URL, status=500)
	with pytest.raises(PMOUnavailable):
		PMOClient(BASE, KEY, SECRET, retries=2, backoff=20, sleep=sleeps.append).get_project("PROJ-0001")
	assert sleeps == [20, 30]


def test_too_many_requests_honours_retry_after(mock, client, sleeps):
	mock.get(PROJECT_URL, status=429, headers={"Retry-After": "2"})
	mock.get(PROJECT_URL, json={"data": PROJECT})
	assert client.get_project("PROJ-0001") == PROJECT
	assert sleeps == [2.0]


def test_connection_error_then_success_is_retried(mock, client, sleeps):
	mock.get(PROJECT_URL, body=requests.exceptions.ConnectionError("refused"))
	mock.get(PROJECT_URL, json={"data": PROJECT})
	assert client.get_project("PROJ-0001") == PROJECT
	assert sleeps == [0.5]


@pytest.mark.parametrize("timeout", [requests.exceptions.ReadTimeout, requests.exceptions.ConnectTimeout])
def test_timeouts_are_retried_then_unavailable(mock, client, sleeps, timeout):
	for _ in range(4):
		mock.get(PROJECT_URL, body=timeout("slow"))
	with pytest.raises(PMOUnavailable) as raised:
		client.get_project("PROJ-0001")
	assert "did not answer within 7 s" in str(raised.value)
	assert len(mock.calls) == 4
	assert sleeps == [0.5, 1.0, 2.0]
	assert_no_secret(raised.value)


def test_other_request_errors_are_not_retried(mock, client, sleeps):
	mock.get(PROJECT_URL, body=requests.exceptions.TooManyRedirects("loop"))
	with pytest.raises(PMOUnavailable):
		client.get_project("PROJ-0001")
	assert len(mock.calls) == 1


# ------------------------------------------------------------------------------------------- bad answers
def test_malformed_json_is_a_bad_response_without_retry(mock, client, sleeps):
	mock.get(PROJECT_URL, body="<html>Login</html>", content_type="text/html")
	with pytest.raises(PMOBadResponse) as raised:
		client.get_project("PROJ-0001")
	assert "not JSON" in str(raised.value)
	assert len(mock.calls) == 1
	assert sleeps == []


def test_truncated_json_is_a_bad_response(mock, client):
	mock.get(PROJECT_URL, body='{"data": {"name": "PROJ-', content_type="application/json")
	with pytest.raises(PMOBadResponse):
		client.get_project("PROJ-0001")


@pytest.mark.parametrize("payload", [[PROJECT], {"message": PROJECT}, {"data": "PROJ-0001"}, {"data": None}])
def test_json_of_the_wrong_shape_is_a_bad_response(mock, client, payload):
	mock.get(PROJECT_URL, json=payload)
	with pytest.raises(PMOBadResponse):
		client.get_project("PROJ-0001")


# ------------------------------------------------------------------------------------------- lists
def list_params(call) -> dict:
	return {k: v[0] for k, v in parse_qs(urlsplit(call.request.url).query).items()}


def rows(*names):
	return [{**PROJECT, "name": n} for n in names]


def test_list_reads_pages_until_a_short_one(mock, client):
	mock.get(LIST_URL, json={"data": rows("P1", "P2")})
	mock.get(LIST_URL, json={"data": rows("P3", "P4")})
	mock.get(LIST_URL, json={"data": rows("P5")})
	filters = [["status", "=", "Open"]]
	result = client.list_projects(filters=filters, fields=["name", "status"], page_length=2)
	assert [r["name"] for r in result] == ["P1", "P2", "P3", "P4", "P5"]
	params = [list_params(call) for call in mock.calls]
	assert [p["limit_start"] for p in params] == ["0", "2", "4"]
	assert {p["limit_page_length"] for p in params} == {"2"}
	assert json.loads(params[0]["filters"]) == filters
	assert json.loads(params[0]["fields"]) == ["name", "status"]
	assert params[0]["order_by"] == "name asc"


def test_a_partial_first_page_is_the_whole_list(mock, client):
	mock.get(LIST_URL, json={"data": rows("P1", "P2", "P3")})
	assert len(client.list_projects(page_length=20)) == 3
	assert len(mock.calls) == 1


def test_a_full_last_page_needs_one_empty_page_to_end(mock, client):
	mock.get(LIST_URL, json={"data": rows("P1", "P2")})
	mock.get(LIST_URL, json={"data": []})
	assert len(client.list_projects(page_length=2)) == 2
	assert len(mock.calls) == 2


def test_list_without_filters_sends_none(mock, client):
	mock.get(LIST_URL, json={"data": []})
	assert client.list_projects() == []
	assert "filters" not in list_params(mock.calls[0])


def test_list_page_error_is_retried_mid_pagination(mock, client, sleeps):
	mock.get(LIST_URL, json={"data": rows("P1", "P2")})
	mock.get(LIST_URL, status=502)
	mock.get(LIST_URL, json={"data": rows("P3")})
	assert [r["name"] for r in client.list_projects(page_length=2)] == ["P1", "P2", "P3"]
	assert list_params(mock.calls[2])["limit_start"] == "2"
	assert sleeps == [0.5]


@pytest.mark.parametrize("payload", [{"data": {"name": "P1"}}, {"data": ["P1"]}, {"rows": []}])
def test_list_of_the_wrong_shape_is_a_bad_response(mock, client, payload):
	mock.get(LIST_URL, json=payload)
	with pytest.raises(PMOBadResponse):
		client.list_projects()


def test_list_endpoint_missing_is_a_bad_response_not_a_missing_project(mock, client):
	mock.get(LIST_URL, status=404)
	with pytest.raises(PMOBadResponse) as raised:
		client.list_projects()
	assert not isinstance(raised.value, PMONotFound)


def test_list_that_never_ends_is_stopped(mock, client):
	mock.get(LIST_URL, json={"data": rows("P1")})
	mock.get(LIST_URL, json={"data": rows("P1")})
	with pytest.raises(PMOBadResponse):
		client.list_projects(page_length=1, max_pages=2)


def test_list_auth_error(mock, client):
	mock.get(LIST_URL, status=401)
	with pytest.raises(PMOAuthError):
		client.list_projects()


# ------------------------------------------------------------------------------------------- set-up and secrets
@pytest.mark.parametrize(
	"base_url, key, secret",
	[
		("pmo.example.com", KEY, SECRET),
		("ftp://pmo.example.com", KEY, SECRET),
		("https://", KEY, SECRET),
		(f"https://user:{SECRET}@pmo.example.com", KEY, SECRET),
		(BASE, "", SECRET),
		(BASE, KEY, ""),
		(BASE, KEY, None),
	],
)
def test_bad_configuration_is_refused(base_url, key, secret):
	with pytest.raises(ValueError) as raised:
		PMOClient(base_url, key, secret)
	assert SECRET not in str(raised.value)


def test_secret_is_not_in_repr_and_is_redacted():
	client = PMOClient(BASE, KEY, SECRET)
	assert SECRET not in repr(client)
	assert client.redact(f"Authorization: token {KEY}:{SECRET} and {SECRET}") == (
		"Authorization: token ***** and *****"
	)
	assert client.redact(None) == ""


def test_every_failure_is_a_pmo_error():
	for error in (PMOAuthError, PMONotFound, PMOUnavailable, PMOBadResponse):
		assert issubclass(error, PMOError)


def test_server_echoing_the_token_does_not_leak_it_into_errors(mock, client):
	echo = f"proxy error; you sent Authorization: token {KEY}:{SECRET}"
	for _ in range(4):
		mock.get(PROJECT_URL, status=502, body=echo)
	with pytest.raises(PMOUnavailable) as raised:
		client.get_project("PROJ-0001")
	assert_no_secret(raised.value)


# ------------------------------------------------------------------------------------------- parse_project
def test_parse_project_keeps_the_fields_the_smo_needs():
	snapshot = parse_project({**PROJECT, "percent_complete": "42.5", "other": 1})
	assert snapshot.name == "PROJ-0001"
	assert snapshot.title == "New e-mail platform"
	assert snapshot.status == "Open"
	assert snapshot.percent_complete == 42.5
	assert snapshot.expected_end == date(2026, 6, 30)


def test_parse_project_accepts_missing_values_and_date_objects():
	assert parse_project({"name": "P"}).expected_end is None
	assert parse_project({"name": "P", "expected_end_date": date(2026, 1, 2)}).expected_end == date(
		2026, 1, 2
	)
	assert parse_project({"name": "P", "expected_end_date": datetime(2026, 1, 2, 5)}).expected_end == date(
		2026, 1, 2
	)
	assert parse_project({"name": "P", "expected_end_date": "2026-01-02 00:00:00"}).expected_end == date(
		2026, 1, 2
	)


@pytest.mark.parametrize(
	"doc",
	[
		None,
		[],
		{},
		{"name": ""},
		{"name": "P", "percent_complete": "lots"},
		{"name": "P", "percent_complete": 140},
		{"name": "P", "percent_complete": True},
		{"name": "P", "percent_complete": [1]},
		{"name": "P", "expected_end_date": "next spring"},
		{"name": "P", "status": 3},
	],
)
def test_parse_project_refuses_bad_values(doc):
	with pytest.raises(PMOBadResponse):
		parse_project(doc)


def test_parse_project_reads_go_live_and_hypercare_from_the_fields_named():
	doc = {**PROJECT, "custom_go_live": "2026-05-04", "custom_hypercare_end": datetime(2026, 6, 1, 0, 0)}
	snapshot = parse_project(doc, go_live_field="custom_go_live", hypercare_field="custom_hypercare_end")
	assert (snapshot.go_live, snapshot.hypercare_until) == (date(2026, 5, 4), date(2026, 6, 1))
	# not named: not read, even when the project has them
	assert (parse_project(doc).go_live, parse_project(doc).hypercare_until) == (None, None)
	# named but empty on the project: nothing to sync
	empty = parse_project({**PROJECT, "custom_go_live": None}, go_live_field="custom_go_live")
	assert empty.go_live is None


@pytest.mark.parametrize("value", ["soon", 20260504, ["2026-05-04"], True])
def test_parse_project_refuses_a_go_live_that_is_not_a_date(value):
	with pytest.raises(PMOBadResponse):
		parse_project({**PROJECT, "custom_go_live": value}, go_live_field="custom_go_live")


# ------------------------------------------------------------------------------------------- purity
def test_client_module_has_no_frappe_import():
	tree = ast.parse((REPO / "smo_extension" / "pmo" / "client.py").read_text(encoding="utf-8"))
	imported = set()
	for node in ast.walk(tree):
		if isinstance(node, ast.Import):
			imported |= {alias.name.split(".")[0] for alias in node.names}
		elif isinstance(node, ast.ImportFrom) and node.module:
			imported.add(node.module.split(".")[0])
	assert "frappe" not in imported
	assert imported <= {
		"__future__",
		"json",
		"time",
		"collections",
		"dataclasses",
		"datetime",
		"urllib",
		"requests",
	}


def test_client_imports_where_frappe_cannot():
	code = (
		"import sys\nsys.modules['frappe'] = None\nimport smo_extension.pmo.client\n"
		"assert not any(n == 'frappe' or n.startswith('frappe.') for n in sys.modules if sys.modules[n])\n"
	)
	completed = subprocess.run(
		[sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False, timeout=60
	)
	assert completed.returncode == 0, completed.stderr
