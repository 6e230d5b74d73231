# Copyright (c) 2026, smo_extension developers
# For license information, please see license.txt
"""SLA Time by Team: for the tickets whose SLA resolution clock met or breached in the period, which team used
what share of the budget (the resolution target), where handoffs happened and how long tickets waited after
one (view Handoffs: per pair of teams). A ticket moved between teams counts for every team it passed through
(view Tickets: its path).

Hours are business hours of the agreement's calendar counted while the clock ran (Open), from each ticket's time
ledger (`smo_extension.sla.ledger`). % of budget = the team's hours over the targets of the group's tickets (above
100 % for a group of breached tickets: they overran); % of time = over the hours the group's tickets used. The
wait after a handoff: business hours from the handoff until the new team showed a sign of work (an assignment or
a status change).
"""

from collections import defaultdict
from statistics import median

from frappe import _

from smo_extension.engine.compliance import BREACHED
from smo_extension.engine.compliance import MET
from smo_extension.engine.compliance import period_outcome
from smo_extension.query import fields
from smo_extension.scaleout import heavy_read
from smo_extension.sla.ledger import ledgers
from smo_extension.sla.period import check_period
from smo_extension.sla.period import period_instants
from smo_extension.sla.ticket import aware
from smo_extension.sla.ticket import clocks_with_tickets
from smo_extension.sla.ticket import naive
from smo_extension.smo.report.column_catalog import columns
from smo_extension.smo.report.column_catalog import source_column_keys
from smo_extension.smo.report.columns import chart
from smo_extension.smo.report.columns import full_names
from smo_extension.smo.report.columns import summary
from smo_extension.smo.report.filters import SOURCE_OPTIONS
from smo_extension.smo.report.filters import Date
from smo_extension.smo.report.filters import Link
from smo_extension.smo.report.filters import Select
from smo_extension.smo.report.filters import clean_filters
from smo_extension.smo.report.filters import sources

VIEWS = ("Teams", "Handoffs", "Tickets")
OUTCOMES = {BREACHED: "Breached", MET: "Met"}
FILTERS = {
	"from_date": Date("From Date"),
	"to_date": Date("To Date"),
	"service": Link("Service", doctype="SMO Service"),
	"outcome": Select("Outcome", options=("Breached", "Met")),
	"view": Select("View", options=VIEWS),
	"source": Select("Source", options=SOURCE_OPTIONS),
}
HOUR_US = 3600 * 1_000_000


def validate_filters(filters) -> None:
	check_period(filters.get("from_date"), filters.get("to_date"))


@heavy_read
def execute(filters: dict | None = None):
	filters = clean_filters(filters, FILTERS)
	validate_filters(filters)
	tickets = judged_tickets(filters)
	view = filters.get("view") or "Teams"
	rows, columns = {
		"Teams": (team_rows, team_columns),
		"Handoffs": (handoff_rows, handoff_columns),
		"Tickets": (ticket_rows, ticket_columns),
	}[view]
	data, columns = rows(tickets), columns()
	return columns, data, None, get_chart(tickets), get_summary(tickets)


def judged_tickets(filters) -> list[dict]:
	"""The period's met and breached SLA resolution clocks, each with its ledger and handoffs."""
	first, last = check_period(filters.get("from_date"), filters.get("to_date"))
	start, end = period_instants(first, last)
	lo, hi = naive(start), naive(end)
	rows = []
	for doctype in sources(filters):
		rows += clocks_of(doctype, filters, lo, hi)
	wanted = {"Breached": BREACHED, "Met": MET}.get(filters.get("outcome") or "")
	clocks = []
	for row in rows:
		row.ticket = str(row.ticket)
		state = "breached" if row.resolution_state == "Breached" else "met"
		row.outcome = period_outcome(
			state, aware(row.resolution_stopped_at), aware(row.resolution_breached_at), start, end
		)
		if row.outcome and (wanted is None or row.outcome == wanted):
			clocks.append(row)
	computed = ledgers(clocks)
	out = []
	for row in clocks:
		if row.ticket not in computed:
			continue
		segments, handoffs, _events = computed[row.ticket]
		out.append({"clock": row, "segments": segments, "handoffs": handoffs})
	return sorted(
		out, key=lambda x: (x["clock"].service or "", x["clock"].outcome != BREACHED, _key(x["clock"].ticket))
	)


