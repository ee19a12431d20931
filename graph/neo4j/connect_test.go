package neo4j

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// Many first connection attempts at once (a readiness check and the first requests at
// start-up) must not race inside the driver, which sets up its connector on the first attempt
// without a lock. Meaningful under the race detector (make test runs it): without
// connectFirst it reports a data race in connector.Connect. Needs no database: nothing
// listens on port 1, so every attempt fails at once.
func TestFirstConnectionsAtOnceDoNotRace(t *testing.T) {
	s, err := Open(Config{URI: "bolt://127.0.0.1:1", RetryTime: 100 * time.Millisecond}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if err := s.Ping(context.Background()); err == nil {
				t.Error("a ping of a port nothing listens on answered")
			}
		})
	}
	wg.Wait()
}
