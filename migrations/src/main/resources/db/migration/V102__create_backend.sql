-- The inference servers an operator routes to: local vLLM, Ollama or llama.cpp, or a cloud API. The credential
-- is never stored here: api_key_env names the environment variable of the gateway that holds it.
CREATE TABLE backend (
    id          UUID        PRIMARY KEY,
    operator_id UUID        NOT NULL REFERENCES operator (id),
    name        TEXT        NOT NULL,
    base_url    TEXT        NOT NULL CHECK (base_url ~ '^https?://'),
    api_key_env TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (operator_id, name)
);
