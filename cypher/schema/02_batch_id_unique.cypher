// Every production batch is identified by its batch id.
CREATE CONSTRAINT batch_id_unique IF NOT EXISTS FOR (b:Batch) REQUIRE b.id IS UNIQUE
