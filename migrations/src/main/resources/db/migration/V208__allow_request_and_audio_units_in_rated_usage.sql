-- Rated usage may charge per request and per second of audio as well as per token kind; token_kind holds the
-- unit and price_per_million its unit price (per request, per second).
ALTER TABLE rated_usage DROP CONSTRAINT rated_usage_token_kind_check;
ALTER TABLE rated_usage ADD CONSTRAINT rated_usage_token_kind_check
    CHECK (token_kind IN ('input', 'cached_input', 'cache_write', 'output', 'request', 'audio_second'));
