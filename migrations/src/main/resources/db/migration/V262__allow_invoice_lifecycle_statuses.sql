-- Every status of an invoice's life: DRAFT and FINALIZED (V9), SENT, PAID, PAYMENT_FAILED and REFUNDED (set by
-- payment collection) and VOID. Listed in full here so that any later migration of this check starts from it.
ALTER TABLE invoice DROP CONSTRAINT invoice_status_check;
ALTER TABLE invoice ADD CONSTRAINT invoice_status_check
    CHECK (status IN ('DRAFT', 'FINALIZED', 'SENT', 'PAID', 'PAYMENT_FAILED', 'REFUNDED', 'VOID'));
