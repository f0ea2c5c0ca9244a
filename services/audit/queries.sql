-- name: act_as(person_id, organisation_id, via, now)!
-- Who the trail names for what this connection changes from now on (until it goes back to the
-- pool, which resets it to the process's default: api, job or cli).
SELECT set_config('volops.actor_person', :person_id, false),
       set_config('volops.actor_org', :organisation_id, false),
       set_config('volops.via', :via, false),
       set_config('volops.now', :now, false);

-- name: record(organisation_id, table_name, row_id, action, changes)!
-- A read that matters (a protected address shown, an export), or an erasure, by whoever acts.
INSERT INTO audit_log (at, organisation_id, actor_person_id, via, table_name, row_id, action, changes)
VALUES (audit_now(), :organisation_id, audit_setting('actor_person')::bigint,
        coalesce(audit_setting('via'), 'job'), :table_name, :row_id, :action, :changes);
