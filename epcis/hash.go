package epcis

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/lot-trace/lot-trace/graph/gs1"
)

// The CBV 2.0 event hash (CBV 2.0 §8.9; GS1's reference implementation is
// github.com/RalphTro/epcis-event-hash-generator): the event's fields in the canonical
// property order, each "key=value", lists sorted, standard vocabulary as GS1 Web URIs, EPC
// URIs as canonical Digital Links, times in UTC with milliseconds, user extensions and ILMD
// as "{namespace}name=value" sorted; SHA-256 of that string, as ni:///sha-256;…?ver=CBV2.0.

// EventHash is the event hash ID of one event, given as decoded JSON (numbers as json.Number)
// with the namespaces its document's @context declares.
func EventHash(event map[string]any, ns Namespaces) string {
	sum := sha256.Sum256([]byte(PreHash(event, ns)))
	return "ni:///sha-256;" + hex.EncodeToString(sum[:]) + "?ver=CBV2.0"
}

// Namespaces maps JSON-LD prefixes ("example") to their IRIs ("http://ns.example.com/epcis/").
type Namespaces map[string]string

// standardNamespaces are the prefixes GS1's context declares.
var standardNamespaces = Namespaces{
	"gs1": "https://gs1.org/voc/", "cbv": "https://ref.gs1.org/cbv/", "epcis": "https://ref.gs1.org/epcis/",
	"cbvmda": "urn:epcglobal:cbv:mda#", "rail": "urn:gs1:epcisapp:rail:",
}

// NamespacesOf reads the prefixes a document's @context declares (objects in it; the GS1
// context's URL adds the standard ones).
func NamespacesOf(context any) Namespaces {
	ns := Namespaces{}
	for k, v := range standardNamespaces {
		ns[k] = v
	}
	var add func(any)
	add = func(c any) {
		switch c := c.(type) {
		case []any:
			for _, x := range c {
				add(x)
			}
		case map[string]any:
			for k, v := range c {
				if s, ok := v.(string); ok {
					ns[k] = s
				}
			}
		}
	}
	add(context)
	return ns
}

// expand writes a compact IRI (prefix:name) in full; anything else is returned as it is.
func (ns Namespaces) expand(s string) (iri string, prefixed bool) {
	prefix, name, ok := strings.Cut(s, ":")
	if !ok {
		return s, false
	}
	if full, ok := ns[prefix]; ok && !strings.HasPrefix(name, "//") {
		return full + name, true
	}
	return s, false
}

// key writes an extension's key as {namespace}name.
func (ns Namespaces) key(k string) string {
	prefix, name, ok := strings.Cut(k, ":")
	if !ok {
		return k
	}
	if full, ok := ns[prefix]; ok {
		return "{" + full + "}" + name
	}
	return k
}

// standardFields are the event fields the canonical order names (and those it leaves out).
var standardFields = map[string]bool{
	"type": true, "eventID": true, "eventTime": true, "eventTimeZoneOffset": true, "recordTime": true,
	"epcList": true, "parentID": true, "inputEPCList": true, "childEPCs": true, "quantityList": true,
	"childQuantityList": true, "inputQuantityList": true, "outputEPCList": true, "outputQuantityList": true,
	"action": true, "transformationID": true, "bizStep": true, "disposition": true, "persistentDisposition": true,
	"readPoint": true, "bizLocation": true, "bizTransactionList": true, "sourceList": true, "destinationList": true,
	"sensorElementList": true, "ilmd": true, "errorDeclaration": true, "certificationInfo": true, "@context": true,
}

