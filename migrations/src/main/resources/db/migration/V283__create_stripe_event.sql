-- Stripe webhook events already processed, written in the transaction of their effect: a redelivered event finds
-- its id here and changes nothing.
CREATE TABLE stripe_event (
    event_id     TEXT        PRIMARY KEY,
    type         TEXT        NOT NULL,
    invoice_id   UUID        REFERENCES invoice (id),
    outcome      TEXT        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL
);
