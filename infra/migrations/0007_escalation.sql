-- Escalation: gaps close to their start are taken up by the service itself.
ALTER TABLE organisations
    ADD COLUMN escalation_enabled boolean NOT NULL DEFAULT true,
    -- How many candidates one round of a cover request asks.
    ADD COLUMN cover_batch_size integer NOT NULL DEFAULT 3 CHECK (cover_batch_size BETWEEN 1 AND 50);
