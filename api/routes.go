package api

// routes is the whole HTTP surface, one line a route: start here to find any behaviour.
func (s *Server) routes() {
	r := s.engine
	r.NoRoute(s.handleNoRoute)
	r.NoMethod(s.handleNoMethod)

	r.GET("/healthz", s.handleHealthz)
	r.GET("/readyz", s.handleReadyz)

	v1 := r.Group("/api/v1")
	v1.POST("/receipts", s.handleReceiptCreate)
	v1.POST("/productions", s.handleProductionCreate)
	v1.POST("/shipments", s.handleShipmentCreate)
	v1.POST("/events", s.handleEventsBulk)
	v1.GET("/lots", s.handleLotSearch)
	v1.GET("/lots/:code", s.handleLotGet)
	v1.GET("/lots/:code/trace", s.handleLotTrace)
	v1.GET("/lots/:code/recall", s.handleLotRecall)
}
