-- Admission limits of one client, over all its API keys together. A NULL limit is no limit; a client without a
-- row is never limited. The budget is the client's charge for one billing period (a calendar month in the
-- client's time zone), in the client's currency.
CREATE TABLE client_limit (
    client_id           UUID        PRIMARY KEY REFERENCES client (id),
    requests_per_minute INT         CHECK (requests_per_minute > 0),
    tokens_per_minute   BIGINT      CHECK (tokens_per_minute > 0),
    max_in_flight       INT         CHECK (max_in_flight > 0),
    budget_amount       NUMERIC     CHECK (budget_amount >= 0),
    budget_currency     CHAR(3),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((budget_amount IS NULL) = (budget_currency IS NULL))
);