// PreHash is the string the event hash is taken of.
func PreHash(ev map[string]any, ns Namespaces) string {
	var b strings.Builder
	kv := func(k string, v any) {
		if s, ok := scalar(v); ok {
			b.WriteString(k + "=" + s)
		}
	}
	kv("eventType", ev["type"])
	if t, ok := ev["eventTime"].(string); ok {
		b.WriteString("eventTime=" + hashTime(t))
	}
	kv("eventTimeZoneOffset", ev["eventTimeZoneOffset"])
	epcs := func(name string) {
		list, _ := ev[name].([]any)
		if len(list) == 0 {
			return
		}
		items := make([]string, 0, len(list))
		for _, x := range list {
			if s, ok := x.(string); ok {
				items = append(items, "epc="+gs1.DigitalLinkOf(strings.TrimSpace(s)))
			}
		}
		slices.Sort(items)
		b.WriteString(name + strings.Join(items, ""))
	}
	quantities := func(name string) {
		list, _ := ev[name].([]any)
		if len(list) == 0 {
			return
		}
		items := make([]string, 0, len(list))
		for _, x := range list {
			q, _ := x.(map[string]any)
			var s strings.Builder
			s.WriteString("quantityElement")
			if c, ok := q["epcClass"].(string); ok {
				s.WriteString("epcClass=" + gs1.DigitalLinkOf(strings.TrimSpace(c)))
			}
			if n, ok := scalar(q["quantity"]); ok {
				s.WriteString("quantity=" + n)
			}
			if u, ok := scalar(q["uom"]); ok {
				s.WriteString("uom=" + u)
			}
			items = append(items, s.String())
		}
		slices.Sort(items)
		b.WriteString(name + strings.Join(items, ""))
	}
	epcs("epcList")
	if p, ok := ev["parentID"].(string); ok {
		b.WriteString("parentID=" + gs1.DigitalLinkOf(p))
	}
	epcs("inputEPCList")
	epcs("childEPCs")
	quantities("quantityList")
	quantities("childQuantityList")
	quantities("inputQuantityList")
	epcs("outputEPCList")
	quantities("outputQuantityList")
	kv("action", ev["action"])
	if s, ok := ev["transformationID"].(string); ok {
		b.WriteString("transformationID=" + gs1.DigitalLinkOf(s))
	}
	if s, ok := ev["bizStep"].(string); ok {
		b.WriteString("bizStep=" + vocab(s, "bizstep", "BizStep-", ns))
	}
	if s, ok := ev["disposition"].(string); ok {
		b.WriteString("disposition=" + vocab(s, "disp", "Disp-", ns))
	}
	if pd, ok := ev["persistentDisposition"].(map[string]any); ok {
		b.WriteString("persistentDisposition")
		for _, k := range []string{"set", "unset"} {
			list, _ := pd[k].([]any)
			items := []string{}
			for _, x := range list {
				if s, ok := x.(string); ok {
					items = append(items, k+"="+vocab(s, "disp", "Disp-", ns))
				}
			}
			slices.Sort(items)
			b.WriteString(strings.Join(items, ""))
		}
	}
	for _, k := range []string{"readPoint", "bizLocation"} {
		if m, ok := ev[k].(map[string]any); ok {
			b.WriteString(k)
			if id, ok := m["id"].(string); ok {
				b.WriteString("id=" + gs1.DigitalLinkOf(id))
			}
			b.WriteString(extensions(m, map[string]bool{"id": true}, ns))
		}
	}
	typed := func(list, item, vocabKind, vocabPrefix string) {
		xs, _ := ev[list].([]any)
		if len(xs) == 0 {
			return
		}
		items := []string{}
		for _, x := range xs {
			m, _ := x.(map[string]any)
			s := ""
			if v, ok := m[item].(string); ok {
				s = item + "=" + gs1.DigitalLinkOf(v)
			}
			if t, ok := m["type"].(string); ok {
				s += "type=" + vocab(t, vocabKind, vocabPrefix, ns)
			}
			items = append(items, s)
		}
		slices.Sort(items)
		b.WriteString(list + strings.Join(items, ""))
	}
	typed("bizTransactionList", "bizTransaction", "btt", "BTT-")
	typed("sourceList", "source", "sdt", "SDT-")
	typed("destinationList", "destination", "sdt", "SDT-")
	if list, ok := ev["sensorElementList"].([]any); ok && len(list) > 0 {
		items := []string{}
		for _, x := range list {
			items = append(items, sensorElement(x, ns))
		}
		slices.Sort(items)
		b.WriteString("sensorElementList" + strings.Join(items, ""))
	}
	if ilmd, ok := ev["ilmd"].(map[string]any); ok && len(ilmd) > 0 {
		b.WriteString("ilmd" + extensions(ilmd, nil, ns))
	}
	b.WriteString(extensions(ev, standardFields, ns))
	return b.String()
}

