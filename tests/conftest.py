"""Tier-1 test configuration.

Under CI (CI set in the environment) Hypothesis draws the same examples on every run, so a landing never
depends on the luck of the draw; on a developer's machine it keeps exploring new ones.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
	settings.load_profile("ci")
