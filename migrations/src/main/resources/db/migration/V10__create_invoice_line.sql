-- A line of an invoice: one model and token kind, with its amount rounded once to the currency's minor unit.
CREATE TABLE invoice_line (
    id                BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id        UUID    NOT NULL REFERENCES invoice (id),
    line_no           INT     NOT NULL,
    model             TEXT    NOT NULL,
    token_kind        TEXT    NOT NULL,
    description       TEXT    NOT NULL,
    quantity          BIGINT  NOT NULL,
    price_per_million NUMERIC NOT NULL,
    amount            NUMERIC NOT NULL,
    currency          CHAR(3) NOT NULL,
    UNIQUE (invoice_id, line_no)
);
