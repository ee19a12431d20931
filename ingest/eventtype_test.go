package ingest

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// eventType reads "type" exactly as json.Unmarshal does (the type, or the same error), on
// documents made of keys in every case, escapes, duplicates, nesting and values of each JSON
// kind, whole and cut or with a byte changed.
func TestEventTypeIsUnmarshals(t *testing.T) {
	byUnmarshal := func(data []byte) (string, string) {
		var head struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(data, &head); err != nil {
			return "", malformed(err).Error()
		}
		return head.Type, ""
	}
	keys := []string{`"type"`, `"Type"`, `"TYPE"`, `"tYpE"`, `"t\u0079pe"`, `"typ\u00e9"`, `"ty"`, `"types"`, `"lot"`, `"lines"`, `"ſype"`, `"\u212aind"`}
	values := []string{`"receipt"`, `"production"`, `"shipment"`, `""`, `"rec\u0065ipt"`, `"ré"`, `null`, `1`, `-2.5e3`, `true`,
		`{"type":"shipment","x":[1,{"y":"}"}]}`, `[{"type":"receipt"},"]",[]]`, `"a,b}"`, `"q\"}"`, `{}`, `[]`}
	rng := rand.New(rand.NewPCG(3, 17))
	var docs []string
	for range 30000 {
		var b strings.Builder
		b.WriteString(" {"[rng.IntN(2):])
		for i := range rng.IntN(5) {
			if i > 0 {
				b.WriteString([]string{",", " , ", ",\n"}[rng.IntN(3)])
			}
			b.WriteString(keys[rng.IntN(len(keys))] + []string{":", " : ", ":\t"}[rng.IntN(3)] + values[rng.IntN(len(values))])
		}
		b.WriteString("} "[:1+rng.IntN(2)])
		doc := b.String()
		switch rng.IntN(4) {
		case 0:
			doc = doc[:rng.IntN(len(doc)+1)]
		case 1:
			at := rng.IntN(len(doc))
			doc = doc[:at] + string(`{}[]",: x\`[rng.IntN(10)]) + doc[at+1:]
		}
		docs = append(docs, doc)
	}
	docs = append(docs, "", " ", "null", `"receipt"`, "[]", `{"type":"receipt"} {}`, `{"type":"receipt"}x`, "{}", `{"type":"receipt","type":"shipment"}`)
	read := 0
	for _, doc := range docs {
		if _, ok := plainEventType([]byte(doc)); ok {
			read++
		}
		typ, err := eventType([]byte(doc))
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		wantType, wantMsg := byUnmarshal([]byte(doc))
		if typ != wantType || msg != wantMsg {
			t.Fatalf("eventType(%s) = %q, %q; Unmarshal gives %q, %q", doc, typ, msg, wantType, wantMsg)
		}
	}
	if read < len(docs)/10 {
		t.Errorf("only %d of %d documents were read without Unmarshal", read, len(docs))
	}
	t.Logf("%d of %d documents read without Unmarshal", read, len(docs))
}
