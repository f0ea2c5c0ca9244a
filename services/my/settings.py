"""The rest of a volunteer's own page: her calendar link (subscribe, QR code, what to press in each
app, a new address if it leaked), when she can help (weekly times and days away), her settings
(language, SMS, reminder times) and her hours per month. The same services as the API."""

from __future__ import annotations

from urllib.parse import quote

from litestar import Response, get, post
from litestar.response import Redirect, Template

from schemas.forms import MyPhoneCodeForm, MyPhoneForm, MySettingsForm
from schemas.people import PersonUpdate
from services.access.service import Access
from services.availability import service as availability
from services.feeds import service as feeds
from services.feeds.cache import FeedCaches
from services.hours import service as hours
from services.my.session import ME, Me, MePages
from services.pages import availability_form
from services.pages import render as pages
from services.pagination import Cursor
from services.people import service as people
from services.privacy import export
from services.privacy.routes import zip_response
from services.problems import ProblemError


def _feed_kind(access: Access) -> str:
    """A volunteer's calendar is her shifts; a partner contact's, the bookings of her rooms."""
    return "personal" if "volunteer" in access.roles else "venue"


async def _live_links(conn, access: Access) -> list:
    found = await feeds.list_links(conn, access, access.person_id, Cursor(0, 50))
    return [f for f in found.items if f.kind == _feed_kind(access) and f.revoked_at is None]


# Google Calendar adds a subscription from this address, in a phone's browser as on a computer.
GOOGLE_ADD = "https://calendar.google.com/calendar/render?cid="


class MineController(MePages):
    path = ME

    @get("/calendar")
    async def calendar(self, me: Me) -> Template:
        kind = _feed_kind(me.access)
        current = await feeds.current_link(
            me.conn, me.access, kind, me.access.person_id, me.public_base, me.link_key
        )
        return await me.page(
            "my/my_calendar.html",
            links=await _live_links(me.conn, me.access),
            can_show_again=current is not None,
            link=None,
        )

    @post("/calendar")
    async def show_calendar_link(self, me: Me, feed_cache: FeedCaches) -> Template:
        """Her calendar link, shown on this page (no redirect, so no copy in the history): the one
        her calendar already has where it can be made again, else a new one while the old ones keep
        working, unless she asks to stop them because one leaked."""
        form = await me.form()
        stop_old = form.get("stop_old") == "1"
        kind = _feed_kind(me.access)
        async with me.conn.transaction():
            for old in await _live_links(me.conn, me.access) if stop_old else []:
                await feeds.revoke(me.conn, me.clock, me.access, old.id, feed_cache)
            before = {old.id for old in await _live_links(me.conn, me.access)}
            link = await feeds.create(
                me.conn, me.clock, me.access, kind, None, me.public_base, me.link_key, current_if_any=True
            )
        return await me.page(
            "my/my_calendar.html",
            links=[],
            link=link,
            again=link.id in before,
            qr=pages.qr_svg(link.webcal_url),
            google=GOOGLE_ADD + quote(link.webcal_url, safe=""),
        )

    async def _availability(self, me: Me, rows, *, status=200, errors=None, saved=False):
        return await me.page(
            "my/my_availability.html",
            status=status,
            rows=rows,
            errors=errors or {},
            saved=saved,
            action=f"{ME}/availability",
        )

    @get("/availability")
    async def availability_page(self, me: Me) -> Template:
        person = await people.get_person(me.conn, me.access, me.access.person_id)
        held = await availability.get(me.conn, me.access, me.access.person_id)
        rows = availability_form.as_form(held, person.time_zone)
        return await self._availability(me, rows, saved=bool(me.request.query_params.get("saved")))

    @post("/availability")
    async def change_availability(self, me: Me) -> Response:
        form = await me.form()
        person = await people.get_person(me.conn, me.access, me.access.person_id)
        try:
            data = availability_form.from_form(form, person.time_zone)
            await availability.replace(me.conn, me.access, me.access.person_id, data)
        except ProblemError as refused:
            shown = me.refused(refused)
            return await self._availability(
                me, availability_form.typed(form), errors=shown.errors, status=shown.status
            )
        return Redirect(f"{ME}/availability?saved=1", status_code=303)

    async def _settings(self, me: Me, *, problem: str = "", status: int = 200) -> Template:
        person = await people.get_person_as_seen_by_self(me.conn, me.clock, me.access)
        return await me.page(
            "my/my_settings.html",
            status=status,
            person=person,
            reminder_hours=", ".join(f"{m / 60:g}" for m in person.reminder_offsets_minutes or []),
            hours=await hours.of_person(me.conn, me.access, me.access.person_id, me.clock.now().date()),
            saved=bool(me.request.query_params.get("saved")),
            phone_problem=problem,
        )

    @get("/settings")
    async def settings(self, me: Me) -> Template:
        return await self._settings(me)

    @post("/settings/phone")
    async def change_phone(self, me: Me) -> Response:
        """Her new number gets a code; it becomes hers when she types the code below."""
        form = await me.form()
        try:
            form = pages.form_as(form, MyPhoneForm)
            await people.update_person(
                me.conn, me.clock, me.access, me.access.person_id, PersonUpdate(phone=form.phone)
            )
        except ProblemError as refused:
            return await self._refused_phone(me, refused)
        return Redirect(f"{ME}/settings#phone", status_code=303)

    @post("/settings/phone/code")
    async def prove_phone(self, me: Me) -> Response:
        form = await me.form()
        try:
            form = pages.form_as(form, MyPhoneCodeForm)
            await people.prove_phone(me.conn, me.clock, me.access, me.access.person_id, form.code)
        except ProblemError as refused:
            return await self._refused_phone(me, refused)
        return Redirect(f"{ME}/settings?saved=1#phone", status_code=303)

    async def _refused_phone(self, me: Me, refused: ProblemError) -> Template:
        shown = me.refused(refused)
        return await self._settings(me, problem=shown.problem, status=shown.status)

    @get("/export.zip")
    async def my_data(self, me: Me) -> Response:
        """Everything held about her, in every organisation (JSON and CSVs)."""
        return zip_response(
            await export.export(me.conn, me.clock, me.access, me.access.person_id), me.access.person_id
        )

    @post("/settings")
    async def change_settings(self, me: Me) -> Response:
        form = await me.form()
        form = pages.form_as(form, MySettingsForm)
        change = PersonUpdate(
            language=form.language,
            sms_consent=form.sms_consent,
            reminder_offsets_minutes=pages.reminder_minutes(form.reminder_hours),
        )
        await people.update_person(me.conn, me.clock, me.access, me.access.person_id, change)
        chosen = [pages.language_cookie(form.language)]  # the page follows her new language at once
        return Redirect(f"{ME}/settings?saved=1", status_code=303, cookies=chosen)
