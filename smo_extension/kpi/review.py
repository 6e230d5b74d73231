"""The service review: per live service (lifecycle stage Catalog) its owner, stage, active agreements,
resolution SLA compliance in the period against target, the "watermelon" check beside it (CSAT and reopen
rate), the RAG of its KPIs, and what is open now (tickets, breached clocks, improvements, PMO liaisons).

Compliance, CSAT and reopen rate are computed with the KPI formulas (`smo_extension.engine.kpi`, sources
`resolution_clocks` on SLA clocks and `ticket_flow`) for the service over the period, one query per source
for all services. Compliance is *green* when it reaches the target: the strictest compliance target of the
Active SLAs whose clocks count in the period (as the SLA Compliance report takes it), else of all the service's
Active SLAs. CSAT and reopen rate are judged with the thresholds of the service's own active KPI of that
metric (scoped by service only), else of the SMO-wide one (no scope), else `WATERMELON_DEFAULTS`; a service
is a **watermelon** when compliance is green but CSAT or reopen rate is Red.
"""

from __future__ import annotations

from collections import Counter
from collections import defaultdict
from datetime import date

import frappe
from frappe.query_builder.functions import Count
from frappe.utils import flt
from frappe.utils import getdate

from smo_extension.engine import kpi as engine
from smo_extension.kpi import measure
from smo_extension.kpi import sources
from smo_extension.kpi.scorecard import scorecard
from smo_extension.smo.doctype.smo_improvement.smo_improvement import OPEN_STATUSES

# metric -> (direction, target, amber, red) when no KPI of that metric says otherwise
WATERMELON_DEFAULTS = {
	"csat": (engine.HIGHER, 85.0, 80.0, 70.0),
	"reopen_rate": (engine.LOWER, 5.0, 8.0, 10.0),
}
REVIEW_METRICS = ("resolution_compliance", "csat", "reopen_rate")


def live_services(service: str | None = None, service_owner: str | None = None) -> list[frappe._dict]:
	filters = {"lifecycle_stage": "Catalog"}
	if service:
		filters["name"] = service
	if service_owner:
		filters["service_owner"] = service_owner
	return frappe.get_all(
		"SMO Service",
		filters=filters,
		fields=["name", "service_name", "service_owner", "lifecycle_stage", "status", "next_review_date"],
		order_by="service_name asc",
	)


def thresholds(metric: str, service: str, definitions: list) -> tuple[str, float, float, float]:
	def unscoped_but(d, field=None) -> bool:
		return all(not d.get(f) for f in engine.SCOPE_FIELDS if f != field)

	for chosen in (
		[
			d
			for d in definitions
			if d.metric == metric and d.service == service and unscoped_but(d, "service")
		],
		[d for d in definitions if d.metric == metric and unscoped_but(d)],
	):
		if chosen:
			d = chosen[0]
			return d.direction, flt(d.target), flt(d.amber_threshold), flt(d.red_threshold)
	return WATERMELON_DEFAULTS[metric]


