"""Member organizations, their dues ledger and the dues check."""
from flask import Blueprint

bp = Blueprint("members", __name__)

# The views are attached in create_app (importing them here would tie models to views).
