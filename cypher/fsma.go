package cypher

// The statements of the FSMA 204 records request, products and the KDE completeness report.
var (
	ProductPut                 = load("product_put.cypher")
	ProductsList               = load("products_list.cypher")
	ProductGet                 = load("product_get.cypher")
	RecordsReceiving           = load("records_receiving.cypher")
	RecordsTransformation      = load("records_transformation.cypher")
	RecordsShipping            = load("records_shipping.cypher")
	RecordsReceivingByLot      = load("records_receiving_by_lot.cypher")
	RecordsTransformationByLot = load("records_transformation_by_lot.cypher")
	RecordsShippingByLot       = load("records_shipping_by_lot.cypher")
	RecordsRequestLog          = load("records_request_log.cypher")
	RecordsRequests            = load("records_requests.cypher")
	CompletenessCountsAll      = load("completeness_counts_all.cypher")
	CompletenessCounts         = load("completeness_counts.cypher")
	CompletenessReceiving      = load("completeness_receiving.cypher")
	CompletenessTransformation = load("completeness_transformation.cypher")
	CompletenessShipping       = load("completeness_shipping.cypher")
)
