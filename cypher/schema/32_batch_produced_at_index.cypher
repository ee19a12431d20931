// Transformations by date, for the FDA's records request (records_transformation).
CREATE INDEX batch_produced_at IF NOT EXISTS FOR (b:Batch) ON (b.produced_at)
