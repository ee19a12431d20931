// Package epcis speaks GS1 EPCIS 2.0 (JSON-LD) for lot-trace: it validates documents against
// GS1's schema, maps receiving, transformation and shipping events onto the service's three
// critical tracking events and back, and computes the CBV 2.0 event hash. Both directions use
// the one mapping in this package (ids.go, units.go, capture.go, export.go).
package epcis

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Own is the URN namespace of the service's identifiers that are not URIs already: a lot code
// "FG-1" is urn:lot-trace:lot:FG-1 in EPCIS, a location "Plant 1" urn:lot-trace:location:Plant%201.
// A capture turns them back into the bare values, so that an export captured again names the
// same lots, parties and places.
const Own = "urn:lot-trace:"

// Kinds of the service's own URNs.
const (
	KindLot      = "lot"
	KindLocation = "location"
	KindParty    = "party"
	KindBatch    = "batch"
	KindShipment = "shipment"
	KindRef      = "ref"
	KindRefType  = "btt"
	KindLine     = "line"
)

var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>"{}|\\^` + "`" + `]+$`)

// IsURI reports whether s is an absolute URI as GS1's schema wants one (format: uri).
func IsURI(s string) bool {
	if !schemeRE.MatchString(s) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.IsAbs()
}

// URIOf is the EPCIS identifier of a service value of kind: the value itself when it is an
// absolute URI (GS1 keys, Digital Links, URNs captured earlier), else an own URN.
func URIOf(kind, value string) string {
	if kind == KindLot {
		if canon, ok := CanonicalLot(value); ok && canon != value {
			return canon
		}
	}
	if IsURI(value) && !strings.HasPrefix(value, Own) {
		return value
	}
	return Own + kind + ":" + url.PathEscape(value)
}

// ValueOf is the service value an EPCIS identifier stands for: an own URN's value, else the
// identifier as it is.
func ValueOf(kind, uri string) string {
	prefix := Own + kind + ":"
	if rest, ok := strings.CutPrefix(uri, prefix); ok {
		if v, err := url.PathUnescape(rest); err == nil {
			return v
		}
	}
	return uri
}

// dlHost is the canonical GS1 Digital Link resolver.
const dlHost = "https://id.gs1.org"

// LotKind says what an epcClass names.
type LotKind int

const (
	NotALot  LotKind = iota // a product class without a lot (idpat, a GTIN alone), or an instance id
	GS1Lot                  // an LGTIN or a Digital Link with a lot (AI 10)
	OtherLot                // an own URN or another URI that names a lot
)

// Lot is the canonical lot code of an epcClass and what kind of lot it is. An LGTIN URN
// (urn:epc:class:lgtin:4012345.012345.998877) and a GS1 Digital Link naming the same lot
// (https://id.gs1.org/01/04012345123452/10/998877, any domain) are one lot, whose code is the
// canonical Digital Link: the URN can always be written as a Digital Link, while the reverse
// needs the length of the company prefix, which the Digital Link does not carry.
func Lot(epcClass string) (code string, kind LotKind) {
	if canon, ok := CanonicalLot(epcClass); ok {
		return canon, GS1Lot
	}
	switch {
	case strings.HasPrefix(epcClass, Own+KindLot+":"):
		return ValueOf(KindLot, epcClass), OtherLot
	case strings.HasPrefix(epcClass, "urn:epc:"), isDigitalLink(epcClass):
		return "", NotALot
	case IsURI(epcClass):
		return epcClass, OtherLot
	}
	return "", NotALot
}

// CanonicalLot is the canonical Digital Link of an LGTIN URN or a Digital Link with a lot,
// or false for anything else (a lot code of the service's own passes through Lot, not here).
func CanonicalLot(s string) (string, bool) {
	if rest, ok := strings.CutPrefix(s, "urn:epc:class:lgtin:"); ok {
		parts := strings.SplitN(rest, ".", 3)
		if len(parts) != 3 || parts[2] == "" {
			return "", false
		}
		gtin, ok := gtinOf(parts[0], parts[1])
		if !ok {
			return "", false
		}
		return dlHost + "/01/" + gtin + "/10/" + parts[2], true
	}
	ais, ok := digitalLinkAIs(s)
	if !ok || ais["10"] == "" || ais["21"] != "" {
		return "", false
	}
	return dlHost + "/01/" + ais["01"] + "/10/" + ais["10"], true
}

// GTINOf is the GTIN-14 of a lot's canonical code, or "" for a lot that is not a GS1 lot.
func GTINOf(code string) string {
	ais, ok := digitalLinkAIs(code)
	if !ok {
		return ""
	}
	return ais["01"]
}

func isDigitalLink(s string) bool {
	_, ok := digitalLinkAIs(s)
	return ok
}

// digitalLinkAIs reads the path of a GS1 Digital Link with a GTIN (AI 01): the AIs from /01/
// on, the GTIN padded to 14 digits; any domain, any path before /01/, no query.
func digitalLinkAIs(s string) (map[string]string, bool) {
	if !strings.HasPrefix(s, "https://") && !strings.HasPrefix(s, "http://") {
		return nil, false
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, false
	}
	segs := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	start := -1
	for i, seg := range segs {
		if seg == "01" && i+1 < len(segs) && isDigits(segs[i+1]) && len(segs[i+1]) >= 8 && len(segs[i+1]) <= 14 {
			start = i
			break
		}
	}
	if start < 0 || (len(segs)-start)%2 != 0 {
		return nil, false
	}
	ais := map[string]string{}
	for i := start; i+1 < len(segs); i += 2 {
		ais[segs[i]] = segs[i+1]
	}
	ais["01"] = strings.Repeat("0", 14-len(ais["01"])) + ais["01"]
	return ais, true
}

// gtinOf builds a GTIN-14 from an EPC's company prefix and indicator + item reference.
func gtinOf(prefix, itemRef string) (string, bool) {
	if !isDigits(prefix) || !isDigits(itemRef) || len(prefix)+len(itemRef) != 13 || itemRef == "" {
		return "", false
	}
	body := itemRef[:1] + prefix + itemRef[1:]
	return body + checkDigit(body), true
}

// checkDigit is the GS1 check digit of a string of digits.
func checkDigit(body string) string {
	sum := 0
	for i := len(body) - 1; i >= 0; i-- {
		d := int(body[i] - '0')
		if (len(body)-1-i)%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return strconv.Itoa((10 - sum%10) % 10)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// DigitalLinkOf writes an EPC URI (sgtin, sscc, sgln, lgtin, an sgtin pattern) as its
// canonical Digital Link, as the event hash wants; other values are returned unchanged.
func DigitalLinkOf(s string) string {
	if canon, ok := CanonicalLot(s); ok {
		return canon
	}
	if ais, ok := digitalLinkAIs(s); ok { // a Digital Link on another domain, or with a query
		out := dlHost + "/01/" + ais["01"]
		for _, ai := range []string{"10", "21"} {
			if v := ais[ai]; v != "" {
				return out + "/" + ai + "/" + v
			}
		}
		return out
	}
	kind, rest, ok := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(s, "urn:epc:id:"), "urn:epc:idpat:"), ":")
	if !ok || !strings.HasPrefix(s, "urn:epc:") {
		return s
	}
	parts := strings.Split(rest, ".")
	switch {
	case kind == "sgtin" && len(parts) == 3:
		gtin, ok := gtinOf(parts[0], parts[1])
		if !ok {
			return s
		}
		if parts[2] == "*" {
			return dlHost + "/01/" + gtin
		}
		return dlHost + "/01/" + gtin + "/21/" + parts[2]
	case kind == "sscc" && len(parts) == 2 && isDigits(parts[0]) && isDigits(parts[1]) && len(parts[0])+len(parts[1]) == 17:
		body := parts[1][:1] + parts[0] + parts[1][1:]
		return dlHost + "/00/" + body + checkDigit(body)
	case kind == "sgln" && len(parts) == 3 && isDigits(parts[0]) && len(parts[0])+len(parts[1]) == 12:
		body := parts[0] + parts[1]
		out := dlHost + "/414/" + body + checkDigit(body)
		if parts[2] != "0" {
			out += "/254/" + parts[2]
		}
		return out
	}
	return s
}

// LGTINForms are the LGTIN URNs a canonical lot code may have been written as: one for each
// length a GS1 company prefix can have (6 to 12 digits), which the Digital Link does not say.
func LGTINForms(code string) []string {
	ais, ok := digitalLinkAIs(code)
	if !ok || ais["10"] == "" {
		return nil
	}
	gtin := ais["01"]
	var out []string
	for l := 6; l <= 12; l++ {
		out = append(out, "urn:epc:class:lgtin:"+gtin[1:1+l]+"."+gtin[:1]+gtin[1+l:13]+"."+ais["10"])
	}
	return out
}
