from sqlalchemy import func, select

from ima_portal.auth.models import User
from ima_portal.chapters.models import Chapter


def test_create_user_with_a_chapter(runner, db, make):
    make.chapter("IMA-USA")
    result = runner.invoke(args=["create-user", "maria@example.org", "--name", "Maria Santos",
                                 "--role", "secretariat", "--chapter", "ima-usa",
                                 "--password", "a long enough passphrase"])
    assert result.exit_code == 0, result.output
    assert "Created secretariat account maria@example.org for IMA-USA" in result.output
    user = db.session.scalar(select(User).where(User.email == "maria@example.org"))
    assert user.chapter.code == "IMA-USA" and not user.must_change_password


def test_create_user_prompts_for_the_password(runner, client, auth):
    result = runner.invoke(args=["create-user", "chair@example.org", "--name", "Ana Reyes",
                                 "--role", "chair"],
                           input="typed at the prompt ok\ntyped at the prompt ok\n")
    assert result.exit_code == 0, result.output
    assert auth.login("chair@example.org", "typed at the prompt ok").status_code == 302


def test_create_user_explains_what_is_wrong(runner, make):
    make.chapter("IMA-USA")
    cases = [
        (["--role", "secretariat"], "needs --chapter"),
        (["--role", "secretariat", "--chapter", "IMA-XX"], "no chapter has the code"),
        (["--role", "chair", "--chapter", "IMA-USA"], "leave out --chapter"),
        (["--role", "admin", "--password", "short"], "at least 12"),
        (["--role", "admin", "--password", "long enough phrase", "--timezone", "Mars/Base"],
         "unknown time zone"),
    ]
    for extra, message in cases:
        result = runner.invoke(args=["create-user", "x@example.org", "--name", "X"] + extra)
        assert result.exit_code != 0 and message in result.output, (extra, result.output)


def test_seed_demo_is_idempotent_and_its_printed_logins_work(runner, db, client, auth):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    counts = (db.session.scalar(select(func.count()).select_from(User)),
              db.session.scalar(select(func.count()).select_from(Chapter)))
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert counts == (db.session.scalar(select(func.count()).select_from(User)),
                      db.session.scalar(select(func.count()).select_from(Chapter)))
    assert first.output == second.output
    logins = [line.split()[:2] for line in first.output.splitlines() if "@" in line]
    roles = {db.session.scalar(select(User.role).where(User.email == e)).value
             for e, _ in logins}
    assert roles == {"secretariat", "chair", "admin"}
    assert db.session.scalar(select(Chapter).where(Chapter.code == "IMA-USA")) is not None
    regions = {c.region.code for c in db.session.scalars(select(Chapter))}
    assert len(regions) == 7
    for email, password in logins:
        assert auth.login(email, password).status_code == 302, email
        auth.logout()


def test_seed_demo_if_empty_leaves_a_used_database_alone(runner, db, make):
    make.user("admin")
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(Chapter)) == 0


def test_seed_demo_refuses_production(runner, app):
    app.config["IMA_ENV"] = "production"
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "does not run with IMA_ENV=production" in result.output


def test_seed_demo_never_puts_back_a_password_its_owner_changed(runner, db, client, auth):
    first = runner.invoke(args=["seed-demo"])
    email, password = next(line.split()[:2] for line in first.output.splitlines()
                           if line.strip().startswith("chair@"))
    auth.login(email, password)
    new = "the chair's own passphrase"
    client.post("/account", data={"current_password": password, "new_password": new,
                                  "confirm": new})
    auth.logout()
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "password changed since" in again.output and password not in again.output
    assert auth.login(email, new).status_code == 302


def test_seed_demo_leaves_a_recoded_chapter_alone(runner, db):
    runner.invoke(args=["seed-demo"])
    usa = db.session.scalar(select(Chapter).where(Chapter.code == "IMA-USA"))
    usa.code = "IMA-US"
    db.session.commit()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(Chapter)
                             .where(Chapter.code.in_(["IMA-US", "IMA-USA"]))) == 1
