-- What a model costs the operator: a cloud provider's list price or a self-hosted node's cost, per 1,000,000
-- tokens of a token kind, per request or per second of audio, in the operator's currency. Client charges are
-- kept apart (price, client_price, client_markup); rated usage records both, so margins are known.
--
-- A row applies from effective_from until the next row of the same model, unit and long-context tier. Rows are
-- never updated: a change is a new row, and a row entered later for the same instant corrects the earlier one
-- (the highest revision wins), so a typo can be fixed without editing history.
CREATE TABLE cost_price (
    id                UUID        PRIMARY KEY,
    operator_id       UUID        NOT NULL REFERENCES operator (id),
    model_id          UUID        NOT NULL REFERENCES model (id),
    unit              TEXT        NOT NULL
        CHECK (unit IN ('input', 'cached_input', 'cache_write', 'output', 'request', 'audio_second')),
    -- 0 is the base price; N > 0 prices the whole request when its prompt (input + cached + cache write) is
    -- above N tokens.
    long_context_over BIGINT      NOT NULL DEFAULT 0 CHECK (long_context_over >= 0),
    -- Per 1,000,000 tokens for the token units, per request for 'request', per second for 'audio_second'.
    unit_price        NUMERIC     NOT NULL CHECK (unit_price >= 0),
    currency          CHAR(3)     NOT NULL,
    effective_from    TIMESTAMPTZ NOT NULL,
    source            TEXT        NOT NULL CHECK (source IN ('manual', 'litellm')),
    revision          BIGINT      GENERATED ALWAYS AS IDENTITY UNIQUE,
    created_by        TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX cost_price_model_idx ON cost_price (model_id, unit, long_context_over, effective_from);
