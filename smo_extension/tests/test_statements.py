"""The customer's monthly SLA statement: its content (SLA only, breaches in words, trend), its PDF, who may
generate, list and download it (over HTTP, as each persona), bad inputs, e-mail and the monthly job."""

import io
import json
from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

import frappe
import pytz
from frappe.utils import get_datetime
from frappe.utils import get_system_timezone

from smo_extension.sla import statement
from smo_extension.tests import SMOTestCase
from smo_extension.tests.factories import AGENT
from smo_extension.tests.factories import ANALYST
from smo_extension.tests.factories import HELPDESK_ADMIN
from smo_extension.tests.factories import MANAGER
from smo_extension.tests.factories import OWNER
from smo_extension.tests.factories import PORTAL
from smo_extension.tests.factories import PORTAL_CUSTOMER
from smo_extension.tests.factories import ensure_test_users
from smo_extension.tests.factories import make_agreement
from smo_extension.tests.factories import make_calendar
from smo_extension.tests.factories import make_customer
from smo_extension.tests.factories import make_service
from smo_extension.tests.factories import make_team
from smo_extension.tests.factories import make_ticket
from smo_extension.tests.factories import set_settings
from smo_extension.tests.http import Session
from smo_extension.tests.http import session

SERVICE = "_STS"
SLA = "_STS SLA"
OLA = "_STS Secret OLA Desk"
OTHER = "_STS Other Customer"
LONELY = "_STS Customer Without Contacts"
TEAM = "_STS Team"
CALENDAR = "_STS Weekdays"
MONTH = "2026-03"
OTHER_CONTACT = "it.lead@sts-other.example.com"
MAIL_ACCOUNT = "_STS Outgoing"


@contextmanager
def frozen(when: str):
	"""freezegun at a site-time instant (as SMOTestCase.freeze_time, usable in setUpClass)."""
	from freezegun import freeze_time

	zone = pytz.timezone(get_system_timezone())
	with freeze_time(zone.localize(get_datetime(when)).astimezone(pytz.utc)):
		yield


def at(day: int, hhmm: str, month: int = 3) -> str:
	return f"2026-{month:02d}-{day:02d} {hhmm}:00"


def ticket(when: str, customer: str, subject: str, **fields) -> str:
	with frozen(when):
		return str(
			make_ticket(
				subject=subject,
				smo_service=SERVICE,
				priority="Medium",
				customer=customer,
				agent_group=TEAM,
				**fields,
			).name
		)


def change(name: str, when: str, **values) -> None:
	with frozen(when):
		doc = frappe.get_doc("HD Ticket", name)
		doc.update(values)
		doc.save(ignore_permissions=True)


def make_fixtures() -> dict:
	"""March 2026 (Mon 2 = Monday), Mon-Fri 09:00-17:00, Medium: response 60, resolution 480 minutes.
	The portal customer: one ticket breached after waiting on them 2 h 10 min, one met; another customer: one
	breached ticket. Every ticket is also judged by an internal OLA, which the statements must never show."""
	ensure_test_users()
	set_settings(enabled=1)
	make_calendar(CALENDAR)
	make_team(TEAM)
	for customer in (OTHER, LONELY):
		make_customer(customer)
	make_service(
		SERVICE, customers=[{"customer": PORTAL_CUSTOMER}, {"customer": OTHER}, {"customer": LONELY}]
	)
	make_agreement(SLA, SERVICE, calendar=CALENDAR, compliance_target=90)
	make_agreement(OLA, SERVICE, agreement_type="OLA", team=TEAM, calendar=CALENDAR)
	if not frappe.db.exists("Contact", {"email_id": OTHER_CONTACT}):
		frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": "Other",
				"last_name": "Lead",
				"email_ids": [{"email_id": OTHER_CONTACT, "is_primary": 1}],
				"links": [{"link_doctype": "HD Customer", "link_name": OTHER}],
			}
		).insert(ignore_permissions=True)
	late = ticket(at(2, "09:00"), PORTAL_CUSTOMER, "_STS mailbox full")
	change(late, at(2, "09:30"), status="Replied", first_responded_on=at(2, "09:30"))
	change(late, at(2, "11:40"), status="Open")
	change(late, at(4, "11:40"), status="Resolved")
	quick = ticket(at(3, "09:00"), PORTAL_CUSTOMER, "_STS password reset")
	change(quick, at(3, "09:20"), first_responded_on=at(3, "09:20"))
	change(quick, at(3, "10:00"), status="Resolved")
	secret = ticket(at(2, "09:00"), OTHER, "_STS other customer's secret project")
	change(secret, at(5, "12:00"), status="Resolved")
	with frozen("2026-12-01 10:00:00"):
		mine = statement.generate(PORTAL_CUSTOMER, MONTH).name
		theirs = statement.generate(OTHER, MONTH).name
	return {"late": late, "quick": quick, "secret": secret, "mine": mine, "theirs": theirs}


