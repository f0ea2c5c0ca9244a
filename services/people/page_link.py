"""A volunteer's (or a partner contact's) own page needs no account: a personal link, texted to
them, signs that browser in. The link is an API token of theirs (only its hash is kept) that
expires after 30 days and is revoked with the person's other links."""

from __future__ import annotations

from datetime import timedelta

import asyncpg

from services.access import service as access_tokens
from services.clock import Clock
from services.notices import service as notices

LABEL = access_tokens.PAGE_LINK_LABEL
VALID = timedelta(days=30)
PATH = "/my"


# Where a link may open her page, besides her shifts (the page she lands on, never a wider scope).
OPENS = {"rooms": f"{PATH}/rooms"}


def sign_in_url(public_base: str, secret: str, opens: str | None = None) -> str:
    then = f"&then={opens}" if opens in OPENS else ""
    return f"{public_base}{PATH}/sign-in?token={secret}{then}"


async def issue(
    conn: asyncpg.Connection, clock: Clock, organisation_id: int, person_id: int
) -> tuple[int, str]:
    """A new page link's token: (its id, the secret for the link)."""
    token, secret = await access_tokens.issue_token(
        conn,
        clock,
        organisation_id=organisation_id,
        person_id=person_id,
        label=LABEL,
        expires_at=clock.now() + VALID,
        scope=access_tokens.PAGE_SCOPE,
    )
    return token.id, secret


async def send(
    conn: asyncpg.Connection, clock: Clock, organisation_id: int, person_id: int, public_base: str
) -> bool:
    """A fresh link texted to the person (its secret is in that SMS only); False, and no link made,
    when they cannot be texted (no number, no consent, opted out)."""
    if not await notices.reachable(conn, person_id):
        return False
    async with conn.transaction():
        token_id, secret = await issue(conn, clock, organisation_id, person_id)
        await notices.tell(
            conn,
            clock,
            person_id,
            key=f"page-link:{token_id}",
            template="page_link",
            organisation_id=organisation_id,
            before=clock.now() + timedelta(days=1),
            link=sign_in_url(public_base, secret),
        )
    return True


async def revoke(conn: asyncpg.Connection, clock: Clock, organisation_id: int, person_id: int) -> None:
    """Every page link of the person switched off (a leaked one, or on leaving)."""
    await access_tokens.revoke_labelled_tokens(conn, clock, organisation_id, person_id, LABEL)
