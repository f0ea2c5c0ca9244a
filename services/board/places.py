"""The organisation's places: a list, a form to add one and one to change it. A protected place's
address is shown here, to the organisation's own coordinators, and nowhere else. The forms post the
API's own contract (PlaceCreate) to the same service functions."""

from __future__ import annotations

from urllib.parse import urlencode

from litestar import Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from schemas.scheduling import PlaceCreate
from services.http import PathId
from services.pages.session import Board, BoardPages
from services.places import service as places
from services.problems import ProblemError

# Where a refusal names no field itself: the field it is about.
FIELD_OF_CODE = {"half-coordinates": "latitude"}
EMPTY = PlaceCreate(name="")


async def _shown_again(board: Board, template: str, refused: ProblemError, **context) -> Template:
    """The form as it was sent, the refused field marked, nothing saved."""
    shown = board.refused(refused, FIELD_OF_CODE)
    form = await board.request.form()
    typed = {key: form.get(key, "") for key in ("name", "address", "latitude", "longitude")}
    return await board.page(
        template,
        status=shown.status,
        form=typed | {"protected": form.get("protected") == "true"},
        errors=shown.errors,
        **context,
    )


class PlaceController(BoardPages):
    path = "/board/places"

    @get("/")
    async def places_page(self, board: Board, saved: FromQuery[str | None] = None) -> Template:
        board.access.require_coordinator("see places")
        listed = await places.list_places(board.conn, board.access)
        return await board.page(
            "board/places.html", places=listed, form=EMPTY, errors={}, saved=saved, action="/board/places"
        )

    @post("/")
    async def add_place(self, board: Board) -> Response:
        try:
            made = await places.create(board.conn, board.access, await board.posted(PlaceCreate))
        except ProblemError as refused:
            listed = await places.list_places(board.conn, board.access)
            return await _shown_again(
                board, "board/places.html", refused, places=listed, saved=None, action="/board/places"
            )
        return Redirect(f"/board/places?{urlencode({'saved': made.name})}", status_code=303)

    @get("/{place_id:int}")
    async def place_page(self, board: Board, place_id: PathId) -> Template:
        place = await places.get(board.conn, board.access, place_id)
        return await board.page("board/place.html", form=place, errors={}, action=f"/board/places/{place_id}")

    @post("/{place_id:int}")
    async def change_place(self, board: Board, place_id: PathId) -> Response:
        try:
            changed = await places.update(board.conn, board.access, place_id, await board.posted(PlaceCreate))
        except ProblemError as refused:
            return await _shown_again(board, "board/place.html", refused, action=f"/board/places/{place_id}")
        return Redirect(f"/board/places?{urlencode({'saved': changed.name})}", status_code=303)
