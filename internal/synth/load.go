package synth

import (
	"context"
	"io"

	"github.com/lot-trace/lot-trace/ingest"
)

// Load generates a history and records it as it is generated, through the same loader as
// bulk ingest, without holding it in memory or on disk.
func Load(ctx context.Context, rec ingest.Recorder, opt Options) (ingest.Counts, error) {
	pr, pw := io.Pipe()
	go func() {
		_, err := Generate(pw, opt)
		pw.CloseWithError(err)
	}()
	defer pr.Close()
	loader := ingest.Loader{Recorder: rec}
	return loader.Load(ctx, ingest.NewNDJSON(pr))
}
