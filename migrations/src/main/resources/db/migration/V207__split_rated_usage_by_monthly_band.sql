-- An event whose quantity spans two graduated monthly bands is rated as one row per band, each at its band's
-- price; band_from names the band (0 for every unbanded price).
ALTER TABLE rated_usage ADD COLUMN band_from BIGINT NOT NULL DEFAULT 0 CHECK (band_from >= 0);

ALTER TABLE rated_usage DROP CONSTRAINT rated_usage_usage_event_id_token_kind_key;
ALTER TABLE rated_usage ADD CONSTRAINT rated_usage_event_unit_band_key UNIQUE (usage_event_id, token_kind, band_from);
