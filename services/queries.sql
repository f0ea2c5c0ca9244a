-- name: act(actor_person, actor_org, via, now, is_local)!
-- Who the audit trail names for what the connection changes (migration 0016): for the session
-- (until the pool resets it), or, through a transaction pooler, for this transaction only.
SELECT set_config('volops.actor_person', :actor_person, :is_local),
       set_config('volops.actor_org', :actor_org, :is_local),
       set_config('volops.via', :via, :is_local),
       set_config('volops.now', :now, :is_local);
