"""Demo statements, written for the demo (invented events and wording), taken through the
same operations as the screens: drafted, submitted, sent back, approved, translated."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..auth.models import User
from ..chapters import queries as chapter_services
from ..chapters.queries import alliance
from ..extensions import db
from ..statements import operations
from ..statements.content import revision_values
from ..statements.models import StatementRevision

IMD_BODY = """On this International Migrants Day, the International Migrants Alliance salutes the millions of migrants, refugees and displaced people who keep the world's homes, farms, ships and hospitals running, far from the families they support.

This year has brought no relief. Wars and disasters have driven millions more from their homes; debt and unemployment push whole communities to seek work abroad. Governments that depend on our remittances answer our needs with **higher fees, longer detention and faster deportation**.

We will not accept being treated as commodities to be exported and discarded. We demand:

- an end to the fees and debts that bind workers to agencies and employers;
- regular status and full labour rights for every migrant worker, whatever their papers;
- the closing of detention centres and a stop to mass deportations;
- real jobs and services at home, so that migration is a choice and not a necessity.

Our strength is our organizing. From the domestic workers of Hong Kong to the farmworkers of California, migrants are forming unions, associations and alliances. We call on every member organization to join the actions of 18 December and to bring more migrants into the movement."""

IMD_BODY_ES = """En este Día Internacional del Migrante, la Alianza Internacional de Migrantes saluda a los millones de migrantes, refugiados y desplazados que mantienen en marcha los hogares, campos, barcos y hospitales del mundo, lejos de las familias que sostienen.

Este año no ha traído alivio. Las guerras y los desastres han expulsado a millones de personas más de sus hogares; la deuda y el desempleo empujan a comunidades enteras a buscar trabajo en el extranjero. Los gobiernos que dependen de nuestras remesas responden a nuestras necesidades con **tarifas más altas, detenciones más largas y deportaciones más rápidas**.

No aceptaremos ser tratados como mercancías que se exportan y se desechan. Exigimos:

- el fin de las tarifas y deudas que atan a los trabajadores a agencias y empleadores;
- estatus regular y plenos derechos laborales para toda persona migrante, con o sin papeles;
- el cierre de los centros de detención y el fin de las deportaciones masivas;
- empleo digno y servicios en nuestros países, para que migrar sea una elección y no una necesidad.

Nuestra fuerza es la organización. Desde las trabajadoras del hogar de Hong Kong hasta los jornaleros agrícolas de California, los migrantes forman sindicatos, asociaciones y alianzas. Llamamos a cada organización miembro a sumarse a las acciones del 18 de diciembre y a traer más migrantes al movimiento."""

IMD_BODY_ID = """Pada Hari Migran Internasional ini, Aliansi Migran Internasional memberi hormat kepada jutaan migran, pengungsi dan orang terlantar yang menjaga rumah, ladang, kapal dan rumah sakit dunia tetap berjalan, jauh dari keluarga yang mereka hidupi.

Tahun ini tidak membawa keringanan. Perang dan bencana telah mengusir jutaan orang lagi dari rumah mereka; utang dan pengangguran mendorong seluruh komunitas mencari kerja di luar negeri.

Kami tidak akan menerima diperlakukan sebagai komoditas. Kami menuntut diakhirinya biaya penempatan yang menjerat, status reguler dan hak-hak buruh penuh bagi setiap buruh migran, serta penutupan pusat-pusat penahanan."""

MAYDAY_BODY_V1 = """On this International Workers' Day, IMA-USA marches with the workers of every country who build this nation's wealth and are denied its protections.

Migrant workers pick the crops, clean the offices and care for the children and the elderly of this country. Many of them work without papers, without overtime and without the right to organize without fear. Employers use the threat of deportation to keep wages low and to break every attempt at organizing, and the agencies that recruit workers abroad charge fees that take a year of wages to repay. In the fields, workers collapse in the heat while growers refuse them water and shade.

We call on all our member organizations to join the May Day marches in their cities."""

MAYDAY_BODY_V2 = """On this International Workers' Day, IMA-USA marches with the workers of every country who build this nation's wealth and are denied its protections.

Migrant workers pick the crops, clean the offices and care for the children and the elderly of this country. Employers use the threat of deportation to keep wages low and to break organizing.

This summer, farmworkers will again labour in deadly heat. We join the farmworker unions' campaign for an **enforceable heat standard**: water, shade and rest for every worker in the fields.

We call on all our member organizations to join the May Day marches in their cities and to sign the heat standard petition."""

IWD_BODY = """On International Women's Day, IMA-Canada honours the migrant women who care for Canada's children, elderly and sick, often while caring for their own families from thousands of kilometres away.

Caregivers under the temporary programmes are tied to one employer and wait years for permanent residence. We demand landed status on arrival and an end to employer-tied permits."""

RESPONSE_BODY = """The International Migrants Alliance condemns the order to deport the striking shipyard workers, issued a week after they organized their union.

