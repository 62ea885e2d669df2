-- The Stripe invoice items Stripe confirmed for an invoice: one per invoice line ('line-<n>') and one for the
-- difference between the lines and the total ('adjustment'). A restarted push skips what is recorded here.
CREATE TABLE stripe_invoice_item (
    invoice_id UUID        NOT NULL REFERENCES invoice (id),
    item_key   TEXT        NOT NULL,
    item_id    TEXT        NOT NULL UNIQUE,
    amount     NUMERIC     NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (invoice_id, item_key)
);
