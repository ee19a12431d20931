-- Indexes on the walk's columns and the foreign keys, made after COPY (faster than
-- maintaining them row by row, and the usual way to bulk-load). Each walk index leads with
-- the column the walk joins on and carries the column it steps to, so that a step is an
-- index-only scan once VACUUM has set the visibility map.
-- Parameters: none. Returns nothing.
CREATE INDEX produced_lot_batch    ON produced (lot, batch);       -- backward: lot <- batch
CREATE INDEX consumed_batch_lot    ON consumed (batch, lot);       -- backward: batch <- lot
CREATE INDEX consumed_lot_batch    ON consumed (lot, batch);       -- forward: lot -> batch
CREATE INDEX produced_batch_lot    ON produced (batch, lot);       -- forward: batch -> lot
CREATE INDEX received_lot_supplier ON received_from (lot, supplier);
CREATE INDEX shipped_lot_customer  ON shipped_to (lot, customer);

ALTER TABLE received_from ADD FOREIGN KEY (lot) REFERENCES lots, ADD FOREIGN KEY (supplier) REFERENCES suppliers;
ALTER TABLE consumed      ADD FOREIGN KEY (lot) REFERENCES lots, ADD FOREIGN KEY (batch) REFERENCES batches;
ALTER TABLE produced      ADD FOREIGN KEY (lot) REFERENCES lots, ADD FOREIGN KEY (batch) REFERENCES batches;
ALTER TABLE shipped_to    ADD FOREIGN KEY (lot) REFERENCES lots, ADD FOREIGN KEY (customer) REFERENCES customers;
