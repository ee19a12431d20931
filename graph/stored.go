package graph

import "time"

// Stored properties, read by the domain while Node and Edge carry them as maps (temporary:
// they go once trace parts are typed).

func str(v any) string {
	s, _ := v.(string)
	return s
}

func toFloat(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case int64:
		return float64(n)
	}
	return 0
}

func toInt(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case float64:
		return int64(n)
	}
	return 0
}

func quantityOf(m map[string]any) Quantity {
	return Quantity{Amount: toFloat(m["quantity"]), Unit: str(m["unit"])}
}

func timeOf(v any) time.Time {
	t, _ := v.(time.Time)
	return t.UTC()
}
