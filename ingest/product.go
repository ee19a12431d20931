package ingest

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/lot-trace/lot-trace/graph"
)

// ProductJSON is the body of PUT /api/v1/products/{id}.
type ProductJSON struct {
	Description string `json:"description"`
	FTLCategory string `json:"ftl_category"`
}

// maxDescription is the longest product description kept, as for a lot's description.
const maxDescription = 500

// DecodeProduct reads the body of PUT /api/v1/products/{id} for the product id and returns it
// validated, or an *graph.Error: EMALFORMED when it is not the expected JSON, EINVALID naming
// every bad field (id, description, ftl_category).
func DecodeProduct(id string, data []byte) (graph.Product, error) {
	var w ProductJSON
	if err := decodeStrict(data, &w); err != nil {
		return graph.Product{}, err
	}
	return NewProduct(id, w.Description, w.FTLCategory, "")
}

// NewProduct validates a product's fields; prefix names them as the caller's input does
// ("" for the API's body, "line 3: " for a file).
func NewProduct(id, description, category, prefix string) (graph.Product, error) {
	p := graph.Product{ID: graph.ProductID(id), Description: description, FTLCategory: graph.FTLCategory(category)}
	var problems []graph.FieldError
	if !IsIdentifier(id) {
		problems = append(problems, graph.FieldError{Field: prefix + "id", Message: "must be 1 to 200 printable characters without surrounding spaces"})
	}
	if description != "" && !isText(description, maxDescription) {
		problems = append(problems, graph.FieldError{Field: prefix + "description", Message: fmt.Sprintf("must be at most %d printable characters", maxDescription)})
	}
	if category != "" {
		var ge *graph.Error
		if errors.As(p.FTLCategory.Validate(prefix+"ftl_category"), &ge) {
			problems = append(problems, ge.Fields...)
		}
	}
	if len(problems) > 0 {
		return p, graph.Invalid("invalid product", problems...)
	}
	return p, nil
}

// productColumns are the columns of a products CSV file, in any order (case-insensitive);
// description and ftl_category may be left out or empty.
var productColumns = []string{"product", "description", "ftl_category"}

// IsProductsCSV reports whether a CSV header row is that of a products file: it names the
// product column and no event column.
func IsProductsCSV(header []string) bool {
	have := map[string]bool{}
	for _, h := range header {
		have[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))] = true
	}
	if !have["product"] || !have["ftl_category"] {
		return false
	}
	for h := range have {
		if h != "" && !slices.Contains(productColumns, h) {
			return false
		}
	}
	return true
}

// ReadProductsCSV reads a products file (product, description, ftl_category; a header row
// first) and hands each valid product to put, in file order. A bad row is reported by line
// and column in the returned error, after the good rows were handed over; a file whose
// header is not a products header is an error before any row.
func ReadProductsCSV(r io.Reader, put func(graph.Product) error) (int, error) {
	cr := csv.NewReader(skipBOM(r))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return 0, fmt.Errorf("products CSV: header: %w", err)
	}
	if !IsProductsCSV(header) {
		return 0, fmt.Errorf("products CSV: the header must name product and ftl_category (and may name description), got %v", header)
	}
	pos := map[string]int{}
	for i, h := range header {
		pos[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))] = i
	}
	cell := func(rec []string, name string) string {
		i, ok := pos[name]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	n, line := 0, 1
	var problems []string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line++
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		if strings.Join(rec, "") == "" {
			continue
		}
		p, err := NewProduct(cell(rec, "product"), cell(rec, "description"), cell(rec, "ftl_category"), fmt.Sprintf("line %d: ", line))
		if err != nil {
			var ge *graph.Error
			if errors.As(err, &ge) {
				for _, f := range ge.Fields {
					problems = append(problems, f.Field+": "+f.Message)
				}
			}
			continue
		}
		if err := put(p); err != nil {
			return n, err
		}
		n++
	}
	if len(problems) > 0 {
		return n, fmt.Errorf("products CSV: %d rows refused: %s", len(problems), strings.Join(problems, "; "))
	}
	return n, nil
}
