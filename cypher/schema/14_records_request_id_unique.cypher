// Every logged FDA records request is identified by its id (records_request_log).
CREATE CONSTRAINT records_request_id_unique IF NOT EXISTS FOR (q:RecordsRequest) REQUIRE q.id IS UNIQUE
