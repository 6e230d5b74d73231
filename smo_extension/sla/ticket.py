"""SMO work done on an HD Ticket save: the adapter between the ticket and the clock engine."""

NO_CLOCK = "No SMO clock"


def before_save(doc) -> None:
	if not doc.get("smo_sla_state"):
		doc.smo_sla_state = NO_CLOCK


def on_update(doc) -> None:
	return None


def on_trash(doc) -> None:
	return None
