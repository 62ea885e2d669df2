-- Every usage event received, stored once per (client, source, event id). The raw event is kept so that every
-- rated amount can be traced back to what the gateway measured.
CREATE TABLE usage_event (
    id                  BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_id           UUID        NOT NULL REFERENCES client (id),
    source              TEXT        NOT NULL,
    event_id            TEXT        NOT NULL,
    request_id          TEXT        NOT NULL,
    api_key_id          UUID,
    endpoint            TEXT,
    requested_model     TEXT        NOT NULL,
    served_model        TEXT,
    backend             TEXT,
    stream              BOOLEAN     NOT NULL,
    status              TEXT        NOT NULL,
    usage_source        TEXT        NOT NULL,
    input_tokens        BIGINT      NOT NULL CHECK (input_tokens >= 0),
    cached_input_tokens BIGINT      NOT NULL CHECK (cached_input_tokens >= 0),
    cache_write_tokens  BIGINT      NOT NULL CHECK (cache_write_tokens >= 0),
    output_tokens       BIGINT      NOT NULL CHECK (output_tokens >= 0),
    reasoning_tokens    BIGINT      NOT NULL CHECK (reasoning_tokens >= 0),
    latency_ms          BIGINT      NOT NULL,
    ttft_ms             BIGINT,
    occurred_at         TIMESTAMPTZ NOT NULL,
    received_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    rating_status       TEXT        NOT NULL CHECK (rating_status IN ('RATED', 'UNPRICED', 'REJECTED')),
    payload             JSONB       NOT NULL,
    UNIQUE (client_id, source, event_id)
);

CREATE INDEX usage_event_client_time_idx ON usage_event (client_id, occurred_at);
