// Receipts by date, for the FDA's records request (records_receiving): a date range of a big
// history is read from this index, not by scanning every receipt.
CREATE INDEX received_from_received_at IF NOT EXISTS FOR ()-[r:RECEIVED_FROM]-() ON (r.received_at)
