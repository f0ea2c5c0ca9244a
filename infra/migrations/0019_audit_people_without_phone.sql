-- A row with no phone number (a volunteer without one, a text whose number retention removed) was
-- left out of the trail: masking its NULL number made the whole row NULL, so the change looked
-- like no change. A missing number now stays a JSON null.
CREATE OR REPLACE FUNCTION audit_shown(tbl text, item jsonb) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    key text;
BEGIN
    IF item IS NULL THEN
        RETURN NULL;
    END IF;
    item := item - 'token_hash' - 'key' - 'code_hash' - 'during';
    FOREACH key IN ARRAY ARRAY['phone', 'to_phone', 'from_phone'] LOOP
        IF item ? key THEN
            item := jsonb_set(item, ARRAY[key], coalesce(to_jsonb(mask_phone(item ->> key)), 'null'));
        END IF;
    END LOOP;
    IF (item ->> 'protected')::boolean THEN
        item := item - 'latitude' - 'longitude' || '{"address": "(protected)"}';
    END IF;
    RETURN item;
END $$;
