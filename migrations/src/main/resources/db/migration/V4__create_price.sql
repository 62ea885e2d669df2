-- The price of one token kind of one model in a plan, per 1,000,000 tokens, valid from effective_from until the
-- next row for the same plan, model and kind. Rows are never updated: a price change is a new row.
CREATE TABLE price (
    id                UUID        PRIMARY KEY,
    price_plan_id     UUID        NOT NULL REFERENCES price_plan (id),
    model_id          UUID        NOT NULL REFERENCES model (id),
    token_kind        TEXT        NOT NULL CHECK (token_kind IN ('input', 'cached_input', 'cache_write', 'output')),
    price_per_million NUMERIC     NOT NULL CHECK (price_per_million >= 0),
    currency          CHAR(3)     NOT NULL,
    effective_from    TIMESTAMPTZ NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (price_plan_id, model_id, token_kind, effective_from)
);
