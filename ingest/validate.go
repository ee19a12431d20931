package ingest

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"

	"github.com/lot-trace/lot-trace/graph"
)

const (
	maxIdentLen = 200
	maxTextLen  = 1000
	maxUnitLen  = 32
	dateLayout  = time.DateOnly
)

// validate is built once: validator caches struct metadata and is safe for concurrent use.
var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	// Report fields by their wire names, so that problems say "lot.code", not "Lot.Code".
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	must := func(tag string, fn validator.Func) {
		if err := v.RegisterValidation(tag, fn); err != nil {
			panic(err)
		}
	}
	must("ident", func(fl validator.FieldLevel) bool { return IsIdentifier(fl.Field().String()) })
	must("text", func(fl validator.FieldLevel) bool { return isText(fl.Field().String(), maxTextLen) })
	must("unit", func(fl validator.FieldLevel) bool { return isText(fl.Field().String(), maxUnitLen) })
	must("quantity", func(fl validator.FieldLevel) bool { return IsQuantity(fl.Field().Float()) })
	must("rfc3339", func(fl validator.FieldLevel) bool {
		_, err := time.Parse(time.RFC3339Nano, fl.Field().String())
		return err == nil
	})
	must("date", func(fl validator.FieldLevel) bool {
		_, err := time.Parse(dateLayout, fl.Field().String())
		return err == nil
	})
	return v
}

// unprintable lists, as the inside of a regular expression's character class, the characters
// no identifier or text may hold: control characters (C0 and C1), the format characters that
// are invisible or reorder text (soft hyphen, zero-width spaces and joiners, bidirectional
// controls, the byte order mark: a lot code that looks like another), line and paragraph
// separators, and every space but U+0020. The characters are literal, not escapes, so that
// the same text is a pattern in Go, in the OpenAPI document (JSON Schema's ECMA-262 regular
// expressions) and in the tools that read it; api/openapi.yaml states it as TextPattern and
// IdentifierPattern, and a test checks that they agree.
const unprintable = "\x00-\x1f\x7f-\u009f\u00a0\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u1680\u180e" +
	"\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\ufeff\ufff9-\ufffb"

// TextPattern and IdentifierPattern are what a text and an identifier may be, lengths aside:
// no unprintable character, and an identifier neither starts nor ends with a space.
const (
	TextPattern       = "^[^" + unprintable + "]*$"
	IdentifierPattern = "^[^ " + unprintable + "](?:[^" + unprintable + "]*[^ " + unprintable + "])?$"
)

var textRE, identRE = regexp.MustCompile(TextPattern), regexp.MustCompile(IdentifierPattern)

// IsIdentifier reports whether s can be a lot code or another id: 1 to 200 characters, none
// unprintable, no surrounding spaces. GS1 URNs (urn:epc:class:lgtin:...) pass as they are.
func IsIdentifier(s string) bool {
	if printableASCII(s) { // the usual case, decided without the expression
		return s != "" && len(s) <= maxIdentLen && s[0] != ' ' && s[len(s)-1] != ' '
	}
	return utf8.RuneCountInString(s) <= maxIdentLen && utf8.ValidString(s) && identRE.MatchString(s)
}

// isText reports whether s is 1 to max characters of valid UTF-8, none unprintable.
func isText(s string, max int) bool {
	if printableASCII(s) {
		return s != "" && len(s) <= max
	}
	return s != "" && utf8.RuneCountInString(s) <= max && utf8.ValidString(s) && textRE.MatchString(s)
}

// printableASCII reports whether every byte of s is U+0020 to U+007E: valid UTF-8, one
// character a byte, and none of them unprintable (the unprintable ASCII characters are
// U+0000 to U+001F and U+007F; every other one is beyond ASCII). The history a plant loads
// is almost all such text, and the expressions cost more than the rest of the checks.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// MinQuantity and MaxQuantity bound every quantity recorded: a millionth of a unit (a
// milligram in kg) to a trillion units. Ratios of two of them (exposure, accounted
// percentages) then stay far inside float64, where 1e-320 made them infinite.
const (
	MinQuantity = 1e-6
	MaxQuantity = 1e12
)

// IsQuantity reports whether q is a number from MinQuantity to MaxQuantity (so never NaN or
// infinite).
func IsQuantity(q float64) bool { return q >= MinQuantity && q <= MaxQuantity }

// QuantityRule is the problem message for a quantity out of range.
const QuantityRule = "must be a number from 0.000001 to 1000000000000 (1e-6 to 1e12)"

// messages says, for each validation tag, what the field must be.
var messages = map[string]string{
	"required": "is required",
	"ident":    fmt.Sprintf("must be 1 to %d printable characters, with no control characters or surrounding spaces", maxIdentLen),
	"text":     fmt.Sprintf("must be 1 to %d printable characters", maxTextLen),
	"unit":     fmt.Sprintf("must be a unit of measure of 1 to %d printable characters (kg, lb, case, each, ...)", maxUnitLen),
	"quantity": QuantityRule,
	"rfc3339":  "must be an RFC 3339 time, such as 2026-10-01T07:00:00Z",
	"date":     "must be a date, such as 2027-05-01",
	"min":      "must have at least one entry",
}

// check validates a wire struct and returns its problems with wire field paths.
func check(v any) []graph.FieldError {
	err := validate.Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return []graph.FieldError{{Field: "", Message: err.Error()}}
	}
	out := make([]graph.FieldError, 0, len(verrs))
	for _, fe := range verrs {
		msg, ok := messages[fe.Tag()]
		if fe.Tag() == "eq" { // only "type" on the single-event routes
			msg, ok = fmt.Sprintf("must be %s on this route, or left out", fe.Param()), true
		}
		if !ok {
			msg = "fails " + fe.Tag()
		}
		out = append(out, graph.FieldError{Field: fieldPath(fe.Namespace()), Message: msg})
	}
	return out
}

// fieldPath drops the struct name validator puts first: "ReceiptJSON.lot.code" -> "lot.code".
func fieldPath(namespace string) string {
	_, rest, found := strings.Cut(namespace, ".")
	if !found {
		return namespace
	}
	return rest
}
