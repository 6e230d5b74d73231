"""The app's whitelisted API, and the decorator every whitelisted function and method of the app uses.

`@typed_whitelist()` is `@frappe.whitelist()` whose type check of the arguments answers a wrong type with a
translated `SMOArgumentError` (a `frappe.ValidationError`, HTTP 417) naming the argument, instead of Frappe's
untranslated `FrappeTypeError`. The function keeps its annotations (and so its typed signature); its body can
rely on them.
"""

from __future__ import annotations

import functools
import inspect
import typing

import frappe
from frappe import _

# Longest text a scalar argument may carry; names, dates and codes are far shorter.
MAX_ARGUMENT_LENGTH = 1000

_TYPE_LABELS = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}


class SMOArgumentError(frappe.ValidationError):
	"""An argument of an SMO API call has the wrong type or shape."""


def _label(annotation) -> str:
	args = [a for a in typing.get_args(annotation) if a is not type(None)]
	if args:
		return _(" or ").join(_label(a) for a in args)
	return _(_TYPE_LABELS.get(annotation, getattr(annotation, "__name__", str(annotation))))


def _coerce(name: str, annotation, value):
	"""The value converted as Frappe's own check would (pydantic, lax), or a translated error."""
	from frappe.utils.typing_validations import TypeAdapter
	from pydantic import ValidationError as PydanticError

	if isinstance(value, str) and len(value) > MAX_ARGUMENT_LENGTH:
		frappe.throw(
			_("Argument {0} is too long ({1} characters; at most {2}).").format(
				name, len(value), MAX_ARGUMENT_LENGTH
			),
			SMOArgumentError,
		)
	try:
		return TypeAdapter(annotation).validate_python(value)
	except (TypeError, PydanticError):
		frappe.throw(
			_("Argument {0} must be {1}, not {2}.").format(name, _label(annotation), _(type(value).__name__)),
			SMOArgumentError,
			title=_("Invalid argument"),
		)


def typed_whitelist(**whitelist_kwargs):
	def decorator(fn):
		hints = typing.get_type_hints(fn)
		hints.pop("return", None)
		signature = inspect.signature(fn)

		required = [
			name
			for name, p in signature.parameters.items()
			if p.default is inspect.Parameter.empty and name != "self" and p.kind is not p.VAR_KEYWORD
		]

		@functools.wraps(fn)
		def wrapper(*args, **kwargs):
			bound = signature.bind_partial(*args, **kwargs)
			for name in required:
				if name not in bound.arguments:
					frappe.throw(_("Argument {0} is required.").format(name), SMOArgumentError)
			for name, value in list(bound.arguments.items()):
				annotation = hints.get(name)
				if annotation is None or annotation is typing.Any:
					continue
				default = signature.parameters[name].default
				if value is None and default is None:
					continue
				bound.arguments[name] = _coerce(name, annotation, value)
			return fn(*bound.args, **bound.kwargs)

		# Frappe checks the annotations it finds on the whitelisted function; ours are checked above.
		wrapper.__annotations__ = {}
		return frappe.whitelist(**whitelist_kwargs)(wrapper)

	return decorator


def ticket_name(ticket: str | int) -> str:
	"""HD Ticket names are integers; the Helpdesk UI sends them as JSON numbers, links keep them as text."""
	return str(ticket).strip()


__all__ = ["SMOArgumentError", "ticket_name", "typed_whitelist"]
