-- A rated row whose event belongs to a period that had already been invoiced when it was rated names that
-- invoice: the usage missed it, and billing carries it into the client's next invoice as late usage.
ALTER TABLE rated_usage ADD COLUMN late_of_invoice_id UUID REFERENCES invoice (id);

CREATE INDEX rated_usage_late_idx ON rated_usage (client_id) WHERE late_of_invoice_id IS NOT NULL;
