-- The invoice that bills a rated usage row: set when a draft takes the row, cleared when the draft is
-- regenerated. A row of an invoiced period that is still unlinked arrived late and goes on the next invoice.
ALTER TABLE rated_usage ADD COLUMN invoice_id UUID REFERENCES invoice (id);

CREATE INDEX rated_usage_uninvoiced_idx ON rated_usage (client_id, occurred_at) WHERE invoice_id IS NULL;
CREATE INDEX rated_usage_invoice_idx ON rated_usage (invoice_id);
