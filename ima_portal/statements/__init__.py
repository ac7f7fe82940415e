"""Statements: drafting, revisions, the chair's queue and sign-off, comments."""
from flask import Blueprint

bp = Blueprint("statements", __name__)

# The views are attached in create_app (importing them here would tie models to views).
