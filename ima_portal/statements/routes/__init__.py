"""The statements' views, by audience: `drafting` (the authors: list, new, editor,
preview, translations), `review` (the statement, its actions, comments, history and the
chair's queue), `public` (verification of a printed copy), `archive` (the public archive
of published statements and its feeds) and `printing` (PDF, batch export, the print
settings). Every view is attached to the `statements` blueprint, so the endpoints are
`statements.<view>`."""
from . import archive, drafting, printing, public, review  # noqa: F401 (each attaches its views)
