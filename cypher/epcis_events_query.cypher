// Captured EPCIS events matching an EPCIS query (GS1 REST binding's parameters), in
// (event_time, event_id) order, one page at a time. A null parameter does not filter.
// Parameters: $types, $biz_steps, $biz_locations, $ids, $classes, $input_classes,
//   $output_classes, $any_classes (lists or null), $from (GE_eventTime), $before
//   (LT_eventTime) (datetimes or null), $after_time, $after_id (the page's start: the last
//   event of the page before; null for the first), $limit.
// Returns one row per event: id, event_time, json.
MATCH (e:EpcisEvent)
WHERE ($types IS NULL OR e.type IN $types)
  AND ($from IS NULL OR e.event_time >= $from)
  AND ($before IS NULL OR e.event_time < $before)
  AND ($biz_steps IS NULL OR e.biz_step IN $biz_steps)
  AND ($biz_locations IS NULL OR e.biz_location IN $biz_locations)
  AND ($ids IS NULL OR e.event_id IN $ids)
  AND ($classes IS NULL OR any(c IN e.classes WHERE c IN $classes))
  AND ($input_classes IS NULL OR any(c IN e.input_classes WHERE c IN $input_classes))
  AND ($output_classes IS NULL OR any(c IN e.output_classes WHERE c IN $output_classes))
  AND ($any_classes IS NULL OR any(c IN e.any_classes WHERE c IN $any_classes))
  AND ($after_time IS NULL OR e.event_time > $after_time OR (e.event_time = $after_time AND e.event_id > $after_id))
RETURN e.event_id AS id, e.event_time AS event_time, e.json AS json
ORDER BY e.event_time, e.event_id
LIMIT $limit
