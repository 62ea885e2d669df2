-- Every rating of stored events after they arrived: events waiting for a price that a new price rated
-- ('priced_waiting') and a client's period rated again after a price fix ('rerated'). Who asked, when and why, and
-- the period's events and amounts before and after. Rows are only ever inserted.
CREATE TABLE rating_audit (
    id              BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_id       UUID        NOT NULL REFERENCES client (id),
    kind            TEXT        NOT NULL CHECK (kind IN ('priced_waiting', 'rerated')),
    -- The instants the rated events fall in: the period asked for, or the first and last waiting event.
    period_start    TIMESTAMPTZ NOT NULL,
    period_end      TIMESTAMPTZ NOT NULL,
    actor           TEXT        NOT NULL,
    reason          TEXT        NOT NULL,
    occurred_at     TIMESTAMPTZ NOT NULL,
    events          INT         NOT NULL CHECK (events >= 0),
    unpriced_before INT         NOT NULL CHECK (unpriced_before >= 0),
    unpriced_after  INT         NOT NULL CHECK (unpriced_after >= 0),
    -- The client's charge, in its currency, and the operator's known cost, at full precision.
    amount_before   NUMERIC     NOT NULL,
    amount_after    NUMERIC     NOT NULL,
    cost_before     NUMERIC     NOT NULL,
    cost_after      NUMERIC     NOT NULL,
    currency        CHAR(3)     NOT NULL
);

CREATE INDEX rating_audit_client_idx ON rating_audit (client_id, occurred_at);
