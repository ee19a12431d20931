// Shipment lines are SHIPPED_TO relationships; idempotent shipment writes find a shipment's
// lines by its id.
CREATE INDEX shipped_to_shipment_id IF NOT EXISTS FOR ()-[s:SHIPPED_TO]-() ON (s.shipment_id)
