-- The most requests one gateway replica sends to a backend at once; past it, the replica sends a model's requests
-- to the model's next backend (a local server spilling over to a cloud one). NULL is no limit.
ALTER TABLE backend ADD COLUMN max_in_flight INT CHECK (max_in_flight > 0);
