"""One person's page on the board: her details (the same PersonUpdate as the API), qualifications,
reminders and limits, availability, hours, calendar links, her number's proof, and what a
coordinator does for her (her page link, her data, erasure, stepping down)."""

from __future__ import annotations

from urllib.parse import urlencode

from litestar import Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from schemas.forms import LimitsForm, MyPhoneCodeForm
from schemas.people import PersonQualificationCreate, PersonUpdate
from services.access.service import require_person_in_view
from services.assignments import attendance
from services.assignments import service as assignments
from services.board.people import person_form, shown_again
from services.checkins import service as checkins
from services.feeds import service as feeds
from services.feeds.cache import FeedCaches
from services.hours import service as hours
from services.http import PathId
from services.pages import render as pages
from services.pages.session import Board, BoardPages
from services.pagination import Cursor
from services.people import service as people
from services.privacy import erasure, export
from services.privacy.routes import zip_response
from services.problems import ProblemError, Unprocessable, refusals
from services.qualifications import service as qualifications
from services.rota import service as rota
from services.words import LANGUAGES, N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals({"not-reachable": N_("This person cannot be texted: no number, or no consent to SMS.")})


async def _about(conn, clock, access, person_id: int, sent: bool = False, freed: int | None = None) -> dict:
    """What a person's page shows beside the form: their qualifications, and the types to record."""
    person = await people.get_person(conn, access, person_id)
    mine = (
        await people.get_person_as_seen_by_self(conn, clock, access)
        if person_id == access.person_id
        else None
    )
    return {
        "person_id": person_id,
        "sent": sent,
        "freed": freed,
        "roles": person.roles,
        "reminder_hours": ", ".join(f"{m / 60:g}" for m in person.reminder_offsets_minutes or []),
        "no_reminders": person.reminder_offsets_minutes == [],
        # Her own new number waits for the code texted to it (a coordinator's own number too).
        "phone_waiting": mine.phone_waiting_for_code if mine else None,
        "max_hours": await rota.monthly_maximum(conn, access, person_id),
        "languages": LANGUAGES,
        "held": await qualifications.list_for_person(conn, access.organisation_id, person_id),
        "types": await qualifications.list_types(conn, access),
        "today": clock.now().date(),
        "hours": await hours.of_person(conn, access, person_id, clock.now().date()),
        "no_shows": await attendance.no_shows_of(conn, clock, access, person_id),
        "on_duty": "coordinator" in person.roles and await checkins.is_on_duty(conn, access, person_id),
        "calendar_links": [
            link
            for link in (await feeds.list_links(conn, access, person_id, Cursor(0, 20))).items
            if link.kind == "personal" and link.revoked_at is None
        ],
    }


async def _link_shown(board: Board, person_id: int, link) -> Template:
    """A calendar link's secret, shown this once (it is not kept): no redirect, so no copy in history."""
    person = await people.get_person(board.conn, board.access, person_id)
    return await board.page(
        "board/calendar_link.html", person=person, link=link, qr=pages.qr_svg(link.webcal_url)
    )


# The parts of her page that save on their own; after a save the page opens at that part and says so.
SECTIONS = pages.SavedParts(
    "/board/people/{}",
    {
        "phone": "phone-code",
        "limits": "limits-section",
        "on-duty": "on-duty-form",
        "qualifications": "qualifications",
        "calendar": "calendar-section",
    },
)


