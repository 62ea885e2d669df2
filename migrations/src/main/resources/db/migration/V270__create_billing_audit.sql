-- Every transition of an invoice or credit note: who, when, from which status to which, and why. Rows are only
-- ever inserted.
CREATE TABLE billing_audit (
    id          BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity      TEXT        NOT NULL CHECK (entity IN ('INVOICE', 'CREDIT_NOTE')),
    entity_id   UUID        NOT NULL,
    from_status TEXT,
    to_status   TEXT        NOT NULL,
    actor       TEXT        NOT NULL,
    reason      TEXT,
    occurred_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX billing_audit_entity_idx ON billing_audit (entity_id, id);
