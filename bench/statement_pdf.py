"""Statement PDF export: the portal against WeasyPrint alone, in one run.

Seeds a temporary SQLite database with an approved (signed) statement of about 600 words
(Spanish, with a French quotation, a list, slogans and hashtags), then times:
  - WeasyPrint alone     `HTML(...).write_pdf()` on exactly the HTML the portal renders
                         for that statement, with the portal's own fetcher, the fonts
                         stylesheet the documents service adds (`fonts_stylesheet`: the
                         same bundled fonts), a font configuration without system
                         fonts (`BundledFonts`), kept across renders, and the portal's
                         PDF options (`PDF_OPTIONS`: tagged, PDF/UA-1): the ceiling the
                         first export is held to
  - the same, untagged   WeasyPrint alone without `PDF_OPTIONS` (as before issue 13): what
                         tagging costs
  - first export         GET /statements/<id>.pdf through the WSGI app, its PDF not in
                         the store (the store is emptied before each run, outside the
                         timing); X-Document-Source: rendered
  - repeat export        the same GET with the PDF in the store; X-Document-Source: store
(1), (2) and the untagged render are interleaved, so that the machine's noise falls on all
alike. The goals (issue 5, "Speed"): a first export within 1.2x of WeasyPrint alone (ratio
of medians) and a repeat export under 10 ms (median). Exits 0 whatever the result unless --strict.

Run: .venv/bin/python bench/statement_pdf.py [--runs 7] [--repeat-runs 50] [--strict]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import delete, func, select  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402

from ima_portal import create_app  # noqa: E402
from ima_portal.auth.credentials import hash_password  # noqa: E402
from ima_portal.auth.models import User  # noqa: E402
from ima_portal.documents.models import StoredDocument  # noqa: E402
from ima_portal.documents.pdf import (  # noqa: E402
    PDF_OPTIONS,
    STATIC_ORIGIN,
    BundledFonts,
    PortalFetcher,
    fonts_stylesheet,
)
from ima_portal.domain.roles import Role  # noqa: E402
from ima_portal.domain.statements import Action  # noqa: E402
from ima_portal.extensions import db  # noqa: E402
from ima_portal.statements import operations, queries  # noqa: E402
from ima_portal.statements import pdf as printing  # noqa: E402
from ima_portal.statements.models import Statement  # noqa: E402

FIRST_RATIO_GOAL = 1.2
REPEAT_GOAL_MS = 10.0
PASSWORD = "bench passphrase"
BASE_URL = "http://localhost/"  # the test client's default host: the same external links

BODY = "\n\n".join((
    "En este Día Internacional del Migrante, la Alianza Internacional de Migrantes saluda a "
    "los millones de trabajadoras y trabajadores migrantes, refugiados y desplazados que "
    "mantienen en marcha los hogares, los campos, los barcos, las fábricas y los hospitales "
    "del mundo, lejos de las familias que sostienen con su esfuerzo. Su trabajo es la columna "
    "vertebral de economías enteras, y sin embargo se les niega la protección más básica.",
    "Este año no ha traído alivio. Las guerras, la crisis climática y los desastres han "
    "expulsado a millones de personas más de sus hogares; la deuda, la inflación y el "
    "desempleo empujan a comunidades enteras a buscar trabajo en el extranjero. Los gobiernos "
    "que dependen de nuestras remesas responden a nuestras necesidades con **tarifas más "
    "altas, detenciones más largas y deportaciones más rápidas**. En Asia, en Europa y en las "
    "Américas, la respuesta oficial a la migración sigue siendo el muro, el campamento y el "
    "avión de deportación.",
    "Las agencias de reclutamiento cobran comisiones que equivalen a un año de salario; los "
    "empleadores retienen pasaportes; las trabajadoras del hogar viven encerradas, sin día de "
    "descanso, sin horario y sin recurso. Los jornaleros agrícolas trabajan bajo un calor "
    "mortal mientras se les niega el agua y la sombra. Los pescadores pasan meses en alta mar "
    "sin paga. Nada de esto es accidental: es un sistema que convierte a las personas en "
    "mercancía.",
    "No aceptaremos ser tratados como mercancías que se exportan y se desechan. Exigimos:",
    "- el fin de las tarifas y deudas que atan a los trabajadores a agencias y empleadores;\n"
    "- estatus regular y plenos derechos laborales para toda persona migrante, con o sin "
    "papeles;\n"
    "- el cierre de los centros de detención y el fin de las deportaciones masivas;\n"
    "- la ratificación y el cumplimiento de los convenios de la OIT sobre el trabajo "
    "doméstico;\n"
    "- empleo digno y servicios públicos en nuestros países, para que migrar sea una elección "
    "y no una necesidad.",
    "Nuestras organizaciones hermanas en el mundo francófono lo dicen con claridad:",
    "> « Nous ne sommes pas des marchandises. Nous sommes des travailleuses et des "
    "travailleurs, des mères, des pères, des enfants : nous exigeons la régularisation de "
    "toutes et tous, la fermeture des centres de rétention et l'égalité des droits. Ce n'est "
    "qu'ensemble, en nous organisant, que nous ferons reculer les politiques qui nous "
    "exploitent et nous excluent. » — Coordination des sans-papiers, Île-de-France",
    "Nuestra fuerza es la organización. Desde las trabajadoras del hogar de Hong Kong hasta "
    "los jornaleros agrícolas de California, desde los marinos de Manila hasta las cuidadoras "
    "de Madrid y de Montréal, los migrantes forman sindicatos, asociaciones y alianzas. Cada "
    "victoria, por pequeña que sea, se ha ganado con la acción colectiva: un salario mínimo "
    "respetado, un día de descanso reconocido, una deportación detenida, una familia reunida.",
    "Hacemos un llamado a cada organización miembro a sumarse a las acciones del 18 de "
    "diciembre: marchas, vigilias, foros y asambleas en cada ciudad donde vivimos y "
    "trabajamos. Llevemos nuestras demandas a los parlamentos, a los consulados y a las "
    "calles. Traigamos más migrantes al movimiento, y tendamos la mano a los sindicatos, a las "
    "iglesias, a los estudiantes y a todas las personas que luchan por la justicia.",
    "¡Que nadie se quede atrás! Con la unidad de los pueblos, la solidaridad entre países de "
    "origen y de destino, y la organización de base, construiremos un mundo en el que nadie "
    "tenga que abandonar su tierra para sobrevivir, y en el que quien migra sea tratado con la "
    "dignidad y los derechos que le corresponden.",
))


def statement_values() -> dict:
    return {"partners": "", "headline": "¡Migrantes no somos mercancía! Día Internacional del "
            "Migrante", "subheadlines": "Organizarnos, resistir, transformar\nDerechos plenos "
            "para todas y todos, con o sin papeles",
            "occasion": "migrants_day", "dateline_place": "Hong Kong",
            "issued_on": date(2022, 12, 18), "body": BODY,
            "slogans": "¡Los derechos de los migrantes son derechos humanos!\n¡Alto a las "
            "deportaciones!\n¡Viva la solidaridad internacional!",
            "hashtags": "#DíaDelMigrante #MigrantesNoSomosMercancía #IMA2022",
            "reference_name": "Ana Reyes", "reference_title": "Presidenta de la IMA"}


def seed() -> int:
    """An admin (who logs in), a chair, and an approved statement of the alliance."""
    admin = User(email="bench-admin@example.org", name="Bench Admin", role=Role.ADMIN,
                 password_hash=hash_password(PASSWORD))
    chair = User(email="bench-chair@example.org", name="Eni Lestari Andayani",
                 role=Role.CHAIR, password_hash=hash_password(PASSWORD))
    db.session.add_all([admin, chair])
    db.session.commit()
    statement = operations.create_statement(admin, issuer_chapter_id=None, language="es",
                                          values=statement_values())
    operations.transition(admin, statement, Action.SUBMIT)
    operations.transition(chair, statement, Action.APPROVE,
                        revision_id=statement.current_revision_id)
    db.session.commit()
    assert queries.signed_off(statement) is not None, "the statement is not signed off"
    return statement.id


def portal_html(app, statement_id: int) -> str:
    """The HTML the portal renders for the statement's PDF, in a request on the same host
    as the test client's (so that the verification links are the same)."""
    with app.test_request_context(base_url=BASE_URL):
        statement = db.session.get(Statement, statement_id)
        html = printing.statement_html(statement, "A4")
        db.session.rollback()
        return html


