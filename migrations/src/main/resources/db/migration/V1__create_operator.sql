-- The MSP that runs Tollbooth and issues invoices to its clients.
CREATE TABLE operator (
    id         UUID        PRIMARY KEY,
    slug       TEXT        NOT NULL UNIQUE,
    name       TEXT        NOT NULL,
    address    TEXT,
    tax_id     TEXT,
    currency   CHAR(3)     NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
