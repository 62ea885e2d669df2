-- Plan prices get monthly bands on the client's monthly quantity, as client_price has them: a band applies to the
-- units after the first monthly_from units of the month, 'graduated' per unit, 'volume' to the whole month.
-- Every existing row is the single band from 0.
ALTER TABLE price
    ADD COLUMN monthly_from BIGINT NOT NULL DEFAULT 0 CHECK (monthly_from >= 0),
    ADD COLUMN tier_mode    TEXT   NOT NULL DEFAULT 'graduated' CHECK (tier_mode IN ('graduated', 'volume'));

ALTER TABLE price DROP CONSTRAINT price_tier_key;
ALTER TABLE price ADD CONSTRAINT price_band_key
    UNIQUE (price_plan_id, model_id, token_kind, long_context_over, monthly_from, effective_from);
