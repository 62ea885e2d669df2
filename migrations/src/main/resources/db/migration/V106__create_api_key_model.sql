-- The models an API key may use when its client restricts it; a key without rows may use every model its client's
-- operator offers. Names are matched as callers send them, aliases included.
CREATE TABLE api_key_model (
    api_key_id UUID NOT NULL REFERENCES api_key (id),
    model_name TEXT NOT NULL,
    PRIMARY KEY (api_key_id, model_name)
);
