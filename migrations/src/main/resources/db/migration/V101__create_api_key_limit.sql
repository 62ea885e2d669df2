-- Admission limits of one API key, enforced on top of its client's (client_limit). A NULL limit is no limit; a
-- key without a row is limited only by its client. The budget is the charge of the key's requests for one billing
-- period (a calendar month in the client's time zone), in the client's currency.
CREATE TABLE api_key_limit (
    api_key_id          UUID        PRIMARY KEY REFERENCES api_key (id),
    requests_per_minute INT         CHECK (requests_per_minute > 0),
    tokens_per_minute   BIGINT      CHECK (tokens_per_minute > 0),
    max_in_flight       INT         CHECK (max_in_flight > 0),
    budget_amount       NUMERIC     CHECK (budget_amount >= 0),
    budget_currency     CHAR(3),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((budget_amount IS NULL) = (budget_currency IS NULL))
);
