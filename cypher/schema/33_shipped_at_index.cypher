// Shipment lines by date, for the FDA's records request (records_shipping).
CREATE INDEX shipped_to_shipped_at IF NOT EXISTS FOR ()-[r:SHIPPED_TO]-() ON (r.shipped_at)
