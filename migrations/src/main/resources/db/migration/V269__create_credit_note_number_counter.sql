-- The next credit note number per operator, taken under a row lock in the transaction that issues the credit
-- note, like invoice_number_counter: no gaps, no duplicates.
CREATE TABLE credit_note_number_counter (
    operator_id UUID   PRIMARY KEY REFERENCES operator (id),
    next_value  BIGINT NOT NULL CHECK (next_value > 0)
);
