"""The ceiling `bench/load.py` measures the portal against: one bare Flask route, served by
the same gunicorn settings (`gunicorn -c gunicorn.conf.py bench.bare_app:app`)."""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index() -> str:
    return "ok"