var metadataOrder = []string{"time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "bizRules"}
var reportOrder = []string{"type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "time",
	"microorganism", "chemicalSubstance", "value", "component", "stringValue", "booleanValue", "hexBinaryValue", "uriValue",
	"minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue", "uom", "coordinateReferenceSystem"}

func sensorElement(x any, ns Namespaces) string {
	el, _ := x.(map[string]any)
	var b strings.Builder
	b.WriteString("sensorElement")
	fields := func(m map[string]any, order []string) string {
		var s strings.Builder
		known := map[string]bool{}
		for _, k := range order {
			known[k] = true
			v, ok := m[k]
			if !ok {
				continue
			}
			if str, ok := v.(string); ok {
				switch {
				case k == "time" || k == "startTime" || k == "endTime":
					str = hashTime(str)
				case k == "type" || k == "exception" || k == "component":
					str, _ = ns.expand(str)
					if !strings.Contains(str, ":") {
						str = "https://gs1.org/voc/" + str
					}
				default:
					str = gs1.DigitalLinkOf(str)
				}
				s.WriteString(k + "=" + str)
			} else if v2, ok := scalar(v); ok {
				s.WriteString(k + "=" + v2)
			}
		}
		s.WriteString(extensions(m, known, ns))
		return s.String()
	}
	if md, ok := el["sensorMetadata"].(map[string]any); ok {
		b.WriteString("sensorMetadata" + fields(md, metadataOrder))
	}
	if reports, ok := el["sensorReport"].([]any); ok {
		items := []string{}
		for _, r := range reports {
			m, _ := r.(map[string]any)
			items = append(items, "sensorReport"+fields(m, reportOrder))
		}
		slices.Sort(items)
		b.WriteString(strings.Join(items, ""))
	}
	b.WriteString(extensions(el, map[string]bool{"sensorMetadata": true, "sensorReport": true}, ns))
	return b.String()
}

// extensions writes the fields of m not in skip as {namespace}name=value (nested objects as
// {namespace}name followed by their own fields), sorted.
func extensions(m map[string]any, skip map[string]bool, ns Namespaces) string {
	items := []string{}
	for k, v := range m {
		if skip[k] || strings.HasPrefix(k, "@") {
			continue
		}
		items = append(items, extension(ns.key(k), v, ns)...)
	}
	slices.Sort(items)
	return strings.Join(items, "")
}

func extension(key string, v any, ns Namespaces) []string {
	switch v := v.(type) {
	case map[string]any:
		return []string{key + extensions(v, nil, ns)}
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, extension(key, x, ns)...)
		}
		return out
	}
	if s, ok := scalar(v); ok {
		return []string{key + "=" + s}
	}
	return []string{key}
}

// vocab writes a standard vocabulary value as its GS1 Web URI: a bare word, a CBV URN
// (urn:epcglobal:cbv:bizstep:receiving) or a compact IRI (cbv:BizStep-receiving).
func vocab(s, urnKind, webPrefix string, ns Namespaces) string {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "urn:epcglobal:cbv:"+urnKind+":"); ok {
		return "https://ref.gs1.org/cbv/" + webPrefix + rest
	}
	if full, ok := ns.expand(s); ok {
		return full
	}
	if !strings.Contains(s, ":") {
		return "https://ref.gs1.org/cbv/" + webPrefix + s
	}
	return s
}

// scalar writes a string (trimmed), number (no trailing zeros) or boolean.
func scalar(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v), true
	case json.Number:
		return number(string(v)), true
	case float64:
		return number(big.NewFloat(v).Text('f', -1)), true
	case bool:
		if v {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

// number writes a JSON number in plain decimals without trailing zeros.
func number(s string) string {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return s
	}
	if r.IsInt() {
		return r.Num().String()
	}
	out := r.FloatString(20)
	out = strings.TrimRight(out, "0")
	return strings.TrimSuffix(out, ".")
}

// hashTime writes a time in UTC with milliseconds (the fourth decimal rounds).
func hashTime(s string) string {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return s
	}
	return t.UTC().Round(time.Millisecond).Format("2006-01-02T15:04:05.000Z")
}
