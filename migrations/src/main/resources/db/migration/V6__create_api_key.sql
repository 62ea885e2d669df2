-- A client's API key. Only its SHA-256 hash and a short visible prefix are stored, never the key itself.
CREATE TABLE api_key (
    id         UUID        PRIMARY KEY,
    client_id  UUID        NOT NULL REFERENCES client (id),
    name       TEXT        NOT NULL,
    prefix     TEXT        NOT NULL,
    key_hash   BYTEA       NOT NULL UNIQUE CHECK (octet_length(key_hash) = 32),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);

CREATE INDEX api_key_client_idx ON api_key (client_id);
