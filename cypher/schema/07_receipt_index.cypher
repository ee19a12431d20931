// Lots are found by date (received or produced); both dates are kept as one `origin_at`.
CREATE INDEX lot_origin_at IF NOT EXISTS FOR (l:Lot) ON (l.origin_at)
