-- Rota: a volunteer's monthly maximum, respected when candidates for a gap are ranked.
ALTER TABLE people
    ADD COLUMN max_hours_per_month integer CHECK (max_hours_per_month BETWEEN 0 AND 744);
