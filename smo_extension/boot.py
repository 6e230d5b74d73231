"""What the app adds to the desk's boot: the colour map of the SLA states (one map, see `sla.states`)."""

from smo_extension.sla.states import STATE_COLOURS


def boot_session(bootinfo) -> None:
	bootinfo.smo_state_colours = STATE_COLOURS