def empty_store(app) -> None:
    with app.app_context():
        db.session.execute(delete(StoredDocument))
        db.session.commit()


def stored_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(StoredDocument))


# WeasyPrint at its best on this HTML: one font configuration kept across renders, as
# the portal keeps its own (the fonts are loaded once, not on every render).
ALONE_FONTS = BundledFonts()


def weasyprint_alone(html: str, fonts_css: str, static_folder: str,
                     options: dict | None = None) -> tuple[float, bytes]:
    """`fonts_css`: the fonts stylesheet the documents service adds to this HTML, made
    once outside the timing (choosing it is the portal's work, parsing it WeasyPrint's);
    `options`: WeasyPrint's (default: the portal's `PDF_OPTIONS`)."""
    options = PDF_OPTIONS if options is None else options
    start = time.perf_counter()
    fetcher = PortalFetcher(static_folder)
    fonts = CSS(string=fonts_css, base_url=STATIC_ORIGIN + "/", url_fetcher=fetcher,
                font_config=ALONE_FONTS)
    data = HTML(string=html, base_url=STATIC_ORIGIN + "/", url_fetcher=fetcher).write_pdf(
        stylesheets=[fonts], font_config=ALONE_FONTS, **options)
    return (time.perf_counter() - start) * 1000, data


