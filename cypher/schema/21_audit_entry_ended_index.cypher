// GET /api/v1/audit reads the newest entries first: audit_recent walks this index backwards
// from its newest end time, so that its cost follows the answer, not the trail's size.
CREATE INDEX audit_entry_ended IF NOT EXISTS
FOR (e:AuditEntry) ON (e.ended)
