-- One client's bill for one period. A period is invoiced once: a second close of the same period finds this row.
CREATE TABLE invoice (
    id           UUID        PRIMARY KEY,
    operator_id  UUID        NOT NULL REFERENCES operator (id),
    client_id    UUID        NOT NULL REFERENCES client (id),
    number       TEXT,
    status       TEXT        NOT NULL CHECK (status IN ('DRAFT', 'FINALIZED')),
    period_start DATE        NOT NULL,
    period_end   DATE        NOT NULL,
    time_zone    TEXT        NOT NULL,
    currency     CHAR(3)     NOT NULL,
    subtotal     NUMERIC     NOT NULL,
    total        NUMERIC     NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    finalized_at TIMESTAMPTZ,
    CHECK (period_end > period_start),
    CHECK (status = 'DRAFT' OR number IS NOT NULL),
    UNIQUE (client_id, period_start),
    UNIQUE (operator_id, number)
);
