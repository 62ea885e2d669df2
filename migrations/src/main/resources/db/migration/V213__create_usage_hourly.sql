-- Usage per client, API key and requested model in each hour of the client's own time zone, for dashboards and
-- budgets. Metering adds to it in the transactions that store, rate and re-rate usage, so it is never recomputed.
-- hour_start is the instant the local hour begins (at half past in UTC for a zone such as Asia/Kolkata) and
-- local_date the client's calendar day of that hour: a local day is the sum of its hours for every viewer.
-- Rejected events are not usage and are left out; unpriced ones count as requests and tokens, never as money.
CREATE TABLE usage_hourly (
    client_id           UUID        NOT NULL REFERENCES client (id),
    api_key_id          UUID,
    model               TEXT        NOT NULL,
    hour_start          TIMESTAMPTZ NOT NULL,
    local_date          DATE        NOT NULL,
    requests            BIGINT      NOT NULL,
    unpriced_requests   BIGINT      NOT NULL,
    input_tokens        BIGINT      NOT NULL,
    cached_input_tokens BIGINT      NOT NULL,
    cache_write_tokens  BIGINT      NOT NULL,
    output_tokens       BIGINT      NOT NULL,
    -- The client's charge in its currency and the operator's known cost, at full precision.
    amount              NUMERIC     NOT NULL,
    cost                NUMERIC     NOT NULL,
    UNIQUE NULLS NOT DISTINCT (client_id, api_key_id, model, hour_start)
);

CREATE INDEX usage_hourly_client_day_idx ON usage_hourly (client_id, local_date);

-- The usage stored before this table existed.
INSERT INTO usage_hourly (client_id, api_key_id, model, hour_start, local_date, requests, unpriced_requests,
                          input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, amount, cost)
SELECT e.client_id, e.api_key_id, e.requested_model,
       e.occurred_at - ((e.occurred_at AT TIME ZONE c.time_zone)
                        - date_trunc('hour', e.occurred_at AT TIME ZONE c.time_zone)),
       (e.occurred_at AT TIME ZONE c.time_zone)::date,
       count(*), count(*) FILTER (WHERE e.rating_status = 'UNPRICED'),
       sum(e.input_tokens), sum(e.cached_input_tokens), sum(e.cache_write_tokens), sum(e.output_tokens),
       coalesce(sum(r.amount), 0), coalesce(sum(r.cost), 0)
  FROM usage_event e
  JOIN client c ON c.id = e.client_id
  LEFT JOIN (SELECT usage_event_id, sum(amount) AS amount, sum(cost_amount) AS cost
               FROM rated_usage GROUP BY usage_event_id) r ON r.usage_event_id = e.id
 WHERE e.rating_status <> 'REJECTED'
 GROUP BY 1, 2, 3, 4, 5;
