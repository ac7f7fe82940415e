"""Reminders that send themselves (issue 16): the worker's scheduler sends each chapter
secretariat a digest of what needs doing before the assembly's deadline, and the chair a
digest of the statements waiting too long for sign-off; once per recipient and period,
in the recipient's language; each account may turn them off on its account page."""
from flask import Blueprint

bp = Blueprint("reminders", __name__)
