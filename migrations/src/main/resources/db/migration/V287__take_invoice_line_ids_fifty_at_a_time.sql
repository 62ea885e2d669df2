-- Invoice lines take their ids from a sequence that hands out 50 at a time (Hibernate's pooled optimizer) instead
-- of an identity column, whose ids only the insert itself returns: a draft's lines then go to the database in one
-- JDBC batch rather than one round trip each. The sequence starts above every id given so far. It is not owned by
-- the column, so TRUNCATE ... RESTART IDENTITY leaves it alone: Hibernate holds a block of its ids in memory, and
-- a restarted sequence would hand them out a second time.
ALTER TABLE invoice_line ALTER COLUMN id DROP IDENTITY;
CREATE SEQUENCE invoice_line_id_seq INCREMENT BY 50;
SELECT setval('invoice_line_id_seq', COALESCE((SELECT max(id) FROM invoice_line), 0) + 50);
ALTER TABLE invoice_line ALTER COLUMN id SET DEFAULT nextval('invoice_line_id_seq');
