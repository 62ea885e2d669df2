-- The next invoice number per operator. Numbers are taken under a row lock in the same transaction that
-- finalizes the invoice, so they have no gaps and no duplicates.
CREATE TABLE invoice_number_counter (
    operator_id UUID   PRIMARY KEY REFERENCES operator (id),
    next_value  BIGINT NOT NULL CHECK (next_value > 0)
);
