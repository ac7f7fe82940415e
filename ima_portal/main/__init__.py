from flask import Blueprint

bp = Blueprint("main", __name__)

# The views are attached in create_app (importing them here would tie models to views).
