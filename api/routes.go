package api

import "github.com/gin-gonic/gin"

// routes is the whole HTTP surface, one line a route: start here to find any behaviour.
// s.allow(x) names the access a route needs (the roles with it are in auth.go); routes without
// it are open. s.audited records the call in the audit trail (s.auditedByHandler: the handler
// writes the begin entry once it has read what the call asks). s.accepts names the body's
// media type. Every request passes guardRequests first (Host in keyless mode, cross-origin
// writes). s.queryDeadline bounds a trace or report by the query timeout; s.streamedBody lets
// a bulk body take as long as it keeps coming (timeouts.go).
func (s *Server) routes() {
	r := s.engine
	r.NoRoute(s.handle(s.handleNoRoute))
	r.NoMethod(s.handle(s.handleNoMethod))

	r.GET("/", s.handle(s.handleUIIndex))
	r.GET("/assets/*filepath", s.handle(s.handleUIAsset))
	r.GET("/healthz", s.handle(s.handleHealthz))
	r.GET("/readyz", s.handle(s.handleReadyz))
	r.GET("/metrics", s.handle(s.handleMetrics))
	r.GET("/api/docs", s.handle(s.handleDocs))
	r.GET("/api/docs/:file", s.handle(s.handleDocsFile))

	v1 := r.Group("/api/v1")
	v1.GET("/openapi.json", s.handle(s.handleOpenAPI))
	v1.POST("/receipts", s.auditedByHandler, s.allow(writer), s.accepts(mediaJSON), s.handle(s.handleReceiptCreate))
	v1.POST("/productions", s.auditedByHandler, s.allow(writer), s.accepts(mediaJSON), s.handle(s.handleProductionCreate))
	v1.POST("/shipments", s.auditedByHandler, s.allow(writer), s.accepts(mediaJSON), s.handle(s.handleShipmentCreate))
	v1.POST("/events", s.audited, s.allow(writer), s.accepts(mediaNDJSON), s.streamedBody, s.handle(s.handleEventsBulk))
	v1.GET("/lots", s.audited, s.allow(reader), s.handle(s.handleLotSearch))
	v1.GET("/lots/:code", s.audited, s.allow(reader), s.handle(s.handleLotGet))
	v1.GET("/lots/:code/trace", s.audited, s.allow(reader), s.queryDeadline, s.handle(s.handleLotTrace))
	v1.GET("/lots/:code/recall", s.audited, s.allow(reader), s.queryDeadline, s.handle(s.handleLotRecall))
	v1.GET("/lots/:code/recall/report", s.audited, s.allow(reader), s.queryDeadline, s.handle(s.handleLotRecallReport))
	v1.GET("/lots/:code/exposure", s.audited, s.allow(reader), s.queryDeadline, s.handle(s.handleLotExposure))
	v1.GET("/lots/:code/mass-balance", s.audited, s.allow(reader), s.queryDeadline, s.handle(s.handleLotMassBalance))
	v1.POST("/cypher", s.auditedByHandler, s.allow(analyst), s.accepts(mediaJSON), s.handle(s.handleCypherQuery))
	v1.GET("/audit", s.audited, s.allow(admin), s.handle(s.handleAuditList))
	v1.POST("/recalls", s.audited, s.allow(writer), s.accepts(mediaJSON), s.queryDeadline, s.handle(s.handleRecallCaseOpen))
	v1.GET("/recalls", s.audited, s.allow(reader), s.handle(s.handleRecallCaseList))
	v1.GET("/recalls/:id", s.audited, s.allow(reader), s.queryDeadline, s.handle(s.handleRecallCaseGet))
	v1.POST("/recalls/:id/rescope", s.audited, s.allow(writer), s.queryDeadline, s.handle(s.handleRecallCaseRescope))
	v1.POST("/recalls/:id/steps", s.audited, s.allow(writer), s.accepts(mediaJSON), s.handle(s.handleRecallCaseStep))
	v1.POST("/recalls/:id/release", s.audited, s.allow(admin), s.accepts(mediaJSON), s.handle(s.handleRecallCaseRelease))
	v1.POST("/recalls/:id/close", s.audited, s.allow(admin), s.accepts(mediaJSON), s.handle(s.handleRecallCaseClose))
	v1.GET("/products", s.audited, s.allow(reader), s.handle(s.handleProductList))
	v1.PUT("/products/:id", s.auditedByHandler, s.allow(writer), s.accepts(mediaJSON), s.handle(s.handleProductPut))
	v1.GET("/products/:id", s.audited, s.allow(reader), s.handle(s.handleProductGet))
	v1.GET("/fsma/foods", s.allow(reader), s.handle(s.handleFSMAFoods))
	v1.GET("/fsma/records", s.audited, s.allow(reader), s.queryDeadline, s.handle(s.handleFSMARecords))
	v1.GET("/fsma/requests", s.audited, s.allow(analyst), s.handle(s.handleFSMARequests))
	v1.GET("/fsma/completeness", s.audited, s.allow(reader), s.queryDeadline, s.handle(s.handleFSMACompleteness))

	// EPCIS 2.0, GS1's REST binding (epcis.go).
	ep := r.Group("/epcis")
	ep.OPTIONS("/capture", s.handle(s.handleEPCISCaptureOptions))
	ep.POST("/capture", s.audited, s.allow(writer), s.accepts(mediaJSON), s.handle(s.handleEPCISCapture))
	ep.GET("/capture", s.audited, s.allow(reader), s.handle(s.handleEPCISCaptureJobs))
	ep.GET("/capture/:id", s.audited, s.allow(reader), s.handle(s.handleEPCISCaptureJob))
	ep.POST("/events", s.audited, s.allow(writer), s.accepts(mediaJSON), s.handle(s.handleEPCISEventCapture))
	ep.GET("/events", s.audited, s.allow(reader), s.queryDeadline, s.handle(s.handleEPCISEvents))
	ep.GET("/events/:eventID", s.audited, s.allow(reader), s.handle(s.handleEPCISEvent))
}

// handle adapts a handler that returns its error to Gin: every handler's failure takes one
// path (failAnswer). Nothing written yet: a problem document (renderErrors); a streamed answer
// under way: logged, and the connection cut. Middlewares stay gin.HandlerFunc.
func (s *Server) handle(h func(*gin.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			s.failAnswer(c, err)
		}
	}
}
