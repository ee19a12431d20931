package neo4j

import (
	"context"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/graph"
)

// bookmarkManager is the request's graph.Bookmarks as the driver's bookmark manager, or nil
// (the session then chains nothing): every session of the request waits for the bookmarks the
// client sent, and each transaction replaces them with the one it ended on, so that after the
// request they name the newest state it read or wrote.
func bookmarkManager(ctx context.Context) driver.BookmarkManager {
	if b := graph.BookmarksFrom(ctx); b != nil {
		return b
	}
	return nil
}
