"""Measuring KPI definitions: the period's aggregates from `sources`, the values from the engine, one SMO KPI
Measurement per definition and period (created, or updated in place so the version history keeps the old
value), and the improvement a Red measurement raises.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import frappe
from frappe import _
from frappe.utils import get_system_timezone
from frappe.utils import getdate

from smo_extension.engine import kpi as engine
from smo_extension.kpi import sources
from smo_extension.scaleout import heavy_read
from smo_extension.settings import get_settings

# Who made a measurement: the KPI jobs, or a person by hand.
JOB, USER = "Job", "User"


def measurement_name(kpi: str, period_start) -> str:
	"""SMO KPI Measurement's name: `<KPI>-<period start>`, unique per definition and period."""
	return f"{kpi}-{getdate(period_start).isoformat()}"


DEFINITION_FIELDS = [
	"name",
	"kpi_name",
	"metric",
	"direction",
	"target",
	"amber_threshold",
	"red_threshold",
	"unit",
	"frequency",
	"kpi_owner",
	"active",
	"creation",
	*engine.SCOPE_FIELDS,
]


def smo_timezone() -> str:
	"""The SMO's time zone: that of the default calendar of SMO Settings, else the site's."""
	calendar = get_settings().default_calendar
	zone = calendar and frappe.get_cached_value("SMO Business Calendar", calendar, "timezone")
	return zone or get_system_timezone()


def load_definitions(names: Iterable[str] | None = None, active_only: bool = True) -> list[frappe._dict]:
	filters = {}
	if names is not None:
		filters["name"] = ("in", list(names) or [""])
	if active_only:
		filters["active"] = 1
	return frappe.get_all(
		"SMO KPI Definition", filters=filters, fields=DEFINITION_FIELDS, order_by="name asc"
	)


def scope_of(definition) -> dict[str, str | None]:
	"""The scope a definition's metric uses (clock metrics always name an agreement type: SLA by default)."""
	metric = engine.METRICS[definition["metric"]]
	scope = {f: (definition.get(f) or None) if f in metric.scopes else None for f in engine.SCOPE_FIELDS}
	if metric.uses_clocks:
		scope["agreement_type"] = scope["agreement_type"] or "SLA"
	return scope


@heavy_read
def compute(definitions: list, w: sources.Window) -> dict[str, engine.Result]:
	"""The value of each definition (dicts with name, metric and scope fields) over one window: one
	aggregate query per source the definitions use."""
	by_source: dict[str, list] = defaultdict(list)
	for definition in definitions:
		by_source[engine.METRICS[definition["metric"]].source].append(definition)
	results: dict[str, engine.Result] = {}
	for source, members in by_source.items():
		dims = sources.source_dims(source)
		scopes = {d["name"]: scope_of(d) for d in members}
		rows = sources.fetch(source, w, engine.query_plan(scopes.values(), dims))
		histogram = source in engine.HISTOGRAM_SOURCES
		rollups: dict[tuple, dict] = {}
		for definition in members:
			key_dims, key = engine.scope_key(scopes[definition["name"]], dims)
			if key_dims not in rollups:
				rollups[key_dims] = engine.rollup(rows, key_dims, histogram=histogram)
			results[definition["name"]] = engine.evaluate(definition["metric"], rollups[key_dims].get(key))
	return results


def period_window(period: engine.Period, timezone: str | None = None) -> sources.Window:
	return sources.window(period.start, period.end, timezone or smo_timezone())


def measure_periods(
	definitions: list, periods: dict[str, list[engine.Period]], by: str = JOB, user: str | None = None
) -> list[str]:
	"""Measure each definition for its periods ({definition name: [periods]}); returns the measurement
	names written."""
	written = []
	for period, members in batches(definitions, periods):
		written += measure_period(period, members, by, user)
	return written


def batches(definitions: list, periods: dict[str, list[engine.Period]]) -> list[tuple[engine.Period, list]]:
	"""(period, the definitions to measure for it), oldest period first: every definition that shares a
	period is computed together."""
	by_name = {d["name"]: d for d in definitions}
	grouped: dict[engine.Period, list] = defaultdict(list)
	for name, wanted in periods.items():
		for period in wanted:
			grouped[period].append(by_name[name])
	return [(p, grouped[p]) for p in sorted(grouped, key=lambda p: (p.start, p.end))]


