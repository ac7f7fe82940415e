"""The Global Assembly: the assembly's facts, delegate registration, the voting roll."""
from flask import Blueprint

bp = Blueprint("assembly", __name__)

# The views are attached in create_app (importing them here would tie models to views).
