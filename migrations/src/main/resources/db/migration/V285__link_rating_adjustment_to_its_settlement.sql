-- How billing settled a re-rating difference: a negative one by a credit note against the re-rated invoice, a
-- positive one by a line on the client's next invoice (billed_on_invoice_id, cleared again when that draft is
-- regenerated). A difference that rounds to nothing, or one of a voided invoice, is settled with neither.
ALTER TABLE rating_adjustment
    ADD COLUMN credit_note_id       UUID REFERENCES credit_note (id),
    ADD COLUMN billed_on_invoice_id UUID REFERENCES invoice (id);

CREATE INDEX rating_adjustment_billed_on_idx ON rating_adjustment (billed_on_invoice_id)
    WHERE billed_on_invoice_id IS NOT NULL;
