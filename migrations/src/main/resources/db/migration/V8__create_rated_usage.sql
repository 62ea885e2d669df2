-- The rated ledger: one row per event and token kind, at full precision (no rounding here; invoices round once
-- per line). Each row names the price that produced it.
CREATE TABLE rated_usage (
    id                BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    usage_event_id    BIGINT      NOT NULL REFERENCES usage_event (id),
    client_id         UUID        NOT NULL REFERENCES client (id),
    model_id          UUID        NOT NULL REFERENCES model (id),
    token_kind        TEXT        NOT NULL CHECK (token_kind IN ('input', 'cached_input', 'cache_write', 'output')),
    quantity          BIGINT      NOT NULL CHECK (quantity >= 0),
    price_id          UUID        NOT NULL REFERENCES price (id),
    price_per_million NUMERIC     NOT NULL,
    amount            NUMERIC     NOT NULL CHECK (amount >= 0),
    currency          CHAR(3)     NOT NULL,
    occurred_at       TIMESTAMPTZ NOT NULL,
    rated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (usage_event_id, token_kind)
);

CREATE INDEX rated_usage_client_time_idx ON rated_usage (client_id, occurred_at);
