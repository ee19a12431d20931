package main

import (
	"context"
	"time"

	"github.com/lot-trace/lot-trace/graph"
)

// demoProducts are the demo bakery's products that a records request can name by food: its
// eggs are on the Food Traceability List, its flour is not.
var demoProducts = []graph.Product{
	{ID: "EGGS-L", Description: "Shell eggs, large", FTLCategory: "shell_eggs"},
	{ID: "FLOUR-AP", Description: "All-purpose flour"},
}

// loadDemoProducts stores the demo's products, for the explorer's Records request tab.
func loadDemoProducts(ctx context.Context, store ProductPutter) error {
	for _, p := range demoProducts {
		p.UpdatedAt = time.Now().UTC()
		if _, err := store.PutProduct(ctx, p); err != nil {
			return err
		}
	}
	return nil
}
