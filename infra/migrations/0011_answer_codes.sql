-- Every assignment has a short code its SMS carry ("Svara NEJ 4821"), so an answer acts on exactly
-- the shift it was about. Unique among the person's current assignments; four digits like cover
-- requests' codes (an answer's code is looked up among the person's cover asks first).
ALTER TABLE assignments ADD COLUMN code text CHECK (code ~ '^[1-9][0-9]{3}$');

CREATE FUNCTION assignment_code() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.code IS NULL THEN
        LOOP
            NEW.code := (1000 + floor(random() * 9000))::int::text;
            EXIT WHEN NOT EXISTS (
                SELECT 1 FROM assignments
                WHERE person_id = NEW.person_id AND status = 'active' AND code = NEW.code
            );
        END LOOP;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER assignments_code BEFORE INSERT ON assignments
    FOR EACH ROW EXECUTE FUNCTION assignment_code();

UPDATE assignments SET code = (1000 + floor(random() * 9000))::int::text WHERE code IS NULL;
ALTER TABLE assignments ALTER COLUMN code SET NOT NULL;
CREATE INDEX assignments_person_code ON assignments (person_id, code) WHERE status = 'active';
