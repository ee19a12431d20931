package graph

import (
	"context"
	"slices"
	"testing"
)

func TestBookmarksReplaceWhatATransactionWaitedFor(t *testing.T) {
	ctx, b := WithBookmarks(context.Background(), []string{"A"})
	if BookmarksFrom(ctx) != b || BookmarksFrom(context.Background()) != nil {
		t.Fatal("BookmarksFrom does not find the request's bookmarks")
	}
	_ = b.UpdateBookmarks(ctx, []string{"A"}, []string{"B"}) // one transaction
	_ = b.UpdateBookmarks(ctx, []string{"A"}, []string{"C"}) // another that began with A too
	_ = b.UpdateBookmarks(ctx, nil, []string{"", "C"})
	if got, _ := b.GetBookmarks(ctx); !slices.Equal(got, []string{"B", "C"}) {
		t.Errorf("bookmarks %v, want [B C]", got)
	}
	_ = b.UpdateBookmarks(ctx, []string{"B", "C"}, []string{"D"})
	if got := b.List(); !slices.Equal(got, []string{"D"}) {
		t.Errorf("bookmarks %v, want [D]", got)
	}
}