def remove_fixtures(made: dict) -> None:
	frappe.set_user("Administrator")
	for name in frappe.get_all(
		statement.STATEMENT, filters={"customer": ("in", [PORTAL_CUSTOMER, OTHER, LONELY])}, pluck="name"
	):
		frappe.delete_doc(statement.STATEMENT, name, force=True, ignore_permissions=True)
	for name in frappe.get_all("HD Ticket", filters={"smo_service": SERVICE}, pluck="name"):
		frappe.delete_doc("HD Ticket", name, force=True, ignore_permissions=True)
	for name in (SLA, OLA):
		frappe.db.delete("SMO Ticket SLA", {"agreement": name})
		frappe.delete_doc("SMO Service Level Agreement", name, force=True, ignore_permissions=True)
	frappe.delete_doc("SMO Service", SERVICE, force=True, ignore_permissions=True)
	for contact in frappe.get_all("Contact", filters={"email_id": OTHER_CONTACT}, pluck="name"):
		frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
	for customer in (OTHER, LONELY):
		frappe.delete_doc("HD Customer", customer, force=True, ignore_permissions=True)
	frappe.db.delete("Email Queue", {"reference_doctype": statement.STATEMENT})
	frappe.db.commit()  # nosemgrep: the fixtures were committed for the HTTP requests


def snapshot_of(name: str) -> dict:
	return json.loads(frappe.db.get_value(statement.STATEMENT, name, "snapshot"))


def files_of(doctype: str, name: str, month: str | None = None) -> list[str]:
	filters = {"attached_to_doctype": doctype, "attached_to_name": name}
	if month:
		filters["file_name"] = ("like", f"% {month}%.pdf")
	return frappe.get_all("File", filters=filters, pluck="name")


def pdf_text(pdf: bytes) -> str:
	from pypdf import PdfReader

	text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
	return " ".join(text.split())  # words come out separated by tabs and newlines


