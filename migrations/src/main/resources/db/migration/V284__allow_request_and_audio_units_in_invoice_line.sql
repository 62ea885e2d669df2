-- Invoice lines bill requests and seconds of audio as well as token kinds, as rated usage does: token_kind holds
-- the unit and price_per_million its unit price (per 1M tokens, per request, per second).
ALTER TABLE invoice_line ADD CONSTRAINT invoice_line_token_kind_check
    CHECK (token_kind IN ('input', 'cached_input', 'cache_write', 'output', 'request', 'audio_second'));

COMMENT ON COLUMN invoice_line.price_per_million IS
    'unit price as rated: per 1,000,000 tokens for a token kind, per request, or per second of audio';
