"""A recompute job that stops half-way for a while, for the test that kills a real worker in the middle of a
job (test_fault_injection.TestWorkerKilled): the first half of the tickets is recomputed (uncommitted), a marker
file says so, then it waits long enough to be killed."""

import time

from smo_extension.sla import jobs


def recompute_slowly(tickets: list[str], marker: str, wait: float = 60.0) -> None:
	half = len(tickets) // 2
	jobs.recompute_tickets(tickets[:half])
	with open(marker, "w") as f:
		f.write("half-way")
	time.sleep(wait)
	jobs.recompute_tickets(tickets[half:])
