-- Next to what a rated row charges the client (amount, which is invoiced) it records what the row cost the
-- operator: the cost price row, its unit price and the exact cost, in the operator's currency. The cost columns
-- are null together when the operator had no cost price for the model then: the charge stands, the margin is
-- unknown.
ALTER TABLE rated_usage
    ADD COLUMN cost_price_id   UUID REFERENCES cost_price (id),
    ADD COLUMN cost_unit_price NUMERIC,
    ADD COLUMN cost_amount     NUMERIC CHECK (cost_amount >= 0),
    ADD COLUMN cost_currency   CHAR(3);

ALTER TABLE rated_usage ADD CONSTRAINT rated_usage_cost_check CHECK (
    (cost_price_id IS NULL AND cost_unit_price IS NULL AND cost_amount IS NULL AND cost_currency IS NULL)
    OR (cost_price_id IS NOT NULL AND cost_unit_price IS NOT NULL AND cost_amount IS NOT NULL
        AND cost_currency IS NOT NULL));
