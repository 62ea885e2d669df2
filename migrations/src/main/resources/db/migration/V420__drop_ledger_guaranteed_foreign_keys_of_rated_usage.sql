-- Metering writes two or more rated rows per usage event, and each foreign key below was checked per row by its own
-- trigger: in the throughput benchmark these checks took longer than inserting the rows themselves. Every one of them
-- is already guaranteed by the only writer of rated rows (metering's ledger and re-rating), in the same transaction:
--
-- * usage_event_id: the id the ledger's INSERT ... RETURNING gave the event row in the same transaction (or, when
--   re-rating, an event row read in it). Usage events are the ledger itself and are never deleted.
-- * client_id: the event's own client, which the ledger read and holds a share lock on until its transaction commits
--   (PriceBookLoader), so the client exists and cannot go away meanwhile; clients are never deleted.
-- * model_id, price_id, cost_price_id, client_price_id, client_markup_id: rows of the price book the ledger read in
--   the same transaction, under the share lock on the client. Price books are kept whole: a price is superseded by
--   one with a later effective date, never deleted, so that every rated amount can be traced to the price that made
--   it.
-- * late_of_invoice_id: an issued invoice (neither draft nor void) the ledger read in the same transaction; issued
--   invoices are never deleted.
--
-- invoice_id keeps its foreign key: billing sets it, and it is checked only when billing changes it.
ALTER TABLE rated_usage
    DROP CONSTRAINT rated_usage_usage_event_id_fkey,
    DROP CONSTRAINT rated_usage_client_id_fkey,
    DROP CONSTRAINT rated_usage_model_id_fkey,
    DROP CONSTRAINT rated_usage_price_id_fkey,
    DROP CONSTRAINT rated_usage_cost_price_id_fkey,
    DROP CONSTRAINT rated_usage_client_price_id_fkey,
    DROP CONSTRAINT rated_usage_client_markup_id_fkey,
    DROP CONSTRAINT rated_usage_late_of_invoice_id_fkey;
