"""Tier 3's site side: `fixtures.py` runs inside Frappe (`bench execute`) and prepares the browser site for the
journeys of `tests/browser/journeys.py`, which drive the browser from outside Frappe. No file here is named
`test_*.py`: Frappe's site-test runner must not import them.
"""
