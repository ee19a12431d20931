// Lot search by product ("which lots of COOKIE-CC-12 ...").
CREATE INDEX lot_product IF NOT EXISTS FOR (l:Lot) ON (l.product)