def measure_period(
	period: engine.Period, definitions: list, by: str = JOB, user: str | None = None
) -> list[str]:
	results = compute(definitions, period_window(period))
	return [record(d["name"], period, results[d["name"]], by, user).name for d in definitions]


def record(definition: str, period: engine.Period, result: engine.Result, by: str = JOB, user=None):
	"""Create or update the measurement of `definition` for `period` with `result`."""
	name = measurement_name(definition, period.start)
	if frappe.db.exists("SMO KPI Measurement", name):
		doc = frappe.get_doc("SMO KPI Measurement", name)
	else:
		doc = frappe.new_doc("SMO KPI Measurement")
		doc.kpi, doc.period_start = definition, period.start
	doc.update(
		{
			"no_data": 1 if result.value is None else 0,
			"value": result.value or 0,
			"numerator": result.numerator or 0,
			"denominator": result.denominator or 0,
			"sample_size": result.sample_size,
		}
	)
	doc.flags.smo_computed = (by, user if by == USER else None)
	doc.flags.ignore_permissions = by == JOB
	if not doc.is_new():
		doc.save(ignore_version=False)  # the old value stays in the version history (tests included)
		return doc
	frappe.db.savepoint("smo_kpi_record")
	try:
		doc.insert()
	except frappe.DuplicateEntryError:
		# another worker measured the same period first (its insert held ours until it committed): ours
		# becomes an update of that measurement
		frappe.db.rollback(save_point="smo_kpi_record")
		return record(definition, period, result, by, user)
	return doc


# ------------------------------------------------------------------------------------------- red KPIs
def with_unit(value: float | None, unit: str | None) -> str:
	"""92.5 % / 410 min / 12 tickets; "no data" for None."""
	if value is None:
		return _("no data")
	number = f"{round(float(value), 2):g}"
	return f"{number} %" if unit == engine.PERCENT else f"{number} {_(unit)}" if unit else number


def raise_improvement(measurement) -> str | None:
	"""The SMO Improvement a Red measurement raises, once per KPI and period (found again by what raised
	it), and a notification to the KPI owner. Returns the improvement's name."""
	existing = frappe.db.get_value(
		"SMO Improvement",
		{"raised_from_doctype": "SMO KPI Measurement", "raised_from": measurement.name},
		"name",
	)
	if existing:
		if measurement.improvement != existing:
			measurement.db_set("improvement", existing, update_modified=False)
		return existing
	definition = frappe.get_cached_doc("SMO KPI Definition", measurement.kpi)
	owner = definition.kpi_owner or (
		definition.service and frappe.db.get_value("SMO Service", definition.service, "service_owner")
	)
	value = with_unit(measurement.value, definition.unit)
	target = with_unit(definition.target, definition.unit)
	improvement = frappe.get_doc(
		{
			"doctype": "SMO Improvement",
			"title": _("KPI miss: {0} ({1})").format(definition.kpi_name, measurement.period_label)[:140],
			"service": definition.service,
			"source": "KPI Miss",
			"raised_from_doctype": "SMO KPI Measurement",
			"raised_from": measurement.name,
			"status": "Proposed",
			"priority": "High",
			"improvement_owner": owner or None,
			"description": "<p>{}</p>".format(
				frappe.utils.escape_html(
					_("{0} was {1} in {2} (target {3}, red at {4}).").format(
						definition.kpi_name,
						value,
						measurement.period_label,
						target,
						with_unit(definition.red_threshold, definition.unit),
					)
				)
			),
			"expected_benefit": _("{0} back to its target of {1}.").format(definition.kpi_name, target),
		}
	)
	improvement.flags.ignore_permissions = True
	improvement.insert()
	measurement.db_set("improvement", improvement.name, update_modified=False)
	if owner:
		notify_owner(owner, measurement, definition, value, target, improvement.name)
	return improvement.name


def notify_owner(owner: str, measurement, definition, value: str, target: str, improvement: str) -> None:
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": owner,
			"type": "Alert",
			"document_type": "SMO KPI Measurement",
			"document_name": measurement.name,
			"subject": _("KPI {0} is Red for {1}: {2} (target {3})").format(
				definition.kpi_name, measurement.period_label, value, target
			),
			"email_content": _("Improvement {0} was raised for it.").format(improvement),
		}
	).insert(ignore_permissions=True)
