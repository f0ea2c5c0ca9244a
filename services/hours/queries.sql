-- name: hours_by_kind(organisation_id, first_day, next_month)
SELECT kind,
       round(sum(hours)::numeric, 2)::float8 AS hours,
       count(DISTINCT occurrence_id) AS occurrences,
       count(DISTINCT person_id) AS volunteers
FROM hours_ledger
WHERE organisation_id = :organisation_id AND local_date >= :first_day AND local_date < :next_month
GROUP BY kind
ORDER BY kind;
