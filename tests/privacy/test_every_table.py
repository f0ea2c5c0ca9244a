"""Every table that holds a person's id (a column referencing people) or a phone number is declared
by the context that owns it (its privacy.py): exported, erased or kept on purpose, and purged in
time where it should be. A new table nobody declared fails here, before a person's export misses
it or her erasure leaves her behind."""

from services.privacy.owners import HOLDINGS, tables

HOLDING = """
    SELECT DISTINCT c.table_name FROM information_schema.columns c
    WHERE c.table_schema = 'public' AND (c.column_name LIKE '%phone%' OR c.table_name IN (
        SELECT tc.table_name FROM information_schema.table_constraints tc
        JOIN information_schema.constraint_column_usage u ON u.constraint_name = tc.constraint_name
        WHERE tc.constraint_type = 'FOREIGN KEY' AND u.table_name = 'people'))
"""


async def test_every_table_with_a_person_or_a_number_is_declared_by_a_context(conn):
    holding = {r["table_name"] for r in await conn.fetch(HOLDING)}
    assert {"sessions", "phone_proofs", "report_links", "sms_replies", "sign_in_codes", "outbox"} <= holding
    undeclared = sorted(holding - tables())
    assert not undeclared, (
        f"tables with a person's id or number that no context's privacy.py declares: {undeclared}"
    )


async def test_what_erasure_keeps_is_said_and_every_declared_table_exists(conn):
    existing = {
        r["tablename"]
        for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    }
    assert tables() <= existing
    unsaid = [h.section for h in HOLDINGS if h.erase is None and not h.kept]
    assert not unsaid, f"holdings erasure leaves alone without saying why: {unsaid}"
