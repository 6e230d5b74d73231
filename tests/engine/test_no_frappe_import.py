"""Static and runtime checks that the engine stays pure: no `frappe` import, no clock reads."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ENGINE = REPO / "smo_extension" / "engine"
CLOCK_METHODS = {"now", "utcnow", "today"}
TIME_FUNCTIONS = {
	"time",
	"time_ns",
	"monotonic",
	"monotonic_ns",
	"perf_counter",
	"perf_counter_ns",
	"localtime",
}


def _is_frappe(module: str) -> bool:
	return module == "frappe" or module.startswith("frappe.")


def _allowed(module: str) -> bool:
	"""The engine may import the standard library and itself, nothing else (nothing that imports frappe)."""
	engine = "smo_extension.engine"
	return (
		module.split(".")[0] in sys.stdlib_module_names or module == engine or module.startswith(engine + ".")
	)


def violations(source: str, filename: str = "<string>") -> list[str]:
	"""What in `source` breaks the engine rules, as 'file:line: reason' strings."""
	found: list[str] = []

	def report(node: ast.AST, reason: str) -> None:
		found.append(f"{filename}:{getattr(node, 'lineno', 0)}: {reason}")

	for node in ast.walk(ast.parse(source, filename)):
		if isinstance(node, ast.Import):
			for alias in node.names:
				if _is_frappe(alias.name):
					report(node, f"imports {alias.name}")
				elif not _allowed(alias.name):
					report(node, f"imports {alias.name}, which is neither stdlib nor the engine")
		elif isinstance(node, ast.ImportFrom):
			module = node.module or ""
			if node.level == 0 and _is_frappe(module):
				report(node, f"imports from {module}")
			elif node.level == 0 and not _allowed(module):
				report(node, f"imports from {module}, which is neither stdlib nor the engine")
			elif node.level > 1:
				report(node, "relative import reaching outside the engine package")
			if node.level == 0 and module == "time" and any(a.name in TIME_FUNCTIONS for a in node.names):
				report(node, "imports a clock function from time")
		elif isinstance(node, ast.Call):
			func = node.func
			if isinstance(func, ast.Attribute):
				if func.attr in CLOCK_METHODS:
					report(node, f"calls .{func.attr}() (the caller passes `now`)")
				if (
					isinstance(func.value, ast.Name)
					and func.value.id == "time"
					and func.attr in TIME_FUNCTIONS
				):
					report(node, f"calls time.{func.attr}()")
				if func.attr == "import_module" and _frappe_string(node):
					report(node, "imports frappe dynamically")
			elif (
				isinstance(func, ast.Name)
				and func.id in {"__import__", "import_module"}
				and _frappe_string(node)
			):
				report(node, "imports frappe dynamically")
	return found


def _frappe_string(call: ast.Call) -> bool:
	return any(
		isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.startswith("frappe")
		for arg in call.args
	)


ENGINE_FILES = sorted(ENGINE.rglob("*.py"))


def test_engine_has_modules():
	names = {path.name for path in ENGINE_FILES}
	assert {"__init__.py", "calendar.py", "clock.py", "compliance.py"} <= names


@pytest.mark.parametrize("path", ENGINE_FILES, ids=lambda path: str(path.relative_to(ENGINE)))
def test_engine_module_is_pure(path):
	assert violations(path.read_text(encoding="utf-8"), str(path.relative_to(REPO))) == []


@pytest.mark.parametrize(
	"source",
	[
		"import frappe",
		"import frappe.utils",
		"from frappe import _",
		"from frappe.utils import now_datetime",
		"import importlib\nimportlib.import_module('frappe')",
		"__import__('frappe.utils')",
		"import requests",
		"import smo_extension.engineering",
		"from smo_extension.sla import adapter",
		"from ..sla import adapter",
		"from datetime import datetime\nx = datetime.now()",
		"import datetime\nx = datetime.datetime.utcnow()",
		"from datetime import date\nx = date.today()",
		"import time\nx = time.time()",
		"from time import time",
	],
)
def test_checker_catches(source):
	"""The checker itself must fail on each rule break, or the test above would prove nothing."""
	assert violations(source)


def test_checker_accepts_pure_code():
	source = (
		"from bisect import bisect_left\nfrom datetime import datetime\n"
		"from smo_extension.engine.calendar import BusinessCalendar\nfrom . import clock\n"
		"def f(now: datetime) -> datetime:\n\treturn now.replace(hour=0)\n"
	)
	assert violations(source) == []


def test_engine_imports_without_frappe():
	"""Import every engine module in a fresh interpreter in which `import frappe` fails (indirect imports)."""
	modules = [
		"smo_extension.engine" + ("" if path.stem == "__init__" else "." + path.stem)
		for path in ENGINE_FILES
		if path.parent == ENGINE
	]
	code = "import sys\nsys.modules['frappe'] = None\n" + "".join(f"import {module}\n" for module in modules)
	code += (
		"assert not [name for name in sys.modules if name.split('.')[0] == 'frappe' and sys.modules[name]]\n"
	)
	completed = subprocess.run(
		[sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False, timeout=60
	)
	assert completed.returncode == 0, completed.stderr
