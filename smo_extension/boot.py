"""What the app adds to the desk's boot: the colour map of the SLA states (one map, see `sla.states`), and whether
ERPNext is installed (what is ERPNext's shows only then)."""

from smo_extension import erpnext_compat
from smo_extension.sla.states import STATE_COLOURS


def boot_session(bootinfo) -> None:
	bootinfo.smo_state_colours = STATE_COLOURS
	bootinfo.smo_erpnext = 1 if erpnext_compat.installed() else 0
