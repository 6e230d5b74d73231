"""Tier 3: the persona journeys in a real browser (`journeys.py`, run by `./run-tests`, not by tier 1's pytest)."""
