-- A credit note corrects a finalized invoice, in full or in part. It is numbered without gaps per operator in
-- its own series and credits its total to the client's credit balance.
CREATE TABLE credit_note (
    id           UUID        PRIMARY KEY,
    operator_id  UUID        NOT NULL REFERENCES operator (id),
    client_id    UUID        NOT NULL REFERENCES client (id),
    invoice_id   UUID        NOT NULL REFERENCES invoice (id),
    number       TEXT        NOT NULL,
    issue_date   DATE        NOT NULL,
    currency     CHAR(3)     NOT NULL,
    subtotal     NUMERIC     NOT NULL CHECK (subtotal > 0),
    tax_total    NUMERIC     NOT NULL CHECK (tax_total >= 0),
    total        NUMERIC     NOT NULL CHECK (total > 0),
    reason       TEXT        NOT NULL,
    created_by   TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (operator_id, number)
);

CREATE INDEX credit_note_invoice_idx ON credit_note (invoice_id);

CREATE TABLE credit_note_line (
    id             BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    credit_note_id UUID    NOT NULL REFERENCES credit_note (id),
    line_no        INT     NOT NULL,
    description    TEXT    NOT NULL,
    amount         NUMERIC NOT NULL CHECK (amount > 0),
    UNIQUE (credit_note_id, line_no)
);

ALTER TABLE credit_entry ADD CONSTRAINT credit_entry_credit_note_fkey
    FOREIGN KEY (credit_note_id) REFERENCES credit_note (id);
