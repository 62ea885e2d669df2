-- A drained backend gets no new requests from any gateway replica (each reads this within its poll interval) while
-- the requests it has already finish, so the server behind it can be updated without dropping one.
ALTER TABLE backend ADD COLUMN draining BOOLEAN NOT NULL DEFAULT false;