def service_review(
	first_day: date, last_day: date, service: str | None = None, service_owner: str | None = None
) -> list[dict]:
	services = live_services(service, service_owner)
	names = [s.name for s in services]
	if not names:
		return []
	pseudo = [
		{"name": f"{s}\x1f{metric}", "metric": metric, "service": s}
		for s in names
		for metric in REVIEW_METRICS
	]
	window = sources.window(getdate(first_day), getdate(last_day), measure.smo_timezone())
	values = measure.compute(pseudo, window)
	counted = counted_slas(names, window)
	definitions = measure.load_definitions()
	agreements = defaultdict(list)
	for a in frappe.get_all(
		"SMO Service Level Agreement",
		filters={"status": "Active", "service": ("in", names)},
		fields=["name", "service", "agreement_type", "compliance_target"],
		order_by="agreement_type asc, name asc",
	):
		agreements[a.service].append(a)
	counts = open_counts(names)
	kpis: dict[str, Counter] = defaultdict(Counter)
	for row in scorecard(last_day):
		if row["service"]:
			kpis[row["service"]][row["rag"]] += 1
	out = []
	for s in services:
		result = {m: values[f"{s.name}\x1f{m}"] for m in REVIEW_METRICS}
		compliance = result["resolution_compliance"]
		slas = [a for a in agreements[s.name] if a.agreement_type == "SLA"]
		judged = [a for a in slas if a.name in counted.get(s.name, ())] or slas
		target = max((flt(a.compliance_target) for a in judged), default=None)
		green = compliance.value is not None and target is not None and compliance.value >= target
		rags = {
			m: engine.rag(result[m].value, *thresholds(m, s.name, definitions))
			for m in ("csat", "reopen_rate")
		}
		out.append(
			{
				"service": s.name,
				"service_name": s.service_name,
				"service_owner": s.service_owner,
				"lifecycle_stage": s.lifecycle_stage,
				"status": s.status,
				"agreements": ", ".join(f"{a.name} ({a.agreement_type})" for a in agreements[s.name]),
				"agreement_types": " · ".join(
					sorted({a.agreement_type for a in agreements[s.name]}, key="SLA OLA UC".find)
				),
				"agreement_count": len(agreements[s.name]),
				"compliance": compliance.value,
				"met": int(compliance.numerator or 0),
				"breached": int((compliance.denominator or 0) - (compliance.numerator or 0)),
				"target": target,
				"gap": round(compliance.value - target, 2)
				if compliance.value is not None and target is not None
				else None,
				"compliance_green": green,
				"below_target": compliance.value is not None and target is not None and not green,
				"csat": result["csat"].value,
				"csat_rag": rags["csat"],
				"rated": result["csat"].sample_size,
				"reopen_rate": result["reopen_rate"].value,
				"reopen_rag": rags["reopen_rate"],
				"watermelon": green and engine.RED in rags.values(),
				"kpi_green": kpis[s.name][engine.GREEN],
				"kpi_amber": kpis[s.name][engine.AMBER],
				"kpi_red": kpis[s.name][engine.RED],
				"kpi_no_data": kpis[s.name][engine.NO_DATA],
				**{key: counts[key].get(s.name, 0) for key in counts},
				"next_review_date": s.next_review_date,
			}
		)
	return out


def counted_slas(services: list[str], w: sources.Window) -> dict[str, set[str]]:
	"""service -> the SLAs whose resolution clocks count in the window (met or breached in it), one grouped
	query: the target is theirs, as the SLA Compliance report takes it (a hypercare SLA sets the target only
	for a period its clocks are in)."""
	s = frappe.qb.DocType("SMO Ticket SLA")
	stopped_in = (s.resolution_stopped_at >= w.start) & (s.resolution_stopped_at < w.end)
	breached_in = (s.resolution_breached_at >= w.start) & (s.resolution_breached_at < w.end)
	out: dict[str, set[str]] = defaultdict(set)
	for service, agreement in (
		frappe.qb.from_(s)
		.select(s.service, s.agreement)
		.where(s.service.isin(services) & (s.agreement_type == "SLA") & (stopped_in | breached_in))
		.groupby(s.service, s.agreement)
		.run()
	):
		out[service].add(agreement)
	return out


def open_counts(services: list[str]) -> dict[str, dict[str, int]]:
	"""What is open now per service: tickets whose status is of category Open or Paused (judged from the
	status, as the SMO clocks do), tickets with a running breached resolution clock (SLA or OLA),
	improvements, PMO liaisons not Closed. One grouped query each."""
	open_statuses = frappe.get_all(
		"HD Ticket Status", filters={"category": ("in", ["Open", "Paused"])}, pluck="name"
	) or [""]
	t = frappe.qb.DocType("HD Ticket")
	s = frappe.qb.DocType("SMO Ticket SLA")
	i = frappe.qb.DocType("SMO Improvement")
	p = frappe.qb.DocType("SMO PMO Liaison")
	queries = {
		"open_tickets": frappe.qb.from_(t)
		.select(t.smo_service, Count("*"))
		.where(t.smo_service.isin(services) & t.status.isin(open_statuses))
		.groupby(t.smo_service),
		"open_breaches": frappe.qb.from_(s)
		.select(s.service, Count(s.ticket).distinct())
		.where(s.service.isin(services) & (s.is_running == 1) & (s.resolution_state == "Breached"))
		.groupby(s.service),
		"open_improvements": frappe.qb.from_(i)
		.select(i.service, Count("*"))
		.where(i.service.isin(services) & i.status.isin(list(OPEN_STATUSES)))
		.groupby(i.service),
		"liaisons_in_flight": frappe.qb.from_(p)
		.select(p.service, Count("*"))
		.where(p.service.isin(services) & (p.transition_stage != "Closed"))
		.groupby(p.service),
	}
	return {key: dict(query.run()) for key, query in queries.items()}
