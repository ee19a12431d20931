// Every product is identified by its id, the product code its lots carry (Lot.product); a
// Product node holds what we know of it beyond its lots: its description and its category on
// the FDA's Food Traceability List (records requests and completeness reports filter by it).
CREATE CONSTRAINT product_id_unique IF NOT EXISTS FOR (p:Product) REQUIRE p.id IS UNIQUE
