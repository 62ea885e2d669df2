-- A client's credit balance as a ledger: prepaid credit and credit notes add, invoices that use credit
-- subtract, a voided invoice gives its credit back. The balance is the sum; it never goes below zero.
CREATE TABLE credit_entry (
    id             BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_id      UUID        NOT NULL REFERENCES client (id),
    kind           TEXT        NOT NULL CHECK (kind IN ('PREPAID', 'APPLIED', 'RELEASED', 'CREDIT_NOTE')),
    amount         NUMERIC     NOT NULL CHECK (amount <> 0),
    currency       CHAR(3)     NOT NULL,
    invoice_id     UUID        REFERENCES invoice (id),
    credit_note_id UUID,
    note           TEXT,
    created_by     TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);

CREATE INDEX credit_entry_client_idx ON credit_entry (client_id);
