-- A model name that clients may request; prices and invoice lines refer to it.
CREATE TABLE model (
    id          UUID        PRIMARY KEY,
    operator_id UUID        NOT NULL REFERENCES operator (id),
    name        TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (operator_id, name)
);
