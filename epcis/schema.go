package epcis

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/graph/gs1"
)

// GS1's EPCIS 2.0 JSON schema and JSON-LD context, copied unchanged from GS1's EPCIS
// repository (github.com/gs1/EPCIS, commit 2b888befbc071e1c2d388e027b30149b3f51dcef); gs1/LICENSE
// is GS1's notice that comes with them.
var (
	//go:embed gs1/EPCIS-JSON-Schema.json
	schemaJSON []byte
	//go:embed gs1/epcis-context.jsonld
	ContextJSON []byte
)

// ContextURL is the JSON-LD context every EPCIS 2.0 document names.
const ContextURL = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"

const schemaURL = "https://gs1.github.io/EPCIS/EPCIS-JSON-Schema.json"

// Validator checks documents and events against GS1's schema with format assertions on: a
// validator that skips format: uri lets bad bizStep, disposition and ILMD keys through.
type Validator struct {
	whole *jsonschema.Schema // a document, or a single event with its @context
	event *jsonschema.Schema // one event of a document's eventList
}

// NewValidator compiles the embedded schema.
func NewValidator() (*Validator, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	c.UseRegexpEngine(regexpEngine)
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, err
	}
	v := &Validator{}
	if v.whole, err = c.Compile(schemaURL); err != nil {
		return nil, err
	}
	if v.event, err = c.Compile(schemaURL + "#/definitions/EPCIS-Document-Event"); err != nil {
		return nil, err
	}
	return v, nil
}

// MustValidator is NewValidator for a schema that is embedded and tested: it cannot fail.
func MustValidator() *Validator {
	v, err := NewValidator()
	if err != nil {
		panic("epcis: the embedded schema does not compile: " + err.Error())
	}
	return v
}

// Document validates a whole document (or a single event with its @context), decoded with
// jsonschema.UnmarshalJSON; prefix is put before each problem's path.
func (v *Validator) Document(doc any, prefix string) []graph.FieldError {
	return problemsOf(v.whole.Validate(doc), prefix)
}

// Event validates one event of a document's eventList.
func (v *Validator) Event(ev any, prefix string) []graph.FieldError {
	return problemsOf(v.event.Validate(ev), prefix)
}

var printer = message.NewPrinter(language.English)

// regexpEngine is Go's regexp plus the one ECMA-262 form GS1's schema uses that Go lacks: a
// negative lookahead at the start, ^(?!(a|b)), "does not start with a or b".
func regexpEngine(pattern string) (jsonschema.Regexp, error) {
	if inner, ok := strings.CutPrefix(pattern, "^(?!"); ok && strings.HasSuffix(inner, ")") {
		re, err := regexp.Compile("^" + strings.TrimSuffix(inner, ")"))
		if err != nil {
			return nil, err
		}
		return notPrefix{re: re, pattern: pattern}, nil
	}
	return regexp.Compile(pattern)
}

// notPrefix matches what its expression does not match at the start.
type notPrefix struct {
	re      *regexp.Regexp
	pattern string
}

func (n notPrefix) MatchString(s string) bool { return !n.re.MatchString(s) }
func (n notPrefix) String() string            { return n.pattern }

// problemsOf lists a validation failure's leaves: each JSON path with the rule it breaks.
func problemsOf(err error, prefix string) []graph.FieldError {
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []graph.FieldError{{Field: prefix, Message: err.Error()}}
	}
	var out []graph.FieldError
	seen := map[string]bool{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		f := graph.FieldError{Field: joinPath(prefix, pathOf(e.InstanceLocation)),
			Message: e.ErrorKind.LocalizedString(printer) + " (schema rule: " + strings.Join(e.ErrorKind.KeywordPath(), "/") + ")"}
		if key := f.Field + "\x00" + f.Message; !seen[key] {
			seen[key] = true
			out = append(out, f)
		}
	}
	walk(ve)
	return out
}

// pathOf writes a JSON pointer's tokens as a wire path: epcisBody.eventList[0].bizStep.
func pathOf(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		if gs1.IsDigits(t) {
			fmt.Fprintf(&b, "[%s]", t)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(t)
	}
	return b.String()
}

func joinPath(prefix, path string) string {
	switch {
	case prefix == "":
		return path
	case path == "" || strings.HasPrefix(path, "["):
		return prefix + path
	}
	return prefix + "." + path
}
