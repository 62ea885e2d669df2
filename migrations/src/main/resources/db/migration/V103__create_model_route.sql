-- Which backends serve a model name (or alias) that callers of an operator send, tried in priority order (lowest
-- first): the next one is tried when one cannot be reached or answers 5xx or 429 before its first byte. A model
-- without routes is served by the gateway's configured default backend.
CREATE TABLE model_route (
    operator_id UUID NOT NULL REFERENCES operator (id),
    model_name  TEXT NOT NULL,
    backend_id  UUID NOT NULL REFERENCES backend (id),
    priority    INT  NOT NULL,
    PRIMARY KEY (operator_id, model_name, backend_id),
    UNIQUE (operator_id, model_name, priority)
);
