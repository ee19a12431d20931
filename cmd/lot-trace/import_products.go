package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/ingest"
)

// ProductPutter is what loading a products file needs of the store.
type ProductPutter interface {
	PutProduct(ctx context.Context, p graph.Product) (bool, error)
}

// importProducts loads the CSV inputs whose header is a products file's (product,
// description, ftl_category: ingest.IsProductsCSV) and returns the other inputs, the event
// files, for the loader. A products row that is refused is reported with its line and column;
// the good rows are stored (each PUT-like: the product replaced).
func importProducts(ctx context.Context, store ProductPutter, inputs []ingest.Input, stdout io.Writer, quiet bool) ([]ingest.Input, error) {
	var events []ingest.Input
	for _, in := range inputs {
		if in.Format != ingest.FormatCSV || in.Path == ingest.Stdin || !isProductsFile(in.Path) {
			events = append(events, in)
			continue
		}
		f, err := os.Open(in.Path)
		if err != nil {
			return nil, err
		}
		n, err := ingest.ReadProductsCSV(f, func(p graph.Product) error {
			p.UpdatedAt = time.Now().UTC()
			_, err := store.PutProduct(ctx, p)
			return err
		})
		f.Close()
		if !quiet {
			fmt.Fprintf(stdout, "%s: %d products stored\n", in.Name(), n)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", in.Name(), err)
		}
	}
	return events, nil
}

// isProductsFile reads a CSV file's header row.
func isProductsFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false // the loader reports it
	}
	defer f.Close()
	header, err := csv.NewReader(bufio.NewReader(f)).Read()
	return err == nil && ingest.IsProductsCSV(header)
}
