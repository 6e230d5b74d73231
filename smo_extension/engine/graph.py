"""Dependency graphs of services: finding a cycle before it is saved."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping


def find_cycle(edges: Mapping[str, Iterable[str]], start: str) -> list[str] | None:
	"""A path start → … → start through `edges` (node → the nodes it depends on), or None."""
	stack: list[tuple[str, list[str]]] = [(start, [start])]
	seen: set[str] = set()
	while stack:
		node, path = stack.pop()
		for nxt in edges.get(node, ()):
			if nxt == start:
				return [*path, start]
			if nxt not in seen:
				seen.add(nxt)
				stack.append((nxt, [*path, nxt]))
	return None
