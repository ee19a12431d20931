// The write path locks the lots it uses by removing a property they never have, write_lock
// (held_lots): Neo4j takes the lot's write lock for that, but only once the property's name
// is known to the database, which otherwise happens when the first recall hold is placed.
// Creating the name up front makes the lock never depend on that.
CALL db.createProperty('write_lock')
