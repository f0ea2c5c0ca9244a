-- name: insert_subscription(kind, organisation_id, person_id, token_hash, link_nonce, created_by, now)^
INSERT INTO feed_subscriptions (kind, organisation_id, person_id, token_hash, link_nonce, created_by,
                                created_at)
VALUES (:kind, :organisation_id, :person_id, :token_hash, :link_nonce, :created_by, :now)
RETURNING id, kind, organisation_id, person_id, created_at, revoked_at, last_polled_at;

-- name: working_links_of(organisation_id, person_id, kind)
-- A person's working links of a kind, newest first: her own calendar's, or (a feed that is no
-- one's, like a congregation's rooms) the ones she made.
SELECT id, kind, organisation_id, person_id, created_at, revoked_at, last_polled_at, token_hash,
       link_nonce
FROM feed_subscriptions
WHERE organisation_id = :organisation_id AND kind = :kind AND revoked_at IS NULL
  AND (person_id = :person_id OR (person_id IS NULL AND created_by = :person_id))
ORDER BY id DESC;

-- name: list_subscriptions(organisation_id, person_id, after_id, limit)
-- person_id NULL: every feed made in the organisation (coordinators).
SELECT id, kind, organisation_id, person_id, created_at, revoked_at, last_polled_at
FROM feed_subscriptions
WHERE organisation_id = :organisation_id AND (:person_id::bigint IS NULL OR person_id = :person_id)
  AND id > :after_id
ORDER BY id
LIMIT :limit;

-- name: get_subscription(organisation_id, id)^
SELECT id, kind, organisation_id, person_id, created_by, created_at, revoked_at, last_polled_at
FROM feed_subscriptions WHERE organisation_id = :organisation_id AND id = :id;

-- name: revoke_subscription(id, now)!
UPDATE feed_subscriptions SET revoked_at = coalesce(revoked_at, :now) WHERE id = :id;

-- name: find_subscription(token_hash)^
SELECT f.id, f.kind, f.organisation_id, f.person_id, f.revoked_at,
       o.name AS organisation_name, o.default_language, o.kind AS organisation_kind,
       p.display_name AS person_name, p.language AS person_language,
       -- a person's feed shows her shifts in every organisation she is in
       coalesce((SELECT array_agg(m.organisation_id) FROM memberships m WHERE m.person_id = f.person_id), '{}')
           AS person_organisations
FROM feed_subscriptions f
JOIN organisations o ON o.id = f.organisation_id
LEFT JOIN people p ON p.id = f.person_id
WHERE f.token_hash = :token_hash;

-- name: touch_subscription(id, now)!
UPDATE feed_subscriptions SET last_polled_at = :now WHERE id = :id;

-- name: personal_events(person_id, window_start, window_end, cancelled_since)
-- A person's shifts across all their organisations; co-volunteers by first name only.
SELECT o.id, o.sequence, o.status, o.starts_at, o.ends_at, o.updated_at AS changed_at,
       a.organisation_id, a.title, a.description, a.kind, r.name AS role_name,
       pl.name AS place_name, pl.address AS place_address, coalesce(pl.protected, false) AS protected,
       dp.name AS dropoff_name, dp.address AS dropoff_address, coalesce(dp.protected, false) AS dropoff_protected,
       coalesce((SELECT array_agg(split_part(other.display_name, ' ', 1) ORDER BY other.display_name)
                 FROM assignments co JOIN people other ON other.id = co.person_id
                 WHERE co.occurrence_id = o.id AND co.status = 'active' AND co.person_id <> :person_id),
                '{}') AS co_volunteers
FROM assignments asg
JOIN occurrences o ON o.id = asg.occurrence_id
JOIN activities a ON a.id = o.activity_id
JOIN activity_roles r ON r.id = asg.activity_role_id
LEFT JOIN places pl ON pl.id = o.place_id
LEFT JOIN places dp ON dp.id = (a.details #>> '{food_pickup,dropoff_place_id}')::bigint  -- the drop-off of a pickup
WHERE asg.person_id = :person_id AND asg.status = 'active'
  AND o.starts_at >= :window_start AND o.starts_at < :window_end
  AND (o.status = 'scheduled' OR o.updated_at >= :cancelled_since)
ORDER BY o.starts_at, o.id;

-- name: staffed_events(organisation_id, occurrence_ids, window_start, window_end, cancelled_since)
-- Occurrences with each role's staffing, for an organisation's own activities and those shared
-- with it (one plan), or the given ids.
SELECT o.id, o.sequence, o.status, o.starts_at, o.ends_at,
       greatest(o.updated_at, (SELECT max(greatest(x.created_at, x.ended_at)) FROM assignments x
                               WHERE x.occurrence_id = o.id)) AS changed_at,
       a.organisation_id, a.title, a.description, a.kind, a.participant_capacity,
       pl.name AS place_name, pl.address AS place_address, coalesce(pl.protected, false) AS protected,
       (SELECT json_agg(json_build_object(
                   'name', r.name, 'min', r.min_people, 'max', r.max_people,
                   'taken', (SELECT count(*) FROM assignments x
                             WHERE x.occurrence_id = o.id AND x.activity_role_id = r.id AND x.status = 'active'))
               ORDER BY r.id)
        FROM activity_roles r WHERE r.activity_id = a.id)::text AS staffing
FROM occurrences o
JOIN activities a ON a.id = o.activity_id
LEFT JOIN places pl ON pl.id = o.place_id
WHERE (:organisation_id::bigint IS NULL OR a.organisation_id = :organisation_id
       OR EXISTS (SELECT 1 FROM activity_shares s WHERE s.activity_id = a.id AND s.organisation_id = :organisation_id))
  AND (:occurrence_ids::bigint[] IS NULL OR o.id = ANY(:occurrence_ids::bigint[]))
  AND o.starts_at >= :window_start AND o.starts_at < :window_end
  AND (o.status = 'scheduled' OR o.updated_at >= :cancelled_since)
ORDER BY o.starts_at, o.id;

-- name: revoke_made_by(organisation_id, created_by, now)!
UPDATE feed_subscriptions SET revoked_at = :now
WHERE organisation_id = :organisation_id AND created_by = :created_by AND revoked_at IS NULL;

-- What this context holds about a person (services/feeds/privacy.py).

-- name: export_feeds(person_id, organisation_id)
SELECT to_jsonb(f) - 'token_hash' AS item FROM feed_subscriptions f
WHERE (f.person_id = :person_id OR f.created_by = :person_id)
  AND (:organisation_id::bigint IS NULL OR f.organisation_id = :organisation_id)
ORDER BY f.id;

-- name: revoke_feeds_of(person_id, now)!
UPDATE feed_subscriptions SET revoked_at = coalesce(revoked_at, :now) WHERE person_id = :person_id;
