"""The alliance's rules in plain Python.

Nothing under this package may import flask or sqlalchemy (a test enforces it): the
rules are read in one place and tested in milliseconds. Views and services ask these
modules for a decision and show its reason.

User-facing sentences here are marked with `N_()` so that Babel extracts them; the web
layer translates them when it shows them (`_(decision.reason, **decision.params)`).
"""
