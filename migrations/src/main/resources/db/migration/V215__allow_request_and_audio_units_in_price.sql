-- Plan prices may price requests and seconds of audio as well as token kinds, as cost and client prices do;
-- token_kind holds the unit and price_per_million its unit price (per request, per second).
ALTER TABLE price DROP CONSTRAINT price_token_kind_check;
ALTER TABLE price ADD CONSTRAINT price_token_kind_check
    CHECK (token_kind IN ('input', 'cached_input', 'cache_write', 'output', 'request', 'audio_second'));
