"""Every table that holds a person's id (a column referencing people) or a phone number is known to
privacy: exported and erased or kept on purpose. A new table nobody declared fails here, before a
person's export misses it or her erasure leaves her behind."""

from pathlib import Path

QUERIES = (Path(__file__).resolve().parents[2] / "services" / "privacy" / "queries.sql").read_text()
# Tables that hold a person's id but are hers only through others, on purpose: the audit trail is
# scrubbed by name, the outbox and replies are matched by person_id (named below all the same).
KEPT_ON_PURPOSE = {
    "audit_log": "kept append-only; erasure replaces her name with a pseudonym (scrub_trail)",
    "memberships": "kept as former_volunteer so her hours stay in the reports",
    "assignments": "kept: her hours; exported as assignments_and_attendance",
    "people": "her own row, pseudonymised",
}


async def test_every_table_with_a_person_or_a_number_is_known_to_privacy(conn):
    holding = {
        r["table_name"]
        for r in await conn.fetch(
            """
            SELECT DISTINCT c.table_name FROM information_schema.columns c
            WHERE c.table_schema = 'public' AND (c.column_name LIKE '%phone%' OR c.table_name IN (
                SELECT tc.table_name FROM information_schema.table_constraints tc
                JOIN information_schema.constraint_column_usage u ON u.constraint_name = tc.constraint_name
                WHERE tc.constraint_type = 'FOREIGN KEY' AND u.table_name = 'people'))
            """
        )
    }
    unknown = sorted(t for t in holding - set(KEPT_ON_PURPOSE) if f" {t} " not in QUERIES.replace("\n", " "))
    assert not unknown, f"tables with a person's id or number that privacy/queries.sql never names: {unknown}"
    assert {"sessions", "phone_proofs", "report_links", "sms_replies", "sign_in_codes"} <= holding
