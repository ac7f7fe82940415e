"""Command-line tasks: `flask --app app create-user …`, `flask --app app seed-demo`."""
from __future__ import annotations

import click
from flask import Flask, current_app

from .domain import passwords
from .domain.roles import Role, role_needs_chapter
from .extensions import db
from .forms import common_timezones


def register_cli(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
    from .backup import backup_command, restore_command
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    from .letters.commands import erase_passport_data_command
    app.cli.add_command(erase_passport_data_command)
    from .reminders.commands import send_reminders_command
    app.cli.add_command(send_reminders_command)


@click.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]),
              help="secretariat (one chapter), chair, or admin (global secretariat).")
@click.option("--chapter", "chapter_code", default=None,
              help="Chapter code, such as IMA-USA (required for a secretariat).")
@click.option("--password", default=None,
              help="The password; asked for (hidden) when not given.")
@click.option("--timezone", default="UTC", show_default=True)
def create_user_command(email, name, role, chapter_code, password, timezone):
    """Create an account that can sign in at once."""
    from .auth import operations as accounts
    from .auth.queries import email_taken
    from .chapters.queries import all_chapters, by_code

    role = Role(role)
    chapter = None
    if chapter_code:
        chapter = by_code(chapter_code)
        if chapter is None:
            codes = ", ".join(c.code for c in all_chapters()) or "none yet"
            raise click.BadParameter(f"no chapter has the code {chapter_code!r} "
                                     f"(known: {codes}).", param_hint="--chapter")
    if role_needs_chapter(role) and chapter is None:
        raise click.BadParameter("a chapter secretariat needs --chapter CODE.",
                                 param_hint="--chapter")
    if not role_needs_chapter(role) and chapter is not None:
        raise click.BadParameter(f"the {role.value} role sees every chapter; leave out "
                                 "--chapter.", param_hint="--chapter")
    if timezone not in common_timezones():
        raise click.BadParameter(f"unknown time zone {timezone!r} (for example "
                                 "Asia/Hong_Kong).", param_hint="--timezone")
    if email_taken(email):
        raise click.BadParameter(f"an account with the e-mail {email} already exists.",
                                 param_hint="EMAIL")
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problems = passwords.problems(password, email=email, name=name)
    if problems:
        raise click.BadParameter(" ".join(problems), param_hint="--password")
    user = accounts.create_user(None, email=email, name=name, role=role, chapter=chapter,
                                password=password, timezone=timezone,
                                must_change_password=False)
    db.session.commit()
    where = f" for {chapter.code}" if chapter else ""
    click.echo(f"Created {user.role.value} account {user.email}{where}.")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True,
              help="Only add the demo when the database has no accounts yet; always print "
                   "the demo logins.")
def seed_demo_command(if_empty):
    """Add the demo data (idempotent) and print the demo logins, one per line."""
    from . import demo

    if current_app.config["IMA_ENV"] == "production":
        raise click.ClickException("seed-demo adds accounts with known passwords; it does not "
                                   "run with IMA_ENV=production.")
    logins = demo.seed(if_empty=if_empty)
    db.session.commit()
    click.echo("Demo logins (e-mail password):")
    for login in logins:
        if login.password:
            click.echo(f"  {login.email} {login.password}    # {login.label}")
        else:
            click.echo(f"  {login.email}    # {login.label}")