def export(client, url: str, source: str) -> tuple[float, bytes]:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    assert response.headers.get("X-Document-Source") == source, \
        (url, response.headers.get("X-Document-Source"), "expected", source)
    return elapsed, response.data


def check_same_html(app, client, url: str, html: str) -> None:
    """Once, outside the timing: the page the route hands to WeasyPrint is the HTML that
    WeasyPrint alone is timed on."""
    seen: list[str] = []
    original = printing.statement_html

    def spy(statement, paper):
        seen.append(original(statement, paper))
        return seen[-1]

    printing.statement_html = spy
    try:
        empty_store(app)
        export(client, url, "rendered")
    finally:
        printing.statement_html = original
    assert seen == [html], "the portal rendered different HTML from the one timed alone"


def row(label: str, times: list[float]) -> str:
    return (f"{label:34} {statistics.median(times):10.1f} {min(times):8.1f} "
            f"{max(times):8.1f} {len(times):5d}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7,
                        help="runs of WeasyPrint alone and of the first export (each)")
    parser.add_argument("--repeat-runs", type=int, default=50)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a goal is missed")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="ima-bench-")
    try:
        return run(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace, folder: str) -> int:
    app = create_app({"IMA_ENV": "testing", "SECRET_KEY": "bench",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3"},
                     instance_path=folder)
    with app.app_context():
        upgrade()
        statement_id = seed()
    html = portal_html(app, statement_id)
    words = len(BODY.split())

    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    login = client.post("/login", data={"email": "bench-admin@example.org",
                                        "password": PASSWORD, "csrf_token": token})
    assert login.status_code in (302, 303), ("login failed", login.status_code)
    url = f"/statements/{statement_id}.pdf"

    # Warm-ups: the first WeasyPrint call sets up Pango and fontconfig; the first request
    # fills the portal's caches (the bundled WOFF2 fonts decoded once per process).
    fonts_css = fonts_stylesheet(html, app.static_folder)
    _ms, alone_pdf = weasyprint_alone(html, fonts_css, app.static_folder)
    check_same_html(app, client, url, html)
    empty_store(app)
    _ms, first_pdf = export(client, url, "rendered")
    _ms, repeat_pdf = export(client, url, "store")
    assert repeat_pdf == first_pdf, "the stored PDF differs from the one rendered"

    alone, first, untagged = [], [], []
    for _ in range(args.runs):
        ms, _data = weasyprint_alone(html, fonts_css, app.static_folder)
        alone.append(ms)
        untagged.append(weasyprint_alone(html, fonts_css, app.static_folder, {})[0])
        empty_store(app)
        ms, _data = export(client, url, "rendered")
        first.append(ms)
    assert stored_count(app) == 1, "the first export did not keep its PDF in the store"
    repeat = [export(client, url, "store")[0] for _ in range(args.repeat_runs)]

    print(f"statement: {words} words of body (es, with a French quotation), signed; "
          f"HTML {len(html) / 1024:.0f} KiB; PDF {len(first_pdf) / 1024:.0f} KiB "
          f"(WeasyPrint alone: {len(alone_pdf) / 1024:.0f} KiB)")
    print(f"{'export':34} {'median ms':>10} {'min':>8} {'max':>8} {'runs':>5}")
    print(row("WeasyPrint alone (the ceiling)", alone))
    print(row("portal, first export (rendered)", first))
    print(row("portal, repeat export (store)", repeat))
    print(row("WeasyPrint alone, untagged", untagged))
    ratio = statistics.median(first) / statistics.median(alone)
    repeat_ms = statistics.median(repeat)
    first_ok = ratio <= FIRST_RATIO_GOAL
    repeat_ok = repeat_ms < REPEAT_GOAL_MS
    print(f"first export / WeasyPrint alone: {ratio:.2f}x (goal <= {FIRST_RATIO_GOAL}x): "
          f"{'PASS' if first_ok else 'FAIL'}")
    print(f"repeat export: {repeat_ms:.1f} ms median (goal < {REPEAT_GOAL_MS:.0f} ms): "
          f"{'PASS' if repeat_ok else 'FAIL'}")
    print(f"tagging (PDF/UA-1) / untagged, WeasyPrint alone: "
          f"{statistics.median(alone) / statistics.median(untagged):.2f}x")
    return 1 if args.strict and not (first_ok and repeat_ok) else 0


if __name__ == "__main__":
    sys.exit(main())
