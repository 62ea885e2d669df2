-- Why an event is UNPRICED (no such model, no price of a unit used, a price in another currency), for the operator
-- who has to add the price; null once the event is rated. The partial index finds the events waiting for a price.
ALTER TABLE usage_event ADD COLUMN unpriced_reason TEXT;

CREATE INDEX usage_event_unpriced_idx ON usage_event (client_id, occurred_at) WHERE rating_status = 'UNPRICED';
