-- What a finalized invoice states and must keep when the client or operator changes later: dates and terms,
-- bill-to and issuer as printed, tax, credit applied and amount due. The snapshot columns are null on drafts,
-- which show the current account.
ALTER TABLE invoice
    ADD COLUMN issue_date         DATE,
    ADD COLUMN due_date           DATE,
    ADD COLUMN payment_terms_days INT,
    ADD COLUMN locale             TEXT,
    ADD COLUMN purchase_order     TEXT,
    ADD COLUMN bill_to_name       TEXT,
    ADD COLUMN bill_to_contact    TEXT,
    ADD COLUMN bill_to_email      TEXT,
    ADD COLUMN bill_to_address    TEXT,
    ADD COLUMN issuer_name        TEXT,
    ADD COLUMN issuer_address     TEXT,
    ADD COLUMN issuer_tax_id      TEXT,
    ADD COLUMN tax_total          NUMERIC NOT NULL DEFAULT 0,
    ADD COLUMN credit_applied     NUMERIC NOT NULL DEFAULT 0 CHECK (credit_applied >= 0),
    ADD COLUMN amount_due         NUMERIC,
    ADD COLUMN voided_at          TIMESTAMPTZ,
    ADD COLUMN void_reason        TEXT;

-- Invoices written before: no tax, no credit, so the amount due is the total.
UPDATE invoice SET amount_due = total, issue_date = (finalized_at AT TIME ZONE time_zone)::date
 WHERE amount_due IS NULL;
ALTER TABLE invoice ALTER COLUMN amount_due SET NOT NULL;
ALTER TABLE invoice ADD CONSTRAINT invoice_amount_due_check CHECK (amount_due >= 0);
