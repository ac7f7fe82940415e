"""`flask erase-passport-data [--days N]`: the command line calls the same operation as
anything else would, and commits itself."""
from __future__ import annotations

import click
from flask import current_app

from ..db_types import utcnow
from ..domain.common import counted
from ..extensions import db
from . import operations


@click.command("erase-passport-data")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Erase the passport data of letters whose assembly ended more than this "
                   "many days ago (default: PASSPORT_DATA_KEEP_DAYS, 90).")
def erase_passport_data_command(days):
    """Erase passport numbers, dates of birth and nationalities of visa letters after the
    assembly; the letters and their verification stay."""
    keep = days if days is not None else current_app.config["PASSPORT_DATA_KEEP_DAYS"]
    erased = operations.erase_passport_data(None, utcnow().date(), keep)
    db.session.commit()
    click.echo(f"Erased the passport data of {counted(erased, 'letter', 'letters')} of "
               f"assemblies that ended more than {counted(keep, 'day', 'days')} ago.")
