package api

// routes is the whole HTTP surface, one line a route: start here to find any behaviour.
// s.allow(x) names the access a route needs (the roles with it are in auth.go); routes without
// it are open. s.audited records the call in the audit trail (s.auditedByHandler: the handler
// writes the begin entry once it has read what the call asks). s.accepts names the body's
// media type. Every request passes guardRequests first (Host in keyless mode, cross-origin
// writes). s.queryDeadline bounds a trace or report by the query timeout; s.streamedBody lets
// a bulk body take as long as it keeps coming (timeouts.go).
func (s *Server) routes() {
	r := s.engine
	r.NoRoute(s.handleNoRoute)
	r.NoMethod(s.handleNoMethod)

	r.GET("/", s.handleUIIndex)
	r.GET("/assets/*filepath", s.handleUIAsset)
	r.GET("/healthz", s.handleHealthz)
	r.GET("/readyz", s.handleReadyz)
	r.GET("/metrics", s.handleMetrics)
	r.GET("/api/docs", s.handleDocs)
	r.GET("/api/docs/:file", s.handleDocsFile)

	v1 := r.Group("/api/v1")
	v1.GET("/openapi.json", s.handleOpenAPI)
	v1.POST("/receipts", s.auditedByHandler, s.allow(writer), s.accepts(mediaJSON), s.handleReceiptCreate)
	v1.POST("/productions", s.auditedByHandler, s.allow(writer), s.accepts(mediaJSON), s.handleProductionCreate)
	v1.POST("/shipments", s.auditedByHandler, s.allow(writer), s.accepts(mediaJSON), s.handleShipmentCreate)
	v1.POST("/events", s.audited, s.allow(writer), s.accepts(mediaNDJSON), s.streamedBody, s.handleEventsBulk)
	v1.GET("/lots", s.audited, s.allow(reader), s.handleLotSearch)
	v1.GET("/lots/:code", s.audited, s.allow(reader), s.handleLotGet)
	v1.GET("/lots/:code/trace", s.audited, s.allow(reader), s.queryDeadline, s.handleLotTrace)
	v1.GET("/lots/:code/recall", s.audited, s.allow(reader), s.queryDeadline, s.handleLotRecall)
	v1.GET("/lots/:code/recall/report", s.audited, s.allow(reader), s.queryDeadline, s.handleLotRecallReport)
	v1.GET("/lots/:code/exposure", s.audited, s.allow(reader), s.queryDeadline, s.handleLotExposure)
	v1.GET("/lots/:code/mass-balance", s.audited, s.allow(reader), s.queryDeadline, s.handleLotMassBalance)
	v1.POST("/cypher", s.auditedByHandler, s.allow(analyst), s.accepts(mediaJSON), s.handleCypherQuery)
	v1.GET("/audit", s.audited, s.allow(admin), s.handleAuditList)
}
