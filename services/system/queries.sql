-- name: outbox_by_state()
-- SMS in the outbox by state: pending and unknown rows piling up are what to alert on.
SELECT status, count(*) AS n FROM outbox GROUP BY status;

-- name: reminder_lateness(since)^
-- How late reminders went out in the last hour: when a send began against when it was due.
SELECT count(*) AS n,
       coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM send_started_at - due_at)), 0) AS p50,
       coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM send_started_at - due_at)), 0) AS p99
FROM outbox
WHERE kind = 'reminder' AND send_started_at >= :since;
