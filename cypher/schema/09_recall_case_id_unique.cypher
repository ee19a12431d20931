// Every recall case is identified by its id (RC-<date>-<hex>).
CREATE CONSTRAINT recall_case_id_unique IF NOT EXISTS FOR (c:RecallCase) REQUIRE c.id IS UNIQUE
