"""The app's modules import each other without a circle: controllers sit on top and call down into the
adapters (`sla/`, `kpi/`, `pmo/`, `api/`), which depend on the engine, `settings` and `helpdesk_compat`, never
on a controller that depends on them. Read from the sources (imports inside functions count too)."""

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "smo_extension"


def module_name(path: Path) -> str:
	parts = path.relative_to(REPO).with_suffix("").parts
	return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(sources: dict[str, str]) -> dict[str, set[str]]:
	"""module -> the app modules it imports (a name imported from a package counts as its module when it is
	one)."""
	graph: dict[str, set[str]] = {name: set() for name in sources}
	for name, source in sources.items():
		package = name if sources.get(name + ".__init__") else name.rpartition(".")[0]
		for node in ast.walk(ast.parse(source)):
			targets: list[str] = []
			if isinstance(node, ast.Import):
				targets = [a.name for a in node.names]
			elif isinstance(node, ast.ImportFrom):
				base = node.module or ""
				if node.level:
					anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
					base = ".".join([*anchor, base] if base else anchor)
				targets = [base, *(f"{base}.{a.name}" for a in node.names)]
			for target in targets:
				while target and target not in graph:
					target = target.rpartition(".")[0]
				if target and target != name and target != "smo_extension":
					graph[name].add(target)
	return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
	"""The strongly connected groups of more than one module (Tarjan), each sorted."""
	index: dict[str, int] = {}
	low: dict[str, int] = {}
	stack: list[str] = []
	on_stack: set[str] = set()
	found: list[list[str]] = []

	def visit(v: str) -> None:
		index[v] = low[v] = len(index)
		stack.append(v)
		on_stack.add(v)
		for w in sorted(graph[v]):
			if w not in index:
				visit(w)
				low[v] = min(low[v], low[w])
			elif w in on_stack:
				low[v] = min(low[v], index[w])
		if low[v] == index[v]:
			group = []
			while True:
				w = stack.pop()
				on_stack.discard(w)
				group.append(w)
				if w == v:
					break
			if len(group) > 1:
				found.append(sorted(group))

	for v in sorted(graph):
		if v not in index:
			visit(v)
	return found


def test_the_check_finds_a_circle():
	sources = {
		"smo_extension.a": "from smo_extension.b import x\n",
		"smo_extension.b": "def f():\n\tfrom smo_extension import a\n",
		"smo_extension.c": "import smo_extension.a\n",
	}
	assert circles(import_graph(sources)) == [["smo_extension.a", "smo_extension.b"]]


def test_the_app_has_no_import_circle():
	sources = {module_name(p): p.read_text() for p in APP.rglob("*.py")}
	graph = import_graph(sources)
	assert sum(len(v) for v in graph.values()) > 100  # the graph was read
	assert circles(graph) == []
