"""KPIs on the site: the aggregate queries (`sources`), measuring definitions into SMO KPI Measurements
(`measure`), the scheduled close and the backfill command (`jobs`) and the scorecard (`scorecard`). The
formulas, periods and RAG rules are in the pure `smo_extension.engine.kpi`."""
