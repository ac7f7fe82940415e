"""A person's data on request (the global secretariat): found by e-mail address,
exported as JSON, erased except what the ledgers and the record must keep
(`domain/privacy.py` says what and why)."""
from flask import Blueprint

bp = Blueprint("privacy", __name__)
