"""`ima_portal/domain/` stays plain Python: no flask, no sqlalchemy, no portal module
outside domain/, directly or through a module it imports."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "ima_portal" / "domain"
FORBIDDEN = ("flask", "sqlalchemy", "werkzeug", "wtforms", "jinja2", "alembic", "ima_portal")


def forbidden_imports(source: str) -> list[str]:
    """The imports in `source` that a domain module must not have."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level > 1:  # `from .. import x` leaves the domain package
                found.append("." * node.level + (node.module or ""))
                continue
            names = [node.module or ""] if node.level == 0 else []
        else:
            continue
        for name in names:
            root = name.split(".")[0]
            if root in FORBIDDEN or root.startswith("flask_"):
                found.append(name)
    return found


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("**/*.py")), ids=lambda p: p.name)
def test_domain_module_imports_no_framework(path):
    assert forbidden_imports(path.read_text()) == []


def test_domain_has_modules():
    assert len(list(DOMAIN.glob("*.py"))) >= 4


@pytest.mark.parametrize("source", [
    "import flask",
    "from flask import request",
    "import sqlalchemy.orm",
    "from sqlalchemy import select",
    "from flask_login import current_user",
    "from ..extensions import db",
    "from ima_portal.extensions import db",
    "def f():\n    import sqlalchemy\n",
])
def test_checker_catches_framework_imports(source):
    assert forbidden_imports(source)


@pytest.mark.parametrize("source", [
    "import math", "from .common import Decision", "from datetime import datetime",
    "from . import roles",
])
def test_checker_allows_plain_python(source):
    assert forbidden_imports(source) == []
