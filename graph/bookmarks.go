package graph

import (
	"context"
	"slices"
	"sync"
)

// Bookmarks are one request's causal-consistency bookmarks: opaque tokens, each naming a
// state of the database, that a replica of the service hands its client after a write and
// that any replica given them back waits for before it reads. With several replicas on a
// Neo4j cluster, a write answered by one replica is then seen by a read on another, even when
// the read goes to a secondary that is still catching up.
//
// The store passes a request's bookmarks to every transaction it runs for it, and replaces
// those a transaction waited for with the one it ended on. Its methods have the shape of the
// Neo4j driver's BookmarkManager, so the store hands it to the driver as it is. It is safe for
// concurrent use: a bulk load runs two transactions at once.
type Bookmarks struct {
	mu   sync.Mutex
	list []string
}

type bookmarksKey struct{}

// WithBookmarks returns ctx carrying the bookmarks a client sent (none: a new causal chain),
// and the bookmarks, which hold the newest state the request's transactions saw once they
// have run.
func WithBookmarks(ctx context.Context, sent []string) (context.Context, *Bookmarks) {
	b := &Bookmarks{list: slices.Clone(sent)}
	return context.WithValue(ctx, bookmarksKey{}, b), b
}

// BookmarksFrom returns the request's bookmarks, or nil when ctx carries none: transactions
// then run without waiting for a state.
func BookmarksFrom(ctx context.Context) *Bookmarks {
	b, _ := ctx.Value(bookmarksKey{}).(*Bookmarks)
	return b
}

// List returns the bookmarks held now.
func (b *Bookmarks) List() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.list)
}

// GetBookmarks returns the bookmarks a transaction must wait for.
func (b *Bookmarks) GetBookmarks(context.Context) ([]string, error) { return b.List(), nil }

// UpdateBookmarks replaces the bookmarks a transaction waited for (previous) with the ones it
// ended on (next): a transaction that began after a state ends on a later one.
func (b *Bookmarks) UpdateBookmarks(_ context.Context, previous, next []string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.list = slices.DeleteFunc(b.list, func(s string) bool { return slices.Contains(previous, s) })
	for _, s := range next {
		if s != "" && !slices.Contains(b.list, s) {
			b.list = append(b.list, s)
		}
	}
	return nil
}
