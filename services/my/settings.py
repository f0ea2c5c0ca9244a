"""The rest of a volunteer's own page: her calendar link (subscribe, QR code, what to press in each
app, a new address if it leaked), when she can help (weekly times and days away), her settings
(language, SMS, reminder times) and her hours per month. The same services as the API."""

from __future__ import annotations

from urllib.parse import quote

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from schemas.forms import MyPhoneCodeForm, MyPhoneForm, MySettingsForm
from schemas.people import PersonUpdate
from services.access.service import Access
from services.availability import service as availability
from services.feeds import service as feeds
from services.hours import service as hours
from services.http import ClockDep, Conn, LinkKey, PublicBase
from services.my.session import ME, MeAccess, MePages, me_page, require_form_token
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
    async def calendar(
        self, request: Request, conn: Conn, me_access: MeAccess, public_base: PublicBase, link_key: LinkKey
    ) -> Template:
        kind = _feed_kind(me_access)
        current = await feeds.current_link(conn, me_access, kind, me_access.person_id, public_base, link_key)
        return await me_page(
            request,
            conn,
            me_access,
            "my/my_calendar.html",
            links=await _live_links(conn, me_access),
            can_show_again=current is not None,
            link=None,
        )

    @post("/calendar")
    async def show_calendar_link(
        self,
        request: Request,
        conn: Conn,
        clock: ClockDep,
        me_access: MeAccess,
        public_base: PublicBase,
        link_key: LinkKey,
    ) -> Template:
        """Her calendar link, shown on this page (no redirect, so no copy in the history): the one
        her calendar already has where it can be made again, else a new one while the old ones keep
        working, unless she asks to stop them because one leaked."""
        await require_form_token(request, conn)
        stop_old = (await request.form()).get("stop_old") == "1"
        kind = _feed_kind(me_access)
        async with conn.transaction():
            for old in await _live_links(conn, me_access) if stop_old else []:
                await feeds.revoke(conn, clock, me_access, old.id, request.app.state.feed_cache)
            before = {old.id for old in await _live_links(conn, me_access)}
            link = await feeds.current_or_new(conn, clock, me_access, kind, None, public_base, link_key)
        return await me_page(
            request,
            conn,
            me_access,
            "my/my_calendar.html",
            links=[],
            link=link,
            again=link.id in before,
            qr=pages.qr_svg(link.webcal_url),
            google=GOOGLE_ADD + quote(link.webcal_url, safe=""),
        )

    async def _availability(self, request, conn, access, rows, *, status=200, errors=None, saved=False):
        return await me_page(
            request,
            conn,
            access,
            "my/my_availability.html",
            status=status,
            rows=rows,
            errors=errors or {},
            saved=saved,
            action=f"{ME}/availability",
        )

    @get("/availability")
    async def availability_page(self, request: Request, conn: Conn, me_access: MeAccess) -> Template:
        person = await people.get_person(conn, me_access, me_access.person_id)
        held = await availability.get(conn, me_access, me_access.person_id)
        rows = availability_form.as_form(held, person.time_zone)
        return await self._availability(
            request, conn, me_access, rows, saved=bool(request.query_params.get("saved"))
        )

    @post("/availability")
    async def change_availability(self, request: Request, conn: Conn, me_access: MeAccess) -> Response:
        await require_form_token(request, conn)
        form = await request.form()
        person = await people.get_person(conn, me_access, me_access.person_id)
        try:
            data = availability_form.from_form(form, person.time_zone)
            await availability.replace(conn, me_access, me_access.person_id, data)
        except ProblemError as refused:
            shown = pages.refused_on_form(request, refused)
            return await self._availability(
                request,
                conn,
                me_access,
                availability_form.typed(form),
                errors=shown.errors,
                status=shown.status,
            )
        return Redirect(f"{ME}/availability?saved=1", status_code=303)

    async def _settings(
        self, request: Request, conn, clock, me_access: Access, *, problem: str = "", status: int = 200
    ) -> Template:
        person = await people.get_person_as_seen_by_self(conn, clock, me_access)
        return await me_page(
            request,
            conn,
            me_access,
            "my/my_settings.html",
            status=status,
            person=person,
            reminder_hours=", ".join(f"{m / 60:g}" for m in person.reminder_offsets_minutes or []),
            hours=await hours.of_person(conn, me_access, me_access.person_id, clock.now().date()),
            saved=bool(request.query_params.get("saved")),
            phone_problem=problem,
        )

    @get("/settings")
    async def settings(self, request: Request, conn: Conn, clock: ClockDep, me_access: MeAccess) -> Template:
        return await self._settings(request, conn, clock, me_access)

    @post("/settings/phone")
    async def change_phone(
        self, request: Request, conn: Conn, clock: ClockDep, me_access: MeAccess
    ) -> Response:
        """Her new number gets a code; it becomes hers when she types the code below."""
        await require_form_token(request, conn)
        try:
            form = pages.form_as(await request.form(), MyPhoneForm)
            await people.update_person(
                conn, clock, me_access, me_access.person_id, PersonUpdate(phone=form.phone)
            )
        except ProblemError as refused:
            return await self._refused_phone(request, conn, clock, me_access, refused)
        return Redirect(f"{ME}/settings#phone", status_code=303)

    @post("/settings/phone/code")
    async def prove_phone(
        self, request: Request, conn: Conn, clock: ClockDep, me_access: MeAccess
    ) -> Response:
        await require_form_token(request, conn)
        try:
            form = pages.form_as(await request.form(), MyPhoneCodeForm)
            await people.prove_phone(conn, clock, me_access, me_access.person_id, form.code)
        except ProblemError as refused:
            return await self._refused_phone(request, conn, clock, me_access, refused)
        return Redirect(f"{ME}/settings?saved=1#phone", status_code=303)

    async def _refused_phone(
        self, request, conn, clock, me_access: Access, refused: ProblemError
    ) -> Template:
        shown = pages.refused_on_form(request, refused)
        return await self._settings(
            request, conn, clock, me_access, problem=shown.problem, status=shown.status
        )

    @get("/export.zip")
    async def my_data(self, conn: Conn, clock: ClockDep, me_access: MeAccess) -> Response:
        """Everything held about her, in every organisation (JSON and CSVs)."""
        return zip_response(
            await export.export(conn, clock, me_access, me_access.person_id), me_access.person_id
        )

    @post("/settings")
    async def change_settings(
        self, request: Request, conn: Conn, clock: ClockDep, me_access: MeAccess
    ) -> Response:
        await require_form_token(request, conn)
        form = pages.form_as(await request.form(), MySettingsForm)
        change = PersonUpdate(
            language=form.language,
            sms_consent=form.sms_consent,
            reminder_offsets_minutes=pages.reminder_minutes(form.reminder_hours),
        )
        await people.update_person(conn, clock, me_access, me_access.person_id, change)
        chosen = [pages.language_cookie(form.language)]  # the page follows her new language at once
        return Redirect(f"{ME}/settings?saved=1", status_code=303, cookies=chosen)
