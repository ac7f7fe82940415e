"""`flask send-reminders`: the digests due now, as the worker's scheduler sends them every
hour (for a machine without the worker, or to see what would go)."""
from __future__ import annotations

import click

from ..db_types import utcnow
from ..domain.common import counted
from ..extensions import db
from .operations import send_digests


@click.command("send-reminders")
def send_reminders_command():
    """Send the reminder digests due now (each once per recipient and period)."""
    done = send_digests(utcnow())
    db.session.commit()
    click.echo(f"Sent {counted(len(done.sent), 'digest', 'digests')}; "
               f"{counted(done.already, 'digest', 'digests')} already sent for this period.")