Deportation must never be a weapon against workers who organize. We call on the government to withdraw the order and on every member organization to send messages of solidarity."""


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _exists(headline: str) -> bool:
    return db.session.scalar(select(StatementRevision.id).where(
        StatementRevision.headline == headline).limit(1)) is not None


def _values(**fields) -> dict:
    settings = alliance()
    values = {"partners": "", "subheadlines": "", "occasion": "other", "dateline_place": "",
              "issued_on": None, "body": "", "slogans": "", "hashtags": "",
              "reference_name": settings.reference_name,
              "reference_title": settings.reference_title}
    values.update(fields)
    return values


def seed_statements() -> None:
    """Adds the demo statements that are missing. The caller commits."""
    admin, chair = _user("admin@example.org"), _user("chair@example.org")
    usa, canada = _user("secretariat.usa@example.org"), _user("secretariat.canada@example.org")
    if not all((admin, chair, usa, canada)):
        return
    settings = alliance()
    if not settings.reference_name:
        settings.reference_name = chair.name
        db.session.flush()

    def save(user, statement, **changes):
        values = revision_values(statement.current)
        values.update(changes)
        return operations.save(user, statement, values,
                             base_revision_id=statement.current_revision_id)

    headline = "Migrants are not commodities! Defend our rights, end forced migration!"
    if not _exists(headline):
        imd = operations.create_statement(admin, issuer_chapter_id=None, language="en", values=_values(
            headline=headline, occasion="migrants_day",
            subheadlines="Statement of the International Migrants Alliance on International Migrants Day",
            dateline_place="Hong Kong", issued_on=date(2022, 12, 18), body=IMD_BODY,
            slogans="Migrants' rights are human rights!\nJunk forced migration!\nLong live international solidarity!",
            hashtags="#MigrantsDay #IMD2022 #JunkForcedMigration"))
        bahasa = operations.create_translation(admin, imd, "id")
        save(admin, bahasa, headline="Migran bukan komoditas! Bela hak-hak kami, hentikan migrasi paksa!",
             subheadlines="Pernyataan Aliansi Migran Internasional pada Hari Migran Internasional",
             body=IMD_BODY_ID, slogans="Hak migran adalah hak asasi manusia!\nHidup solidaritas internasional!",
             reference_title="Ketua IMA")
        save(admin, imd, slogans="Migrants' rights are human rights!\nJunk forced migration!\n"
             "Build the migrants' movement!\nLong live international solidarity!")
        operations.submit(admin, imd)
        operations.approve(chair, imd, revision_id=imd.current_revision_id)
        operations.publish(admin, imd)
        spanish = operations.create_translation(admin, imd, "es")
        save(admin, spanish, headline="¡Los migrantes no somos mercancías! ¡Defendamos nuestros derechos, alto a la migración forzada!",
             subheadlines="Declaración de la Alianza Internacional de Migrantes en el Día Internacional del Migrante",
             body=IMD_BODY_ES, slogans="¡Los derechos de los migrantes son derechos humanos!\n¡Alto a la migración forzada!\n"
             "¡Construyamos el movimiento migrante!\n¡Viva la solidaridad internacional!",
             reference_title="presidenta de la IMA")
        operations.submit(admin, spanish)
        operations.approve(chair, spanish, revision_id=spanish.current_revision_id)

    usa_chapter = chapter_services.by_code("IMA-USA")
    headline = "Workers of all countries, unite! Migrant workers march on May Day"
    if usa_chapter is not None and not _exists(headline):
        mayday = operations.create_statement(usa, issuer_chapter_id=usa_chapter.id, language="en", values=_values(
            headline=headline, occasion="workers_day", dateline_place="New York",
            issued_on=date(2023, 5, 1), body=MAYDAY_BODY_V1,
            slogans="An injury to one is an injury to all!\nLegalization for all!",
            hashtags="#MayDay #MayDay2023 #HeatStandardNow"))
        operations.submit(usa, mayday)
        operations.request_changes(chair, mayday, text=(
            "Please name the farmworkers' heat standard campaign, since our hashtag already "
            "does, and shorten the second paragraph: the recruitment fees belong in our "
            "December statement."))
        save(usa, mayday, body=MAYDAY_BODY_V2)
        operations.submit(usa, mayday)

    canada_chapter = chapter_services.by_code("IMA-Canada")
    headline = "Care workers are workers: landed status now!"
    if canada_chapter is not None and not _exists(headline):
        iwd = operations.create_statement(canada, issuer_chapter_id=canada_chapter.id, language="en", values=_values(
            headline=headline, occasion="womens_day", dateline_place="Toronto",
            issued_on=date(2023, 3, 8), body=IWD_BODY,
            partners="Migrante Canada\nCaregivers' Action Network (invented for the demo)",
            slogans="Landed status now!\nWomen's rights are workers' rights!",
            hashtags="#IWD2023 #CareWorkersAreWorkers"))
        operations.submit(canada, iwd)
        operations.request_changes(chair, iwd, text=(
            "The partner names must be the ones they use themselves: please confirm both "
            "with their secretariats before resubmitting."))

    headline = "Withdraw the deportation order against the shipyard workers!"
    if not _exists(headline):
        operations.create_statement(admin, issuer_chapter_id=None, language="en", values=_values(
            headline=headline, occasion="response", dateline_place="Hong Kong",
            issued_on=date(2023, 6, 2), body=RESPONSE_BODY,
            slogans="Organizing is not a crime!", hashtags="#StopDeportations"))
    db.session.flush()