class PersonController(BoardPages):
    path = "/board/people"

    @get("/{person_id:int}")
    async def person_page(
        self,
        board: Board,
        person_id: PathId,
        sent: FromQuery[bool] = False,
        freed: FromQuery[int | None] = None,
        erased: FromQuery[bool] = False,
        saved: FromQuery[str | None] = None,
    ) -> Template:
        person = await people.get_person(board.conn, board.access, person_id)
        return await board.page(
            "board/person.html",
            form=person,
            errors={},
            erased=erased,
            saved=saved if saved in SECTIONS else None,
            **await _about(board.conn, board.clock, board.access, person_id, sent, freed),
        )

    @post("/{person_id:int}")
    async def change_person(self, board: Board, person_id: PathId) -> Response:
        form = await board.form()
        try:
            data = pages.form_as(person_form(form, new=False), PersonUpdate)
            changed = await people.update_person(board.conn, board.clock, board.access, person_id, data)
        except ProblemError as refused:
            about = await _about(board.conn, board.clock, board.access, person_id)
            return await shown_again(board, "board/person.html", refused, **about)
        if changed.phone_waiting_for_code:  # her own new number: the code texted to it comes next
            return Redirect(f"/board/people/{person_id}#phone-code", status_code=303)
        return Redirect(f"/board/people?{urlencode({'saved': changed.display_name})}", status_code=303)

    @post("/{person_id:int}/phone-code")
    async def prove_phone(self, board: Board, person_id: PathId) -> Response:
        """Her own new number, with the code texted to it: then it is her number."""
        try:
            form = await board.posted(MyPhoneCodeForm)
            await people.prove_phone(board.conn, board.clock, board.access, person_id, form.code)
        except ProblemError as refused:
            return await self._side_form_refused(board, person_id, refused)
        return SECTIONS.saved(person_id, "phone")

    @post("/{person_id:int}/limits")
    async def change_limits(self, board: Board, person_id: PathId) -> Response:
        """Reminder times and the monthly maximum, through the API's PersonUpdate and rota rule."""
        try:
            form = await board.posted(LimitsForm)
            offsets = [] if form.no_reminders else pages.reminder_minutes(form.reminder_hours)
            change = pages.form_as({"reminder_offsets_minutes": offsets}, PersonUpdate)
            async with board.conn.transaction():
                await people.update_person(board.conn, board.clock, board.access, person_id, change)
                await rota.set_monthly_maximum(board.conn, board.access, person_id, form.max_hours_per_month)
        except ProblemError as refused:
            return await self._side_form_refused(board, person_id, refused)
        return SECTIONS.saved(person_id, "limits")

    async def _side_form_refused(self, board: Board, person_id: int, refused: ProblemError):
        """A form beside her details (reminders and limits, her number's code) refused: her page
        again with her details as they are and the refused field marked."""
        shown = board.refused(refused)
        on_page = {"reminder_offsets_minutes": "reminder_hours"}
        errors = {on_page.get(field, field): words for field, words in shown.errors.items()}
        person = await people.get_person(board.conn, board.access, person_id)
        about = await _about(board.conn, board.clock, board.access, person_id)
        return await board.page("board/person.html", status=shown.status, form=person, errors=errors, **about)

    @post("/{person_id:int}/deactivate")
    async def deactivate(self, board: Board, person_id: PathId) -> Response:
        await board.form()
        freed = await assignments.stop_volunteering(board.conn, board.clock, board.access, person_id)
        return Redirect(f"/board/people/{person_id}?freed={freed}", status_code=303)

    @post("/{person_id:int}/page-link")
    async def page_link(self, board: Board, person_id: PathId) -> Response:
        """Text her a fresh link to her own page, or switch every link of hers off."""
        form = await board.form()
        if form.get("off"):
            await people.revoke_page_links(board.conn, board.clock, board.access, person_id)
            return Redirect(f"/board/people/{person_id}", status_code=303)
        if not await people.send_page_link(
            board.conn, board.clock, board.access, person_id, board.public_base
        ):
            raise Unprocessable("This person cannot be texted.", code="not-reachable")
        return Redirect(f"/board/people/{person_id}?sent=1", status_code=303)

    @get("/{person_id:int}/export.zip")
    async def export_person(self, board: Board, person_id: PathId) -> Response:
        """Everything the organisation holds about them, as the API's export (JSON and CSVs)."""
        return zip_response(await export.export(board.conn, board.clock, board.access, person_id), person_id)

    @post("/{person_id:int}/erase")
    async def erase_person(self, board: Board, person_id: PathId) -> Response:
        form = await board.form()
        if form.get("confirm") != "true":
            raise Unprocessable("Tick the box: erasing cannot be undone.", code="confirm-erasure")
        await erasure.erase(board.conn, board.clock, board.access, person_id)
        return Redirect(f"/board/people/{person_id}?erased=1", status_code=303)

    @post("/{person_id:int}/on-duty")
    async def on_duty(self, board: Board, person_id: PathId) -> Response:
        form = await board.form()
        await require_person_in_view(board.conn, board.access, person_id)
        on = form.get("on") == "true"
        await checkins.set_on_duty(board.conn, board.clock, board.access, person_id, on)
        return SECTIONS.saved(person_id, "on-duty")

    @post("/{person_id:int}/qualifications")
    async def record_qualification(self, board: Board, person_id: PathId) -> Response:
        data = await board.posted(PersonQualificationCreate)
        await require_person_in_view(board.conn, board.access, person_id)
        await qualifications.add_for_person(board.conn, board.clock, board.access, person_id, data)
        return SECTIONS.saved(person_id, "qualifications")

    @post("/{person_id:int}/calendar")
    async def make_calendar_link(self, board: Board, person_id: PathId) -> Response:
        form = await board.form()
        if form.get("send"):
            if (
                await feeds.send_personal(
                    board.conn, board.clock, board.access, person_id, board.public_base, board.link_key
                )
                is None
            ):
                raise Unprocessable("This person cannot be texted.", code="not-reachable")
            return Redirect(f"/board/people/{person_id}?sent=1", status_code=303)
        link = await feeds.create(
            board.conn, board.clock, board.access, "personal", person_id, board.public_base, board.link_key
        )
        return await _link_shown(board, person_id, link)

    @post("/{person_id:int}/calendar/{feed_id:int}/rotate")
    async def rotate_calendar_link(self, board: Board, person_id: PathId, feed_id: PathId) -> Response:
        await board.form()
        link = await feeds.rotate(
            board.conn, board.clock, board.access, feed_id, board.public_base, board.link_key
        )
        return await _link_shown(board, person_id, link)

    @post("/{person_id:int}/calendar/{feed_id:int}/off")
    async def switch_calendar_link_off(
        self, board: Board, feed_cache: FeedCaches, person_id: PathId, feed_id: PathId
    ) -> Response:
        await board.form()
        await feeds.revoke(board.conn, board.clock, board.access, feed_id, feed_cache)
        return SECTIONS.saved(person_id, "calendar")