def clocks_of(doctype: str, filters, lo, hi) -> list:
	"""The SLA resolution clocks of one source (HD Ticket or Issue) met or breached in [lo, hi)."""
	base, s, t = clocks_with_tickets(doctype)
	query = base.select(
		*fields(
			s,
			"ticket_doctype ticket agreement service evaluated_at resolution_state resolution_stopped_at resolution_breached_at resolution_target_minutes",
		),
		t.creation,
		t.subject,
	).where(
		(s.agreement_type == "SLA")
		& (
			((s.resolution_state == "Met") & (s.resolution_stopped_at >= lo) & (s.resolution_stopped_at < hi))
			| ((s.resolution_breached_at >= lo) & (s.resolution_breached_at < hi))
		)
	)
	if filters.get("service"):
		query = query.where(s.service == filters.service)
	return query.run(as_dict=True)


def _key(name: str):
	return (0, int(name), "") if name.isdigit() else (1, 0, name)


def team_rows(tickets: list[dict]) -> list[dict]:
	groups: dict[tuple, dict] = {}
	teams: dict[tuple, dict] = {}
	for item in tickets:
		clock = item["clock"]
		group_key = (clock.service, clock.outcome)
		group = groups.setdefault(group_key, {"budget_us": 0, "used_us": 0})
		group["budget_us"] += (clock.resolution_target_minutes or 0) * 60 * 1_000_000
		for segment in item["segments"]:
			team = teams.setdefault(
				(*group_key, segment.team),
				{"tickets": set(), "business_us": 0, "paused_us": 0, "handoffs": 0, "waits": []},
			)
			team["tickets"].add(clock.ticket)
			team["business_us"] += segment.business_us
			team["paused_us"] += segment.paused_us
			group["used_us"] += segment.business_us
		for handoff in item["handoffs"]:
			team = teams.setdefault(
				(*group_key, handoff.to_team),
				{"tickets": {clock.ticket}, "business_us": 0, "paused_us": 0, "handoffs": 0, "waits": []},
			)
			team["handoffs"] += 1
			team["waits"].append(handoff.wait_us)
	rows = []
	for (service, outcome, team), values in teams.items():
		group = groups[(service, outcome)]
		rows.append(
			{
				"service": service,
				"outcome": _(OUTCOMES[outcome]),
				"team": team,
				"tickets": len(values["tickets"]),
				"hours": round(values["business_us"] / HOUR_US, 2),
				"budget_share": percent(values["business_us"], group["budget_us"]),
				"time_share": percent(values["business_us"], group["used_us"]),
				"paused_hours": round(values["paused_us"] / HOUR_US, 2),
				"handoffs_in": values["handoffs"],
				"median_wait_hours": round(median(values["waits"]) / HOUR_US, 2) if values["waits"] else None,
				"_order": (service or "", outcome != BREACHED, -values["business_us"]),
			}
		)
	rows.sort(key=lambda r: r.pop("_order"))  # a row without a team: time while the ticket had none
	return rows


def handoff_rows(tickets: list[dict]) -> list[dict]:
	"""Where handoffs happened: one row per service, outcome and (from team, to team)."""
	pairs: dict[tuple, dict] = {}
	for item in tickets:
		clock = item["clock"]
		for handoff in item["handoffs"]:
			pair = pairs.setdefault(
				(clock.service, clock.outcome, handoff.from_team, handoff.to_team),
				{"tickets": set(), "waits": [], "picked_up": 0},
			)
			pair["tickets"].add(clock.ticket)
			pair["waits"].append(handoff.wait_us)
			pair["picked_up"] += handoff.picked_up
	rows = []
	for (service, outcome, from_team, to_team), values in pairs.items():
		rows.append(
			{
				"service": service,
				"outcome": _(OUTCOMES[outcome]),
				"from_team": from_team,
				"to_team": to_team,
				"handoffs": len(values["waits"]),
				"tickets": len(values["tickets"]),
				"median_wait_hours": round(median(values["waits"]) / HOUR_US, 2),
				"picked_up": percent(values["picked_up"], len(values["waits"])),
				"_order": (service or "", outcome != BREACHED, -len(values["waits"])),
			}
		)
	rows.sort(key=lambda r: r.pop("_order"))
	return rows


