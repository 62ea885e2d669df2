-- What a re-rating found for usage already on an issued invoice, per invoice: the invoice and its rated rows stand,
-- and billing issues a credit note for a negative difference or carries a positive one into the next invoice,
-- then sets settled_at. Amounts are the client's charge in its currency, exact.
CREATE TABLE rating_adjustment (
    id              BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rating_audit_id BIGINT      NOT NULL REFERENCES rating_audit (id),
    client_id       UUID        NOT NULL REFERENCES client (id),
    invoice_id      UUID        NOT NULL REFERENCES invoice (id),
    events          INT         NOT NULL CHECK (events > 0),
    amount_before   NUMERIC     NOT NULL,
    amount_after    NUMERIC     NOT NULL,
    difference      NUMERIC     NOT NULL,
    currency        CHAR(3)     NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    settled_at      TIMESTAMPTZ
);

CREATE INDEX rating_adjustment_unsettled_idx ON rating_adjustment (client_id) WHERE settled_at IS NULL;
