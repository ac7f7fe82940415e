"""Info sessions a chapter runs before the assembly, and their public sign-up (anyone
with the chapter's sign-up link registers, without an account)."""
from flask import Blueprint

bp = Blueprint("info_sessions", __name__)

# The views are attached in create_app (importing them here would tie models to views).
