"""The assembly's logistics for the global secretariat: arrivals and departures, the
rooming list, interpretation, dietary and access needs; pages, CSVs and PDFs."""
from flask import Blueprint

bp = Blueprint("logistics", __name__)

# The views are attached in create_app (importing them here would tie models to views).
