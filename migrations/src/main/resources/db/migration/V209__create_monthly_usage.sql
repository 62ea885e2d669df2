-- Each client's rated quantity of each model and unit per calendar month of the client's own time zone. Metering
-- adds to it in the transaction that writes the rated rows, and prices monthly bands from it.
CREATE TABLE monthly_usage (
    client_id UUID   NOT NULL REFERENCES client (id),
    model_id  UUID   NOT NULL REFERENCES model (id),
    unit      TEXT   NOT NULL,
    -- The first day of the month, in the client's time zone.
    month     DATE   NOT NULL,
    quantity  BIGINT NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (client_id, model_id, unit, month)
);

INSERT INTO monthly_usage (client_id, model_id, unit, month, quantity)
SELECT r.client_id, r.model_id, r.token_kind, date_trunc('month', r.occurred_at AT TIME ZONE c.time_zone)::date,
       sum(r.quantity)
  FROM rated_usage r
  JOIN client c ON c.id = r.client_id
 GROUP BY 1, 2, 3, 4;
