-- An invoice line that charges what re-rating found missing from an earlier, issued invoice. Like the
-- minimum-commitment true-up it has only a description and an amount.
ALTER TABLE invoice_line DROP CONSTRAINT invoice_line_line_type_check;
ALTER TABLE invoice_line ADD CONSTRAINT invoice_line_line_type_check
    CHECK (line_type IN ('USAGE', 'LATE_USAGE', 'MINIMUM_COMMITMENT', 'RERATING'));

ALTER TABLE invoice_line DROP CONSTRAINT invoice_line_usage_check;
ALTER TABLE invoice_line ADD CONSTRAINT invoice_line_usage_check
    CHECK (line_type IN ('MINIMUM_COMMITMENT', 'RERATING')
           OR (model IS NOT NULL AND token_kind IS NOT NULL AND quantity IS NOT NULL
               AND price_per_million IS NOT NULL));
