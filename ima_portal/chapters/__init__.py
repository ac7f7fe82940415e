"""National chapters: the list, each chapter's page, and (global secretariat) keeping them."""
from flask import Blueprint

bp = Blueprint("chapters", __name__)

# The views are attached in create_app (importing them here would tie models to views).
