"""Documents: one WeasyPrint service for every printable thing of the portal (statements
now; the voting roll and badges later), its restricted URL fetcher, the store of rendered
PDFs, and batch exports."""
from flask import Blueprint

bp = Blueprint("documents", __name__)

# The views are attached in create_app (importing them here would tie models to views).
