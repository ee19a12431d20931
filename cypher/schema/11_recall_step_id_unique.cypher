// Every step recorded in a recall case is identified by its id.
CREATE CONSTRAINT recall_step_id_unique IF NOT EXISTS FOR (s:RecallStep) REQUIRE s.id IS UNIQUE
