-- How an invoice is collected through Stripe: what Stripe confirmed so far, what it reported paid or refunded,
-- and the last sync error for the operator. Amounts are decimals in the invoice's currency, never minor units.
CREATE TABLE invoice_payment (
    invoice_id        UUID        PRIMARY KEY REFERENCES invoice (id),
    mode              TEXT        NOT NULL CHECK (mode IN ('INVOICE', 'PAYMENT_INTENT')),
    sync_status       TEXT        NOT NULL CHECK (sync_status IN ('PENDING', 'PUSHED', 'FAILED', 'NOTHING_TO_COLLECT')),
    customer_id       TEXT,
    stripe_invoice_id TEXT        UNIQUE,
    payment_intent_id TEXT        UNIQUE,
    attempts          INT         NOT NULL DEFAULT 0,
    last_attempt_at   TIMESTAMPTZ,
    sync_error_code   TEXT,
    sync_error        TEXT,
    pushed_at         TIMESTAMPTZ,
    paid_amount       NUMERIC,
    paid_at           TIMESTAMPTZ,
    refunded_amount   NUMERIC,
    payment_error     TEXT,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
