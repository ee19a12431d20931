// Shipment lines used to be found by an index on SHIPPED_TO.shipment_id alone. The
// shipment-line constraint (08_shipped_to_line_unique) is backed by an index on
// (shipment_id, line) that finds them as well, so the older index would only cost every
// shipment line a second index entry: it is dropped from databases that have it.
DROP INDEX shipped_to_shipment_id IF EXISTS
