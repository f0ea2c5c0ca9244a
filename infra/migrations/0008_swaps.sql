-- Swaps: a volunteer offers their assignment to a named colleague or to anyone eligible; they keep
-- it until someone who passes every rule takes it.
CREATE TABLE swap_offers (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assignment_id bigint NOT NULL REFERENCES assignments ON DELETE CASCADE,
    offered_by    bigint NOT NULL REFERENCES people ON DELETE CASCADE,
    offered_to    bigint REFERENCES people ON DELETE CASCADE,  -- NULL: anyone eligible
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'taken', 'withdrawn')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    taken_by      bigint REFERENCES people ON DELETE SET NULL,
    taken_at      timestamptz,
    new_assignment_id bigint REFERENCES assignments ON DELETE SET NULL
);
CREATE UNIQUE INDEX swap_offers_one_open ON swap_offers (assignment_id) WHERE status = 'open';
