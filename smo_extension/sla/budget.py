"""Error budgets per service x agreement x period from the live clocks (the arithmetic is `engine.budget`), and
the daily warning when a month's projection falls below its target.

Counting is SLA Compliance's: met = stopped within target in the period, breached = target crossed in the
period. The usual volume and the met share p come from the three previous periods of the same kind.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from datetime import datetime
from datetime import timedelta

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import flt
from frappe.utils import now_datetime
from pypika.terms import Case

from smo_extension.engine.budget import burn_down
from smo_extension.engine.budget import error_budget
from smo_extension.engine.budget import history_ratio
from smo_extension.engine.budget import period_bounds
from smo_extension.engine.budget import previous_periods
from smo_extension.engine.budget import usual_volume
from smo_extension.engine.replay import TEAM
from smo_extension.engine.replay import current_values
from smo_extension.scaleout import heavy_read
from smo_extension.settings import is_enabled
from smo_extension.sla.period import period_instants
from smo_extension.sla.ticket import TICKET_SLA
from smo_extension.sla.ticket import aware
from smo_extension.sla.ticket import load_events
from smo_extension.sla.ticket import naive
from smo_extension.sla.ticket import site_zone

AGREEMENT = "SMO Service Level Agreement"
ALERT = "SMO Budget Alert"
HISTORY_PERIODS = 3
RUNNING_STATES = ("Running", "At Risk")


def bounds(kind: str, day: date) -> tuple[date, date, datetime, datetime]:
	"""(first day, first day of the next period, and both as aware instants of the site)."""
	first, after = period_bounds(kind, day)
	start, end = period_instants(first, after - timedelta(days=1))
	return first, after, start, end


@heavy_read
def budget_rows(
	kind: str = "Month",
	day: date | None = None,
	service: str | None = None,
	agreement: str | None = None,
	agreement_type: str | None = None,
	metric: str = "Resolution",
	now: datetime | None = None,
) -> list[dict]:
	"""One row per agreement that judges clocks (SLA and OLA; Active, or with clocks counted in the period)."""
	now = now or aware(now_datetime())
	day = day or now.astimezone(site_zone()).date()
	kind_field = "response" if metric == "Response" else "resolution"
	first, after, start, end = bounds(kind, day)
	# counted so far: up to now in the current period
	periods = [(start, max(start, min(end, now)))] + [
		period_instants(a, b - timedelta(days=1)) for a, b in previous_periods(kind, day, HISTORY_PERIODS)
	]

	s = frappe.qb.DocType(TICKET_SLA)
	state, stopped, breached_at = (
		s[f"{kind_field}_state"],
		s[f"{kind_field}_stopped_at"],
		s[f"{kind_field}_breached_at"],
	)
	columns = []
	for index, (p_start, p_end) in enumerate(periods):
		lo, hi = naive(p_start), naive(p_end)
		columns.append(
			Sum(Case().when((state == "Met") & (stopped >= lo) & (stopped < hi), 1).else_(0)).as_(
				f"met_{index}"
			)
		)
		columns.append(
			Sum(Case().when((breached_at >= lo) & (breached_at < hi), 1).else_(0)).as_(f"breached_{index}")
		)
	earliest = naive(periods[-1][0])
	query = (
		frappe.qb.from_(s)
		.select(s.agreement, *columns)
		.where(s.agreement_type.isin(["SLA", "OLA"]) & ((stopped >= earliest) | (breached_at >= earliest)))
		.groupby(s.agreement)
	)
	pending_query = (
		frappe.qb.from_(s)
		.select(s.agreement, s[f"{kind_field}_due"])
		.where(
			state.isin(RUNNING_STATES)
			& (s[f"{kind_field}_due"] >= naive(start))
			& (s[f"{kind_field}_due"] < naive(end))
		)
	)
	breach_query = (
		frappe.qb.from_(s)
		.select(s.agreement, breached_at)
		.where((breached_at >= naive(start)) & (breached_at < naive(end)))
	)
	for field, value in (("service", service), ("agreement", agreement), ("agreement_type", agreement_type)):
		if value:
			query = query.where(s[field] == value)
			pending_query = pending_query.where(s[field] == value)
			breach_query = breach_query.where(s[field] == value)
	counts = {r.agreement: r for r in query.run(as_dict=True)}
	pending: dict[str, list[datetime]] = {}
	for name, due in pending_query.run():
		pending.setdefault(name, []).append(aware(due))
	breaches: dict[str, list[datetime]] = {}
	for name, when in breach_query.run():
		breaches.setdefault(name, []).append(aware(when))

	filters = {"agreement_type": ("in", ["SLA", "OLA"])}
	for field, value in (("service", service), ("name", agreement), ("agreement_type", agreement_type)):
		if value:
			filters[field] = value
	agreements = frappe.get_all(
		AGREEMENT,
		filters=filters,
		fields=["name", "service", "agreement_type", "customer", "team", "status", "compliance_target"],
		order_by="service asc, agreement_type asc, name asc",
	)
	rows = []
	for a in agreements:
		row = counts.get(a.name)
		if a.status != "Active" and row is None:
			continue
		met = int(row.met_0 or 0) if row else 0
		breached = int(row.breached_0 or 0) if row else 0
		history = [
			(int(row[f"met_{i}"] or 0), int(row[f"breached_{i}"] or 0)) if row else (0, 0)
			for i in range(1, len(periods))
		]
		budget = error_budget(
			target_percent=flt(a.compliance_target) or 95.0,
			met=met,
			breached=breached,
			pending_dues=pending.get(a.name, []),
			period_start=start,
			period_end=end,
			now=now,
			usual_volume=usual_volume([m + b for m, b in history]),
			history_ratio=history_ratio(sum(m for m, _b in history), sum(b for _m, b in history)),
		)
		rows.append(
			{
				"service": a.service,
				"agreement": a.name,
				"agreement_type": a.agreement_type,
				"agreement_status": a.status,
				"customer": a.customer,
				"team": a.team,
				"period_start": first,
				"period_end": after - timedelta(days=1),
				"target": budget.target,
				"met": budget.met,
				"breached": budget.breached,
				"overdue": budget.overdue,
				"pending": budget.pending,
				"usual_volume": budget.usual_volume,
				"met_ratio": budget.met_ratio,
				"expected": budget.expected,
				"allowed": budget.allowed,
				"used": budget.used,
				"remaining": budget.remaining,
				"burn_rate": budget.burn_rate,
				"projected": budget.projected,
				"status": status_of(budget),
				"budget": budget,
				"breach_times": breaches.get(a.name, []),
			}
		)
	return rows


def status_of(budget) -> str:
	if budget.expected <= 0:
		return "No Data"
	if budget.remaining < 0:
		return "Exhausted"
	if budget.projected is not None and budget.projected < budget.target:
		return "At Risk"
	return "On Track"


def burn_down_points(rows: list[dict], kind: str, day: date, now: datetime) -> tuple[list[date], list, list]:
	"""The period's days and, summed over `rows`, the remaining budget and the ideal line at each day's end."""
	first, after, start, end = bounds(kind, day)
	days = [first + timedelta(days=n) for n in range((after - first).days)]
	ends = [period_instants(d, d)[1] for d in days]
	remaining = [0.0] * len(days)
	ideal = [0.0] * len(days)
	for row in rows:
		points = burn_down(
			row["budget"],
			breach_times=row["breach_times"],
			day_ends=ends,
			period_start=start,
			period_end=end,
			now=now,
		)
		for index, (left, even) in enumerate(points):
			remaining[index] += left
			ideal[index] += even
	return days, remaining, ideal


# ------------------------------------------------------------------------------------------- the warning
def alert_name(agreement: str, period_start: date) -> str:
	import hashlib

	return "BA-" + hashlib.sha1(f"{agreement}\x1f{period_start}".encode()).hexdigest()[:16]


def notify_budget_risks(now: datetime | None = None) -> int:
	"""Daily: for each Active agreement whose month is projected below its target and has had a breach, tell
	the service owner and the SMO Managers once per month (an SMO Budget Alert records that it was sent).
	Returns the alerts sent."""
	if not is_enabled():
		return 0
	now = now or aware(now_datetime())
	sent = 0
	for row in budget_rows("Month", now=now):
		if (
			row["agreement_status"] != "Active"
			or row["projected"] is None
			or row["projected"] >= row["target"]
		):
			continue
		if not row["used"]:
			continue  # no breach this month yet: the history alone warns nobody (it would, every month)
		name = alert_name(row["agreement"], row["period_start"])
		if frappe.db.exists(ALERT, name):
			continue
		_first, _after, start, end = bounds("Month", row["period_start"])
		causes = top_breach_causes(row["agreement"], start, end)
		recipients = sorted({u for u in (service_owner(row["service"]), *smo_managers()) if u})
		frappe.db.savepoint("smo_budget_alert")
		try:
			alert = frappe.get_doc(
				{
					"doctype": ALERT,
					"service": row["service"],
					"agreement": row["agreement"],
					"period_start": row["period_start"],
					"period_end": row["period_end"],
					"projected_compliance": round(row["projected"], 2),
					"target": row["target"],
					"breached": row["breached"],
					"allowed_breaches": row["allowed"],
					"causes": "\n".join(causes),
					"recipients": "\n".join(recipients),
				}
			)
			alert.flags.smo_system = True
			alert.insert(ignore_permissions=True, set_name=name)
		except (frappe.DuplicateEntryError, frappe.UniqueValidationError):
			frappe.db.rollback(save_point="smo_budget_alert")  # another run got there first
			continue
		send_alert(row, causes, recipients)
		sent += 1
	return sent


def send_alert(row: dict, causes: list[str], recipients: list[str]) -> None:
	subject = _("Error budget: {0} is projected at {1}% against a {2}% target ({3}, {4})").format(
		row["service"],
		f"{row['projected']:.1f}",
		f"{row['target']:g}",
		row["agreement"],
		row["period_start"].strftime("%Y-%m"),
	)
	lines = [
		_("{0} breaches so far; the target allows {1} this month.").format(row["breached"], row["allowed"]),
		*(causes or [_("No breach yet: the projection follows the usual volume and met share.")]),
	]
	content = "<br>".join(frappe.utils.escape_html(line) for line in lines)
	for user in recipients:
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"document_type": "SMO Service",
				"document_name": row["service"],
				"subject": subject,
				"email_content": content,
			}
		).insert(ignore_permissions=True)


def service_owner(service: str) -> str | None:
	return frappe.db.get_value("SMO Service", service, "service_owner")


def smo_managers() -> list[str]:
	role = frappe.qb.DocType("Has Role")
	user = frappe.qb.DocType("User")
	return [
		r[0]
		for r in frappe.qb.from_(role)
		.join(user)
		.on(user.name == role.parent)
		.select(user.name)
		.distinct()
		.where(
			(role.role == "SMO Manager")
			& (role.parenttype == "User")
			& (user.enabled == 1)
			& user.name.notin(["Administrator", "Guest"])
		)
		.run()
	]


def top_breach_causes(
	agreement: str, start: datetime, end: datetime, metric: str = "Resolution", limit: int = 3
) -> list[str]:
	"""What the period's breaches of the agreement have in common: the teams that held the tickets when they
	breached, then the priorities; the most frequent first, up to `limit` lines."""
	s = frappe.qb.DocType(TICKET_SLA)
	breached_at = s[f"{'response' if metric == 'Response' else 'resolution'}_breached_at"]
	rows = (
		frappe.qb.from_(s)
		.select(s.ticket_doctype, s.ticket, s.priority, breached_at.as_("breached_at"))
		.where((s.agreement == agreement) & (breached_at >= naive(start)) & (breached_at < naive(end)))
		.run(as_dict=True)
	)
	if not rows:
		return []
	events: dict = {}
	for doctype in {r.ticket_doctype for r in rows}:  # Helpdesk tickets and ERPNext Issues alike
		events.update(load_events([r.ticket for r in rows if r.ticket_doctype == doctype], doctype=doctype))
	teams: Counter = Counter()
	priorities: Counter = Counter()
	for r in rows:
		when = aware(r.breached_at)
		teams[current_values(events.get(r.ticket, []), when).get(TEAM) or ""] += 1
		priorities[r.priority or ""] += 1
	total = len(rows)
	causes = [
		(n, _("Held by {0} when they breached: {1} of {2}").format(team or _("no team"), n, total))
		for team, n in teams.most_common(2)
	]
	causes += [
		(n, _("Priority {0}: {1} of {2}").format(priority or _("none"), n, total))
		for priority, n in priorities.most_common(1)
	]
	return [text for _n, text in sorted(causes, key=lambda c: -c[0])[:limit]]
