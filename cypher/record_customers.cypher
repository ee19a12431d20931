// Creates or updates the customers a run of shipments names: one row per customer, with its
// latest description (a field left out keeps the stored one).
// Parameters: $customers, a list of maps {id, name, location, contact}.
// Returns: id, ref (the customer's element id, which record_shipments finds it by), one row per
//   customer.
UNWIND $customers AS c
MERGE (x:Customer {id: c.id})
SET x.name = coalesce(c.name, x.name), x.location = coalesce(c.location, x.location),
    x.contact = coalesce(c.contact, x.contact)
RETURN x.id AS id, elementId(x) AS ref
