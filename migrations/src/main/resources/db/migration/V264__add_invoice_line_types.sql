-- Invoice lines besides a period's usage: usage of an earlier, already invoiced period (named by its date) and
-- the minimum-commitment true-up, which has no model, token kind or unit price.
ALTER TABLE invoice_line
    ADD COLUMN line_type  TEXT NOT NULL DEFAULT 'USAGE'
        CHECK (line_type IN ('USAGE', 'LATE_USAGE', 'MINIMUM_COMMITMENT')),
    ADD COLUMN usage_date DATE,
    ALTER COLUMN model DROP NOT NULL,
    ALTER COLUMN token_kind DROP NOT NULL,
    ALTER COLUMN quantity DROP NOT NULL,
    ALTER COLUMN price_per_million DROP NOT NULL;
ALTER TABLE invoice_line ADD CONSTRAINT invoice_line_usage_check
    CHECK (line_type = 'MINIMUM_COMMITMENT'
           OR (model IS NOT NULL AND token_kind IS NOT NULL AND quantity IS NOT NULL
               AND price_per_million IS NOT NULL));
ALTER TABLE invoice_line ADD CONSTRAINT invoice_line_late_usage_date_check
    CHECK ((line_type = 'LATE_USAGE') = (usage_date IS NOT NULL));
