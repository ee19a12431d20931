package cypher

// The EPCIS statements (issue 14), one per file like the others.
var (
	EpcisLookupEvents  = load("epcis_lookup_events.cypher")
	EpcisRecordEvents  = load("epcis_record_events.cypher")
	EpcisEvent         = load("epcis_event.cypher")
	EpcisEventsQuery   = load("epcis_events_query.cypher")
	EpcisEventsForKeys = load("epcis_events_for_keys.cypher")
	EpcisCaptureCreate = load("epcis_capture_create.cypher")
	EpcisCaptureBeat   = load("epcis_capture_heartbeat.cypher")
	EpcisCaptureFinish = load("epcis_capture_finish.cypher")
	EpcisCaptureExpire = load("epcis_capture_expire.cypher")
	EpcisCaptures      = load("epcis_captures.cypher")
)

// EpcisCTEEvents reads whole recorded events for the export.
var EpcisCTEEvents = load("epcis_cte_events.cypher")
