-- The Stripe customer that stands for a client. A client with a row here is collected through Stripe: invoices
-- finalized after the row was created are pushed to this customer.
CREATE TABLE stripe_customer (
    client_id   UUID        PRIMARY KEY REFERENCES client (id),
    customer_id TEXT        NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
