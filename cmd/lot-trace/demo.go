package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/lot-trace/lot-trace/graph/neo4j"
	"github.com/lot-trace/lot-trace/internal/synth"
)

// demoLots is the size of the history `serve -demo` loads: big enough to explore (dough
// shared by bakes, rework, a hub ingredient), small enough to load in seconds.
const demoLots = 2000

// loadDemo loads a generated bakery history into an empty database, so that a newcomer has
// something to explore. A database that holds any lot is left alone.
func loadDemo(ctx context.Context, store *neo4j.Store, logger *slog.Logger) error {
	has, err := store.HasLots(ctx)
	if err != nil {
		return err
	}
	if has {
		logger.Info("demo history not loaded: the database already holds lots")
		return nil
	}
	start := time.Now()
	counts, err := synth.Load(ctx, store, synth.Options{Seed: 1, Lots: demoLots, HubBatches: 100})
	if err == nil {
		err = loadDemoProducts(ctx, store)
	}
	if err != nil {
		return fmt.Errorf("loading the demo history: %w", err)
	}
	logger.Info("demo history loaded", "events", counts.Lines(), "accepted", counts.Accepted,
		"rejected", counts.Rejected, "took", time.Since(start).Round(time.Millisecond).String())
	return nil
}
