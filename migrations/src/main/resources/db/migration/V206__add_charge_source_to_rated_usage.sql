-- Where a rated row's charge comes from: the client's plan (price_id, as before), a price of the client's own
-- (client_price_id) or the client's markup over the row's cost (client_markup_id with cost_price_id).
-- price_per_million stays the unit price charged, whatever its source.
ALTER TABLE rated_usage
    ALTER COLUMN price_id DROP NOT NULL,
    ADD COLUMN charge_source    TEXT NOT NULL DEFAULT 'plan' CHECK (charge_source IN ('plan', 'client', 'markup')),
    ADD COLUMN client_price_id  UUID REFERENCES client_price (id),
    ADD COLUMN client_markup_id UUID REFERENCES client_markup (id);

ALTER TABLE rated_usage ADD CONSTRAINT rated_usage_charge_check CHECK (
    (charge_source = 'plan' AND price_id IS NOT NULL AND client_price_id IS NULL AND client_markup_id IS NULL)
    OR (charge_source = 'client' AND client_price_id IS NOT NULL AND price_id IS NULL AND client_markup_id IS NULL)
    OR (charge_source = 'markup' AND client_markup_id IS NOT NULL AND cost_price_id IS NOT NULL
        AND price_id IS NULL AND client_price_id IS NULL));
