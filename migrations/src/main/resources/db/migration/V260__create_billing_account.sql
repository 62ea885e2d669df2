-- How a client is billed, besides the currency and time zone kept on the client: billing day, payment terms,
-- locale, bill-to contact and address, purchase order number and an optional minimum commitment per period.
-- A client without a row is billed with the column defaults (calendar month, 30 days, en-US).
CREATE TABLE billing_account (
    client_id          UUID        PRIMARY KEY REFERENCES client (id),
    billing_day        SMALLINT    NOT NULL DEFAULT 1 CHECK (billing_day BETWEEN 1 AND 28),
    payment_terms_days INT         NOT NULL DEFAULT 30 CHECK (payment_terms_days BETWEEN 0 AND 365),
    locale             TEXT        NOT NULL DEFAULT 'en-US',
    contact_name       TEXT,
    contact_email      TEXT,
    billing_address    TEXT,
    purchase_order     TEXT,
    minimum_commitment NUMERIC     CHECK (minimum_commitment >= 0),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
