"""Real RQ workers for the tests and the benchmarks: `bench worker` processes in burst mode (each stops when the
queues it takes are empty), started from the bench's sites folder with this interpreter, so they run the code
the caller runs (its PYTHONPATH included)."""

from __future__ import annotations

import os
import subprocess
import sys

import frappe


def burst_workers(count: int, queues: str, timeout: float) -> list[str]:
	"""`count` burst workers on `queues` (comma-separated) until those queues are empty; each one's output.
	Raises AssertionError when one fails or they do not finish within `timeout` seconds (then all are killed)."""
	command = [
		sys.executable,
		"-m",
		"frappe.utils.bench_helper",
		"frappe",
		"worker",
		"--queue",
		queues,
		"--burst",
	]
	sites = os.path.abspath(frappe.local.sites_path)
	workers = [
		subprocess.Popen(command, cwd=sites, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
		for _ in range(count)
	]
	outputs = []
	for worker in workers:
		try:
			out, _err = worker.communicate(timeout=timeout)
		except subprocess.TimeoutExpired:
			for w in workers:
				w.kill()
			raise AssertionError(f"the workers did not finish in {timeout} s") from None
		outputs.append(out.decode("utf-8", "replace"))
		if worker.returncode != 0:
			raise AssertionError(f"a worker failed ({worker.returncode}):\n{outputs[-1][-3000:]}")
	return outputs
