-- A named set of prices that one or more clients are billed by, in one currency.
CREATE TABLE price_plan (
    id          UUID        PRIMARY KEY,
    operator_id UUID        NOT NULL REFERENCES operator (id),
    name        TEXT        NOT NULL,
    currency    CHAR(3)     NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (operator_id, name)
);
