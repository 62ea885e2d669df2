-- The tax rates on a client's invoices, applied once each to the taxable subtotal in position order. A
-- reverse-charge rate has 0 percent and the note that the invoice prints instead of an amount.
CREATE TABLE tax_rate (
    id                  UUID    PRIMARY KEY,
    client_id           UUID    NOT NULL REFERENCES client (id),
    position            INT     NOT NULL,
    name                TEXT    NOT NULL,
    percent             NUMERIC NOT NULL CHECK (percent >= 0 AND percent <= 100),
    reverse_charge_note TEXT,
    CHECK (reverse_charge_note IS NULL OR percent = 0),
    UNIQUE (client_id, position)
);
