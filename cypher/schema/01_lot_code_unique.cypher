// Every lot is identified by its traceability lot code (TLC).
CREATE CONSTRAINT lot_code_unique IF NOT EXISTS FOR (l:Lot) REQUIRE l.code IS UNIQUE
