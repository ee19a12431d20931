-- The tables a user would make for lot genealogy in PostgreSQL: one table a kind of thing,
-- one table a kind of link. The benchmark's comparator only; the service never uses them.
-- Drops and recreates everything, so that each benchmark run loads a fresh copy.
-- Parameters: none. Returns nothing.
DROP TABLE IF EXISTS shipped_to, produced, consumed, received_from, batches, lots, customers, suppliers;

CREATE TABLE suppliers (
    id       text PRIMARY KEY,
    name     text,
    location text NOT NULL
);

CREATE TABLE customers (
    id       text PRIMARY KEY,
    name     text,
    location text NOT NULL,
    contact  text
);

CREATE TABLE lots (
    code         text PRIMARY KEY,
    product      text NOT NULL,
    description  text,
    quantity     double precision NOT NULL,
    unit         text NOT NULL,
    supplier_lot text,
    expires_at   date
);

CREATE TABLE batches (
    id          text PRIMARY KEY,
    line        text,
    produced_at timestamptz NOT NULL,
    location    text NOT NULL,
    ref_type    text NOT NULL,
    ref_number  text NOT NULL
);

-- A received lot and the supplier it came from.
CREATE TABLE received_from (
    lot         text NOT NULL,
    supplier    text NOT NULL,
    received_at timestamptz NOT NULL,
    location    text NOT NULL,
    ref_type    text NOT NULL,
    ref_number  text NOT NULL
);

-- A lot consumed in a batch.
CREATE TABLE consumed (
    lot   text NOT NULL,
    batch text NOT NULL,
    qty   double precision NOT NULL,
    unit  text NOT NULL
);

-- A lot a batch produced.
CREATE TABLE produced (
    batch text NOT NULL,
    lot   text NOT NULL,
    qty   double precision NOT NULL,
    unit  text NOT NULL
);

-- One shipment line: a lot shipped to a customer.
CREATE TABLE shipped_to (
    shipment   text NOT NULL,
    line       integer NOT NULL,
    lot        text NOT NULL,
    customer   text NOT NULL,
    shipped_at timestamptz NOT NULL,
    qty        double precision NOT NULL,
    unit       text NOT NULL,
    ref_type   text NOT NULL,
    ref_number text NOT NULL,
    PRIMARY KEY (shipment, line)
);
