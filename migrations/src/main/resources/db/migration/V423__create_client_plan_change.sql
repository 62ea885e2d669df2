-- A client moved to another price plan from an instant on. The plan a client is billed by at instant t is that of
-- the latest change effective at or before t (of two for one instant, the later entry), else client.price_plan_id,
-- the plan it was created with. A change is only ever accepted for an instant not yet past, so no usage that was
-- rated already falls under a different plan; rows are never updated.
CREATE TABLE client_plan_change (
    id             UUID        PRIMARY KEY,
    client_id      UUID        NOT NULL REFERENCES client (id),
    price_plan_id  UUID        NOT NULL REFERENCES price_plan (id),
    effective_from TIMESTAMPTZ NOT NULL,
    revision       BIGINT      GENERATED ALWAYS AS IDENTITY UNIQUE,
    created_by     TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX client_plan_change_client_idx ON client_plan_change (client_id, effective_from);
CREATE INDEX client_plan_change_plan_idx ON client_plan_change (price_plan_id);
