-- The tax of an invoice, one row per rate: the rate as it was when the invoice was drafted and its amount,
-- computed once on the taxable subtotal and rounded once.
CREATE TABLE invoice_tax (
    id                  BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id          UUID    NOT NULL REFERENCES invoice (id),
    position            INT     NOT NULL,
    name                TEXT    NOT NULL,
    percent             NUMERIC NOT NULL,
    reverse_charge_note TEXT,
    taxable_amount      NUMERIC NOT NULL,
    amount              NUMERIC NOT NULL,
    UNIQUE (invoice_id, position)
);
