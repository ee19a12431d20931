package api

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"net/http"

	"github.com/gin-gonic/gin"
	"gopkg.in/yaml.v3"
)

// openAPIYAML is the OpenAPI 3 document of the whole HTTP surface, written by hand in YAML
// beside the handlers: YAML takes comments and reads well in review, which keeps the contract
// easy to keep in step; openapi_test.go fails when a route and the document disagree.
//
//go:embed openapi.yaml
var openAPIYAML []byte

// openAPIJSON is the document as served, converted once. A document that does not convert is
// a programming error that the package's tests catch, so it panics at start rather than
// failing a request later (as the cypher package does with its files).
var openAPIJSON = mustYAMLToJSON(openAPIYAML)

// handleOpenAPI answers GET /api/v1/openapi.json.
func (s *Server) handleOpenAPI(c *gin.Context) error {
	c.Data(http.StatusOK, "application/json; charset=utf-8", openAPIJSON)
	return nil
}

func mustYAMLToJSON(doc []byte) []byte {
	out, err := yamlToJSON(doc)
	if err != nil {
		panic("api: openapi.yaml: " + err.Error())
	}
	return out
}

// yamlToJSON converts a YAML document to JSON, keeping the order of keys (so that the docs
// page lists paths and properties as written) and every date or time as the string it is
// written as (a generic YAML decode would turn an example's "2027-05-01" into a time).
func yamlToJSON(doc []byte) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := writeJSON(&buf, &root); err != nil {
		return nil, err
	}
	if !json.Valid(buf.Bytes()) {
		return nil, fmt.Errorf("the conversion made invalid JSON")
	}
	return buf.Bytes(), nil
}

func writeJSON(buf *bytes.Buffer, n *yaml.Node) error {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) != 1 {
			return fmt.Errorf("want one YAML document, have %d", len(n.Content))
		}
		return writeJSON(buf, n.Content[0])
	case yaml.AliasNode:
		return writeJSON(buf, n.Alias)
	case yaml.MappingNode:
		buf.WriteByte('{')
		for i := 0; i < len(n.Content); i += 2 {
			key, value := n.Content[i], n.Content[i+1]
			if key.Kind != yaml.ScalarNode || key.Value == "<<" {
				return fmt.Errorf("line %d: only plain keys are supported (no merge keys)", key.Line)
			}
			if i > 0 {
				buf.WriteByte(',')
			}
			writeString(buf, key.Value)
			buf.WriteByte(':')
			if err := writeJSON(buf, value); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case yaml.SequenceNode:
		buf.WriteByte('[')
		for i, item := range n.Content {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := writeJSON(buf, item); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case yaml.ScalarNode:
		return writeScalar(buf, n)
	default:
		return fmt.Errorf("line %d: unsupported YAML node", n.Line)
	}
	return nil
}

func writeScalar(buf *bytes.Buffer, n *yaml.Node) error {
	var v any
	switch n.ShortTag() {
	case "!!null":
		buf.WriteString("null")
		return nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return err
		}
		v = b
	case "!!int":
		var i int64
		if err := n.Decode(&i); err != nil {
			return err
		}
		v = i
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return err
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return fmt.Errorf("line %d: %s has no JSON form", n.Line, n.Value)
		}
		v = f
	default: // strings, and timestamps kept as written
		writeString(buf, n.Value)
		return nil
	}
	out, err := json.Marshal(v)
	if err != nil {
		return err
	}
	buf.Write(out)
	return nil
}

// writeString writes s as a JSON string without escaping <, > and &, which the descriptions use.
func writeString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)           // a string always encodes
	buf.Truncate(buf.Len() - 1) // Encode ends with a newline
}
