-- A price agreed with one client for one model, in the client's currency. It overrides the client's plan and
-- markup for that model. Units, long-context tiers and corrections work as in cost_price.
--
-- Monthly bands: rows of the same model, unit and tier with different monthly_from values form one schedule on
-- the client's monthly quantity of that unit. A band applies to the units after the first monthly_from units of
-- the month; tier_mode 'graduated' prices each unit in its own band, 'volume' prices every unit of the month at
-- the band the month's total reaches.
CREATE TABLE client_price (
    id                UUID        PRIMARY KEY,
    client_id         UUID        NOT NULL REFERENCES client (id),
    model_id          UUID        NOT NULL REFERENCES model (id),
    unit              TEXT        NOT NULL
        CHECK (unit IN ('input', 'cached_input', 'cache_write', 'output', 'request', 'audio_second')),
    long_context_over BIGINT      NOT NULL DEFAULT 0 CHECK (long_context_over >= 0),
    monthly_from      BIGINT      NOT NULL DEFAULT 0 CHECK (monthly_from >= 0),
    tier_mode         TEXT        NOT NULL DEFAULT 'graduated' CHECK (tier_mode IN ('graduated', 'volume')),
    unit_price        NUMERIC     NOT NULL CHECK (unit_price >= 0),
    currency          CHAR(3)     NOT NULL,
    effective_from    TIMESTAMPTZ NOT NULL,
    revision          BIGINT      GENERATED ALWAYS AS IDENTITY UNIQUE,
    created_by        TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX client_price_client_idx ON client_price (client_id, model_id);
