-- The foreign key from usage_event to client was checked per event by its own trigger (about a fifth of the time the
-- insert of an event row took in the throughput benchmark). The ledger, the only writer of usage events, already
-- guarantees it in the same transaction: it reads the event's client with a share lock held until the transaction
-- commits, and stores no event whose client it did not find (those are dead-lettered as unknown_client). The share
-- lock is stronger than the key-share lock the foreign key took, so closing an invoice still waits for the batch.
ALTER TABLE usage_event DROP CONSTRAINT usage_event_client_id_fkey;
