"""The global secretariat's desk: accounts and the activity log."""
from flask import Blueprint

bp = Blueprint("admin", __name__)

# The views are attached in create_app (importing them here would tie models to views).