class StatementTestCase(SMOTestCase):
	"""Fixtures committed once for the class (HTTP requests run on their own connection), removed after."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.made = make_fixtures()
		frappe.db.commit()  # nosemgrep: HTTP requests must see the fixtures

	@classmethod
	def tearDownClass(cls):
		remove_fixtures(cls.made)
		super().tearDownClass()

	def setUp(self):
		frappe.set_user("Administrator")


class TestStatementContent(StatementTestCase):
	def test_compliance_per_service_and_metric_against_target(self):
		snapshot = snapshot_of(self.made["mine"])
		self.assertEqual(
			(snapshot["customer"], snapshot["month"], snapshot["tickets"]), (PORTAL_CUSTOMER, MONTH, 2)
		)
		rows = {r["metric"]: r for r in snapshot["compliance"] if r["service"] == SERVICE}
		self.assertEqual((rows["response"]["met"], rows["response"]["breached"]), (2, 0))
		self.assertEqual((rows["resolution"]["met"], rows["resolution"]["breached"]), (1, 1))
		self.assertEqual((rows["resolution"]["compliance"], rows["resolution"]["target"]), (50.0, 90.0))
		self.assertEqual(rows["resolution"]["verdict"], "Below target")
		self.assertEqual(snapshot["overall"], {"response": 100.0, "resolution": 50.0})
		doc = frappe.get_doc(statement.STATEMENT, self.made["mine"])
		self.assertEqual((doc.status, doc.breaches, doc.tickets), ("Generated", 1, 2))

	def test_each_breach_is_told_in_words(self):
		(breach,) = snapshot_of(self.made["mine"])["breaches"]
		self.assertEqual(breach["ticket"], self.made["late"])
		# 09:00-09:30, 11:40-17:00, Tuesday, 09:00-11:40 = 990 business minutes: 510 over the 480 target
		self.assertEqual(
			breach["words"],
			"opened Mon 09:00, waited on you 2 h 10 min, resolved Wed 11:40: 8 h 30 min over the 8 h target",
		)

	def test_services_agreements_and_a_six_month_trend(self):
		snapshot = snapshot_of(self.made["mine"])
		(service,) = [s for s in snapshot["services"] if s["service"] == SERVICE]
		self.assertEqual([a["name"] for a in service["agreements"]], [SLA])
		medium = next(t for t in service["agreements"][0]["targets"] if t["priority"] == "Medium")
		self.assertEqual((medium["response"], medium["resolution"]), ("1 h", "8 h"))
		self.assertEqual(
			[m["month"] for m in snapshot["trend"]],
			["2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03"],
		)
		self.assertEqual(
			(snapshot["trend"][-1]["resolution"], snapshot["trend"][0]["resolution"]), (50.0, None)
		)

	def test_no_ola_and_no_other_customer_in_the_html_or_the_pdf(self):
		doc = frappe.get_doc(statement.STATEMENT, self.made["mine"])
		html = statement.render(doc)
		self.assertIn("waited on you 2 h 10 min", html)
		self.assertIn(SLA, html)
		file = frappe.get_doc("File", statement.statement_file(doc))
		text = pdf_text(file.get_content())
		self.assertIn("SLA Statement", text)
		self.assertIn(PORTAL_CUSTOMER, text)
		for secret in (OLA, "Secret OLA", TEAM, OTHER, "secret project"):
			self.assertNotIn(secret, html, secret)
			self.assertNotIn(secret, text, secret)
		self.assertNotIn(OLA, frappe.db.get_value(statement.STATEMENT, doc.name, "snapshot"))

	def test_a_month_without_tickets_says_so(self):
		with frozen("2026-12-01 10:00:00"):
			doc = statement.generate(PORTAL_CUSTOMER, "2026-01")
		self.assertEqual((doc.tickets, doc.breaches), (0, 0))
		html = statement.render(doc)
		self.assertIn("nothing to report for this month", html)
		self.assertIn("No target was missed this month", html)

	def test_the_pdf_is_a_file_of_the_statement_and_of_the_customer_and_regenerating_replaces_it(self):
		name = self.made["mine"]
		(before,) = files_of(statement.STATEMENT, name)
		self.assertEqual(len(files_of("HD Customer", PORTAL_CUSTOMER, MONTH)), 1)
		with frozen("2026-12-02 10:00:00"):
			again = statement.generate(PORTAL_CUSTOMER, MONTH)
		self.assertEqual(again.name, name)
		(after,) = files_of(statement.STATEMENT, name)
		# the statement's timeline tells one PDF replaced by one: the save does not copy the old one first
		logged = frappe.get_all(
			"Comment",
			filters={"reference_doctype": statement.STATEMENT, "reference_name": name},
			pluck="comment_type",
		)
		self.assertEqual((logged.count("Attachment"), logged.count("Attachment Removed")), (2, 1), logged)
		self.assertNotEqual(before, after)
		self.assertEqual(len(files_of("HD Customer", PORTAL_CUSTOMER, MONTH)), 1)
		content = frappe.get_doc("File", after).get_content()
		self.assertTrue(content.startswith(b"%PDF"))
		self.assertEqual(
			frappe.db.get_value(statement.STATEMENT, name, "pdf_file"),
			frappe.db.get_value("File", after, "file_url"),
		)
		frappe.db.commit()  # nosemgrep: the class's statement is the regenerated one from now on


class TestStatementOverHTTP(StatementTestCase):
	GENERATE = "smo_extension.api.statements.generate_statement"
	MINE = "smo_extension.api.statements.get_my_statements"
	DOWNLOAD = "smo_extension.api.statements.download_statement"

	def test_only_an_smo_manager_generates(self):
		answer = session(MANAGER).call(self.GENERATE, customer=OTHER, month=MONTH)
		self.assertEqual(answer.status, 200, answer)
		self.assertEqual(answer.data, self.made["theirs"])
		for user in (ANALYST, OWNER, AGENT, HELPDESK_ADMIN, PORTAL):
			answer = session(user).call(self.GENERATE, customer=OTHER, month=MONTH)
			self.assertEqual(answer.status, 403, (user, answer))
		self.assertEqual(Session("Guest").call(self.GENERATE, customer=OTHER, month=MONTH).status, 403)

	def test_bad_inputs_are_translated_errors_and_write_nothing(self):
		statements = frappe.db.count(statement.STATEMENT)
		files = frappe.db.count("File")
		for month in ("2026-3", "2026-13", "March 2026", "2026-03-01", "", "2099-01"):
			answer = session(MANAGER).call(self.GENERATE, customer=PORTAL_CUSTOMER, month=month)
			self.assertEqual(answer.status, 417, (month, answer))
			self.assertEqual(answer.exc_type, "SMOStatementMonthError", month)
			self.assertIn("YYYY-MM" if month != "2099-01" else "has not begun", answer.message)
		answer = session(MANAGER).call(self.GENERATE, customer="_No Such Customer", month=MONTH)
		self.assertEqual((answer.status, answer.exc_type), (404, "DoesNotExistError"))
		self.assertIn("does not exist", answer.message)
		answer = session(MANAGER).call(self.GENERATE, customer=["a list"], month=MONTH)
		self.assertEqual((answer.status, answer.exc_type), (417, "SMOArgumentError"))
		self.assertEqual((frappe.db.count(statement.STATEMENT), frappe.db.count("File")), (statements, files))

	def test_the_portal_customer_lists_and_downloads_their_own_statements_only(self):
		answer = session(PORTAL).call_get(self.MINE)
		self.assertEqual(answer.status, 200, answer)
		self.assertEqual({row["customer"] for row in answer.data}, {PORTAL_CUSTOMER})
		self.assertIn(self.made["mine"], [row["name"] for row in answer.data])
		own = session(PORTAL).get(f"/api/method/{self.DOWNLOAD}", {"statement": self.made["mine"]})
		self.assertEqual(own.status, 200, own)
		self.assertTrue(own.body.startswith(b"%PDF"), own)
		self.assertIn("attachment", own.headers.get("Content-Disposition", ""))
		stored = frappe.get_doc(
			"File", statement.statement_file(frappe.get_doc(statement.STATEMENT, self.made["mine"]))
		)
		self.assertEqual(own.body, stored.get_content())
		theirs = session(PORTAL).get(f"/api/method/{self.DOWNLOAD}", {"statement": self.made["theirs"]})
		self.assertEqual((theirs.status, theirs.exc_type), (403, "PermissionError"))
		self.assertNotIn("%PDF", theirs.text)
		unknown = session(PORTAL).get(f"/api/method/{self.DOWNLOAD}", {"statement": "_nothing 2026-03"})
		self.assertEqual(unknown.status, 404)
		# and never through the doctype itself
		self.assertEqual(session(PORTAL).read(statement.STATEMENT, self.made["mine"]).status, 403)

	def test_the_portal_works_on_a_site_that_blocks_endpoints_with_the_one_line_of_config(self):
		"""Helpdesk (≥ 1.20) lets portal users call only its own endpoints where the site config says
		`block_endpoints`; the Admin guide's one line (`allowed_custom_endpoints`) lets the statements through."""
		if "helpdesk.auth.authenticate" not in frappe.get_hooks("auth_hooks"):
			self.skipTest("this Helpdesk has no block_endpoints (added in 1.20)")
		from smo_extension.api.statements import PORTAL_ENDPOINTS

		real = frappe.get_site_config

		def config(extra: dict):
			return patch("frappe.get_site_config", lambda *a, **k: {**real(*a, **k), **extra})

		own = {"statement": self.made["mine"]}
		with config({"block_endpoints": 1}):
			blocked = session(PORTAL).call_get(self.MINE)
			self.assertEqual(blocked.status, 403)
			self.assertIn("Access not allowed", blocked.text)
			self.assertEqual(session(PORTAL).get(f"/api/method/{self.DOWNLOAD}", own).status, 403)
		with config({"block_endpoints": 1, "allowed_custom_endpoints": PORTAL_ENDPOINTS}):
			mine = session(PORTAL).call_get(self.MINE)
			self.assertEqual(mine.status, 200, mine)
			self.assertIn(self.made["mine"], [row["name"] for row in mine.data])
			pdf = session(PORTAL).get(f"/api/method/{self.DOWNLOAD}", own)
			self.assertEqual(pdf.status, 200, pdf)
			self.assertTrue(pdf.body.startswith(b"%PDF"))
			# the line opens the statements only, and still to their own customer
			theirs = session(PORTAL).get(f"/api/method/{self.DOWNLOAD}", {"statement": self.made["theirs"]})
			self.assertEqual(theirs.status, 403)
			other = session(PORTAL).call_get("smo_extension.api.catalog.get_service_catalog")
			self.assertEqual(other.status, 403)
			self.assertIn("Access not allowed", other.text)

	def test_the_statements_page_lists_the_portal_customers_own(self):
		page = session(PORTAL).get("/sla-statements")
		self.assertEqual(page.status, 200, page)
		self.assertIn("March 2026", page.text)
		from smo_extension.api.statements import download_url

		self.assertIn(download_url(self.made["mine"]), page.text)
		self.assertNotIn(download_url(self.made["theirs"]), page.text)
		self.assertNotIn(OTHER, page.text)
		self.assertIn(Session("Guest").get("/sla-statements").status, (403, 302))

	def test_who_downloads_and_who_lists(self):
		for user in (MANAGER, ANALYST):
			answer = session(user).get(f"/api/method/{self.DOWNLOAD}", {"statement": self.made["theirs"]})
			self.assertEqual(answer.status, 200, (user, answer))
		for user in (OWNER, AGENT, HELPDESK_ADMIN):
			answer = session(user).get(f"/api/method/{self.DOWNLOAD}", {"statement": self.made["mine"]})
			self.assertEqual(answer.status, 403, (user, answer))
			self.assertEqual(session(user).call_get(self.MINE).status, 403, user)
		guest = Session("Guest").get(f"/api/method/{self.DOWNLOAD}", {"statement": self.made["mine"]})
		self.assertEqual(guest.status, 403)
		self.assertEqual(Session("Guest").call_get(self.MINE).status, 403)

	def test_the_doctype_is_read_by_smo_managers_and_analysts_and_written_by_nobody(self):
		name = self.made["theirs"]
		status = frappe.db.get_value(statement.STATEMENT, name, "status")
		for user in (MANAGER, ANALYST):
			self.assertEqual(session(user).read(statement.STATEMENT, name).status, 200, user)
		for user in (OWNER, AGENT, HELPDESK_ADMIN, PORTAL):
			self.assertEqual(session(user).read(statement.STATEMENT, name).status, 403, user)
		for user in (MANAGER, ANALYST):
			answer = session(user).create(statement.STATEMENT, {"customer": OTHER, "month": "2026-02"})
			self.assertEqual(answer.status, 403, (user, answer))
			answer = session(user).update(statement.STATEMENT, name, {"status": "No Contacts"})
			self.assertEqual(answer.status, 403, (user, answer))
		self.assertEqual(frappe.db.get_value(statement.STATEMENT, name, "status"), status)
		self.assertEqual(session(ANALYST).remove(statement.STATEMENT, name).status, 403)

	def test_a_manager_may_delete_a_statement_and_its_files_go(self):
		with frozen("2026-12-01 10:00:00"):
			doc = statement.generate(LONELY, MONTH)
		frappe.db.commit()  # nosemgrep
		self.assertEqual(len(files_of("HD Customer", LONELY)), 1)
		answer = session(MANAGER).remove(statement.STATEMENT, doc.name)
		self.assertIn(answer.status, (200, 202), answer)
		self.assertFalse(frappe.db.exists(statement.STATEMENT, doc.name))
		self.assertEqual(files_of("HD Customer", LONELY), [])

	def test_sending_to_the_contacts_and_a_customer_without_contacts(self):
		with_outgoing_account(self)
		with frozen("2026-12-01 10:00:00"):
			lonely = statement.generate(LONELY, MONTH).name
		frappe.db.commit()  # nosemgrep
		send = "send_to_contacts"
		self.assertEqual(
			session(ANALYST).doc_method(statement.STATEMENT, self.made["theirs"], send).status, 403
		)
		answer = session(MANAGER).doc_method(statement.STATEMENT, self.made["theirs"], send)
		self.assertEqual((answer.status, answer.data), (200, "Sent"), answer)
		(queued,) = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": statement.STATEMENT, "reference_name": self.made["theirs"]},
			fields=["name", "attachments"],
		)
		self.assertIn("fid", queued.attachments)
		recipients = frappe.get_all(
			"Email Queue Recipient", filters={"parent": queued.name}, pluck="recipient"
		)
		self.assertEqual(recipients, [OTHER_CONTACT])
		stored = frappe.db.get_value(
			statement.STATEMENT, self.made["theirs"], ["status", "recipients", "sent_on"], as_dict=True
		)
		self.assertEqual((stored.status, stored.recipients), ("Sent", OTHER_CONTACT))
		self.assertTrue(stored.sent_on)
		answer = session(MANAGER).doc_method(statement.STATEMENT, lonely, send)
		self.assertEqual((answer.status, answer.exc_type), (417, "SMOStatementNoContactsError"))
		self.assertIn("no contact", answer.message)


