-- A room request with the names that pages, texts and the API show beside it: defined once here for
-- every query that reads requests. (A view fixes r.* when it is made: a column added to
-- booking_requests later needs this view made again.)
CREATE VIEW named_booking_requests AS
SELECT r.*, a.title, a.time_zone, v.name AS venue_name, v.organisation_id AS venue_organisation_id,
       o.name AS borrower_name
FROM booking_requests r
JOIN activities a ON a.id = r.activity_id
JOIN venues v ON v.id = r.venue_id
JOIN organisations o ON o.id = r.organisation_id;

-- A date asked of a room, with its occurrence, the activity's title, the venue and the borrower.
CREATE VIEW named_bookings AS
SELECT b.*, o.local_date, o.starts_at, o.ends_at, a.title, v.name AS venue_name, v.address AS venue_address,
       v.protected, v.organisation_id AS venue_organisation_id, org.name AS borrower_name
FROM bookings b
JOIN venues v ON v.id = b.venue_id
JOIN occurrences o ON o.id = b.occurrence_id
JOIN activities a ON a.id = o.activity_id
JOIN booking_requests r ON r.id = b.request_id
JOIN organisations org ON org.id = r.organisation_id;
