-- A client's markup over the operator's cost, in percent (20 = cost x 1.20), valid from effective_from until the
-- client's next markup. It prices every model the client has no price of its own and no plan price for.
-- Rows are never updated; a row entered later for the same instant corrects the earlier one.
CREATE TABLE client_markup (
    id             UUID        PRIMARY KEY,
    client_id      UUID        NOT NULL REFERENCES client (id),
    markup_percent NUMERIC     NOT NULL CHECK (markup_percent >= -100),
    effective_from TIMESTAMPTZ NOT NULL,
    revision       BIGINT      GENERATED ALWAYS AS IDENTITY UNIQUE,
    created_by     TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX client_markup_client_idx ON client_markup (client_id, effective_from);