def ticket_rows(tickets: list[dict]) -> list[dict]:
	agents = full_names(
		user.strip()
		for item in tickets
		for segment in item["segments"]
		for user in (segment.agent or "").split(",")
		if "+" not in user
	)
	rows = []
	for item in tickets:
		clock = item["clock"]
		budget = (clock.resolution_target_minutes or 0) * 60 * 1_000_000
		path, per_team = [], {}
		for segment in item["segments"]:
			team = segment.team
			if not path or path[-1] != team:
				path.append(team)
			values = per_team.setdefault(team, {"business_us": 0, "agents": []})
			values["business_us"] += segment.business_us
			for user in (segment.agent or "").split(","):
				name = agents.get(user.strip(), user.strip())
				if name and name not in values["agents"]:
					values["agents"].append(name)
		for team, values in per_team.items():
			rows.append(
				{
					"ticket_doctype": clock.ticket_doctype,
					"ticket": clock.ticket,
					"subject": clock.subject,
					"service": clock.service,
					"outcome": _(OUTCOMES[clock.outcome]),
					"team": team,
					"agents": ", ".join(values["agents"]),
					"hours": round(values["business_us"] / HOUR_US, 2),
					"budget_share": percent(values["business_us"], budget),
					"handoffs": len(item["handoffs"]),
					"path": " → ".join(t or _("(no team)") for t in path),
				}
			)
	return rows


def percent(part: int, whole: int) -> float | None:
	return round(100.0 * part / whole, 1) if whole else None


def team_columns() -> list[dict]:
	return columns(
		"service outcome team tickets hours budget_share time_share paused_hours handoffs_in median_wait_hours"
	)


def handoff_columns() -> list[dict]:
	return columns("service outcome from_team to_team handoffs tickets handoff_wait_hours picked_up")


def ticket_columns() -> list[dict]:
	return columns(
		f"{source_column_keys()} subject service outcome team agents hours budget_share handoffs path"
	)


def get_chart(tickets: list[dict]) -> dict | None:
	hours: dict[str, dict[str, float]] = defaultdict(lambda: {BREACHED: 0.0, MET: 0.0})
	for item in tickets:
		for segment in item["segments"]:
			hours[segment.team or _("(no team)")][item["clock"].outcome] += segment.business_us / HOUR_US
	if not hours:
		return None
	teams = sorted(hours, key=lambda team: -(hours[team][BREACHED] + hours[team][MET]))
	return chart(
		teams,
		{
			_("Breached tickets (h)"): [round(hours[t][BREACHED], 1) for t in teams],
			_("Met tickets (h)"): [round(hours[t][MET], 1) for t in teams],
		},
		"bar",
		colors=["#e24c4c", "#29cd42"],
		barOptions={"stacked": 1, "spaceRatio": 0.4},
	)


def get_summary(tickets: list[dict]) -> list[dict]:
	breached = sum(1 for i in tickets if i["clock"].outcome == BREACHED)
	waits = [h.wait_us for i in tickets for h in i["handoffs"]]
	moved = sum(1 for i in tickets if i["handoffs"])
	wait = round(median(waits) / HOUR_US, 2) if waits else None
	return [
		summary(_("Breached Tickets"), breached, "Red"),
		summary(_("Met Tickets"), len(tickets) - breached, "Green"),
		summary(_("Tickets Moved Between Teams"), moved),
		summary(_("Handoffs"), len(waits)),
		summary(
			_("Median Wait After Handoff (h)"),
			f"{wait:.2f}" if wait is not None else _("n/a"),
			"Blue",
			"Data",
		),
	]