def with_outgoing_account(test) -> None:
	"""A default outgoing Email Account for the test (statements are e-mailed through it), gone after it."""
	if frappe.db.exists("Email Account", MAIL_ACCOUNT):
		return
	account = frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": MAIL_ACCOUNT,
			"email_id": "smo-statements@example.com",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "localhost",
			"no_smtp_authentication": 1,
		}
	).insert(ignore_permissions=True)
	test.addCleanup(
		lambda: (frappe.delete_doc("Email Account", account.name, force=True), frappe.db.commit())
	)


class TestMonthlyJob(StatementTestCase):
	def setUp(self):
		super().setUp()
		with_outgoing_account(self)
		for customer in (PORTAL_CUSTOMER, OTHER, LONELY):
			frappe.db.set_value("HD Customer", customer, statement.OPT_IN_FIELD, 1)
		self.addCleanup(frappe.db.set_value, "HD Customer", PORTAL_CUSTOMER, statement.OPT_IN_FIELD, 0)
		# every test starts from statements not yet e-mailed (the tests of the class share them)
		table = frappe.qb.DocType(statement.STATEMENT)
		frappe.qb.update(table).set(table.status, "Generated").where(
			table.customer.isin([PORTAL_CUSTOMER, OTHER, LONELY])
		).run()

	def run_job(self, on: date, customers: list[str]):
		"""The daily job on day `on` (at 07:00), for `customers`, with the e-mail handed to a mock."""
		with (
			patch.object(statement, "opted_in_customers", return_value=customers),
			patch("frappe.sendmail") as sendmail,
			frozen(f"{on} 07:00:00"),
		):
			return statement.send_monthly_statements(on), sendmail

	def test_runs_on_the_first_working_day_only_and_reports_customers_without_contacts(self):
		everyone = [PORTAL_CUSTOMER, OTHER, LONELY]
		# 1 March 2026 is a Sunday: the first working day is Monday 2 March (the default calendar, Mon-Fri)
		self.assertEqual(self.run_job(date(2026, 3, 1), everyone)[0], {})
		self.assertEqual(self.run_job(date(2026, 3, 3), everyone)[0], {})
		results, sendmail = self.run_job(date(2026, 4, 1), everyone)  # a Wednesday: March's statements
		self.assertEqual(results, {PORTAL_CUSTOMER: "Sent", OTHER: "Sent", LONELY: "No Contacts"})
		self.assertEqual(sendmail.call_count, 2)
		recipients = sorted(r for call in sendmail.call_args_list for r in call.kwargs["recipients"])
		self.assertEqual(recipients, sorted([PORTAL, OTHER_CONTACT]))
		for call in sendmail.call_args_list:
			self.assertEqual(call.kwargs["reference_doctype"], statement.STATEMENT)
			(attachment,) = call.kwargs["attachments"]
			self.assertEqual(
				frappe.db.get_value("File", attachment["fid"], "attached_to_doctype"), statement.STATEMENT
			)
		lonely = frappe.get_doc(statement.STATEMENT, statement.statement_name(LONELY, MONTH))
		self.assertEqual(lonely.status, "No Contacts")
		self.assertEqual(len(files_of("HD Customer", LONELY)), 1)  # kept all the same
		# the SMO workspace counts it
		card = frappe.get_doc("Number Card", "Statements Without Contacts")
		self.assertEqual(json.loads(card.filters_json)[0][1:4], ["status", "=", "No Contacts"])
		self.assertIn(
			lonely.name, frappe.get_all(statement.STATEMENT, filters={"status": "No Contacts"}, pluck="name")
		)
		self.assertIn(
			"Statements Without Contacts",
			[c.number_card_name for c in frappe.get_doc("Workspace", "SMO").number_cards],
		)

	def test_a_sent_month_is_not_sent_again(self):
		name = statement.statement_name(OTHER, MONTH)
		if frappe.db.exists(statement.STATEMENT, name):
			frappe.db.set_value(statement.STATEMENT, name, "status", "Generated")
		_results, first = self.run_job(date(2026, 4, 1), [OTHER])
		results, again = self.run_job(date(2026, 4, 1), [OTHER])
		self.assertEqual((first.call_count, again.call_count, results), (1, 0, {}))

	def test_a_customer_that_fails_does_not_stop_the_others(self):
		real = statement.generate

		def flaky(customer, month, now=None):
			if customer == LONELY:
				raise RuntimeError("statement poison")
			return real(customer, month, now)

		with patch.object(statement, "generate", side_effect=flaky):
			results, _mail = self.run_job(date(2026, 4, 1), [LONELY, OTHER])
		self.assertEqual(results[LONELY], "Error")
		self.assertIn(results[OTHER], ("Sent",))
		self.assertTrue(
			frappe.get_all("Error Log", filters={"error": ("like", "%statement poison%")}, limit=1)
		)
		frappe.db.delete("Error Log", {"error": ("like", "%statement poison%")})

	def test_only_customers_who_opted_in(self):
		frappe.db.set_value("HD Customer", LONELY, statement.OPT_IN_FIELD, 0)
		opted = statement.opted_in_customers()
		self.assertIn(OTHER, opted)
		self.assertNotIn(LONELY, opted)
		field = frappe.get_meta("HD Customer").get_field(statement.OPT_IN_FIELD)
		self.assertEqual(field.fieldtype, "Check")
