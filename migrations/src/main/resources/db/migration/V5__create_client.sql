-- A tenant of the operator: a company whose requests are metered and invoiced.
CREATE TABLE client (
    id            UUID        PRIMARY KEY,
    operator_id   UUID        NOT NULL REFERENCES operator (id),
    slug          TEXT        NOT NULL,
    name          TEXT        NOT NULL,
    currency      CHAR(3)     NOT NULL,
    time_zone     TEXT        NOT NULL DEFAULT 'UTC',
    price_plan_id UUID        NOT NULL REFERENCES price_plan (id),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (operator_id, slug)
);
