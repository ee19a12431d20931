package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/ingest"
)

type putterFunc func(graph.Product) error

func (f putterFunc) PutProduct(_ context.Context, p graph.Product) (bool, error) { return true, f(p) }

// A products CSV among the inputs is stored as products, its bad rows named by line and
// column; event files are left for the loader.
func TestImportProductsFile(t *testing.T) {
	dir := t.TempDir()
	products := writeFile(t, dir, "products.csv", "\uFEFFProduct,Description,FTL_Category\r\n"+
		"EGGS-12,Shell eggs dozen,shell_eggs\r\n"+
		"FLOUR-AP,All-purpose flour,\r\n"+
		"BAD,Something,flour\r\n")
	events := writeFile(t, dir, "events.csv", "type,event_id,date,location,role,lot_code,product,quantity,unit\n")
	inputs, err := ingest.PlanInputs([]string{products, events}, "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	var stored []graph.Product
	var out bytes.Buffer
	rest, err := importProducts(context.Background(), putterFunc(func(p graph.Product) error {
		stored = append(stored, p)
		return nil
	}), inputs, &out, false)
	if err == nil || !strings.Contains(err.Error(), "line 4: ftl_category") {
		t.Errorf("error %v, want line 4's ftl_category named", err)
	}
	if len(stored) != 2 || stored[0].ID != "EGGS-12" || stored[0].FTLCategory != "shell_eggs" || stored[1].FTLCategory != "" || stored[1].Description != "All-purpose flour" {
		t.Errorf("stored %+v", stored)
	}
	_ = rest
	rest, err = importProducts(context.Background(), putterFunc(func(graph.Product) error { return nil }), inputs[1:], &out, true)
	if err != nil || len(rest) != 1 || rest[0].Path != events {
		t.Errorf("the events file: %v %v", rest, err)
	}
}

// The demo's products are valid products, its eggs on the list.
func TestDemoProducts(t *testing.T) {
	var stored []graph.Product
	if err := loadDemoProducts(context.Background(), putterFunc(func(p graph.Product) error {
		if _, err := ingest.NewProduct(string(p.ID), p.Description, string(p.FTLCategory), ""); err != nil {
			t.Errorf("%s: %v", p.ID, err)
		}
		stored = append(stored, p)
		return nil
	})); err != nil || len(stored) != len(demoProducts) || stored[0].FTLCategory != "shell_eggs" {
		t.Errorf("stored %+v, %v", stored, err)
	}
}
