"""Speed of the pure SLA engine: due dates (add_business_seconds) and elapsed business time.

Run from the repository root:

    python -m benchmarks.bench_engine [--n 100000] [--seed 20260101]
    python benchmarks/bench_engine.py

100k due-date computations on a two-window Europe/Rome calendar (Mon-Fri 09:00-13:00 and 14:00-18:00) with 15
holidays a year, starts uniformly across 2026 and targets uniformly from 1 hour to 90 days of business time.
`make_rome_calendar` and `make_cases` are importable so a site-tier benchmark can replay the same inputs.
"""

import argparse
import random
import sys
import time
from collections.abc import Iterable
from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from pathlib import Path

try:
	from smo_extension.engine.calendar import BusinessCalendar
except ModuleNotFoundError:  # run as a script: put the repository root on the path
	sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
	from smo_extension.engine.calendar import BusinessCalendar

ROME_WINDOWS = {weekday: [("09:00", "13:00"), ("14:00", "18:00")] for weekday in range(5)}
CASE_YEAR = 2026
MIN_TARGET_S = 3600
MAX_TARGET_S = 90 * 86_400


def easter_sunday(year: int) -> date:
	"""Gregorian Easter (anonymous Gregorian algorithm)."""
	a, b, c = year % 19, year // 100, year % 100
	d, e = divmod(b, 4)
	f = (b + 8) // 25
	g = (b - f + 1) // 3
	h = (19 * a + b - d - g + 15) % 30
	i, k = divmod(c, 4)
	shift = (32 + 2 * e + 2 * i - h - k) % 7
	m = (a + 11 * h + 22 * shift) // 451
	month, day = divmod(h + shift - 7 * m + 114, 31)
	return date(year, month, day + 1)


def rome_holidays(year: int) -> list[date]:
	"""15 holidays: the Italian national ones, Rome's patron saints and company closing days."""
	easter_monday = easter_sunday(year) + timedelta(days=1)
	fixed = [(1, 1), (1, 6), (4, 25), (5, 1), (6, 2), (6, 29), (8, 14), (8, 15), (11, 1), (12, 8)]
	fixed += [(12, 24), (12, 25), (12, 26), (12, 31), (8, 16)]
	holidays = {easter_monday}
	for month, day in fixed:
		if len(holidays) == 15:
			break
		holidays.add(date(year, month, day))
	return sorted(holidays)


def make_rome_calendar(years: Iterable[int] = range(CASE_YEAR - 1, CASE_YEAR + 4)) -> BusinessCalendar:
	"""The benchmark calendar, with 15 holidays in each of `years`."""
	holidays = [holiday for year in years for holiday in rome_holidays(year)]
	return BusinessCalendar("Europe/Rome", ROME_WINDOWS, holidays)


def make_cases(n: int, seed: int = 20260101) -> list[tuple[datetime, int]]:
	"""`n` (start, target seconds): starts at whole seconds uniformly across 2026 (UTC-aware), targets
	uniformly from 1 hour to 90 days of business time."""
	rng = random.Random(seed)
	origin = datetime(CASE_YEAR, 1, 1, tzinfo=timezone.utc)
	year_seconds = int((datetime(CASE_YEAR + 1, 1, 1, tzinfo=timezone.utc) - origin).total_seconds())
	return [
		(origin + timedelta(seconds=rng.randrange(year_seconds)), rng.randint(MIN_TARGET_S, MAX_TARGET_S))
		for _ in range(n)
	]


def run(n: int = 100_000, seed: int = 20260101) -> dict[str, float]:
	cases = make_cases(n, seed)
	# A fresh calendar's first call also loads the zone's DST changes for the years it touches.
	begin = time.perf_counter()
	calendar = make_rome_calendar()
	calendar.add_business_seconds(*cases[0])
	first_call = time.perf_counter() - begin

	add = calendar.add_business_seconds
	begin = time.perf_counter()
	dues = [add(start, target) for start, target in cases]
	add_time = time.perf_counter() - begin

	measure = calendar.business_seconds
	begin = time.perf_counter()
	elapsed = [measure(start, due) for (start, _), due in zip(cases, dues, strict=True)]
	measure_time = time.perf_counter() - begin

	mismatches = sum(1 for (_, target), got in zip(cases, elapsed, strict=True) if got != target)
	return {
		"n": n,
		"first_call_seconds": first_call,
		"add_seconds": add_time,
		"add_per_second": n / add_time,
		"measure_seconds": measure_time,
		"measure_per_second": n / measure_time,
		"mismatches": mismatches,
	}


def main(argv: list[str] | None = None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--n", type=int, default=100_000, help="number of computations (default 100000)")
	parser.add_argument("--seed", type=int, default=20260101)
	args = parser.parse_args(argv)
	result = run(args.n, args.seed)
	print(f"cases: {result['n']:,} (Europe/Rome, 2 windows, 15 holidays/year; targets 1 h - 90 days)")
	print(
		f"add_business_seconds: {result['add_per_second']:,.0f} computations/s "
		f"(total {result['add_seconds']:.3f} s)"
	)
	print(
		f"business_seconds:     {result['measure_per_second']:,.0f} computations/s "
		f"(total {result['measure_seconds']:.3f} s)"
	)
	print(f"fresh calendar + first computation: {result['first_call_seconds'] * 1000:.2f} ms")
	print(f"round-trip mismatches (business_seconds(start, due) != target): {result['mismatches']}")
	return 1 if result["mismatches"] else 0


if __name__ == "__main__":
	sys.exit(main())
