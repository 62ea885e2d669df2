-- Plan prices get a long-context tier: a row with long_context_over N > 0 prices the whole request when its prompt
-- (input + cached + cache write) is above N tokens; 0 is the base price, as every existing row.
ALTER TABLE price ADD COLUMN long_context_over BIGINT NOT NULL DEFAULT 0 CHECK (long_context_over >= 0);

ALTER TABLE price DROP CONSTRAINT price_price_plan_id_model_id_token_kind_effective_from_key;
ALTER TABLE price ADD CONSTRAINT price_tier_key
    UNIQUE (price_plan_id, model_id, token_kind, long_context_over, effective_from);
