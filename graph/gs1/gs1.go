// Package gs1 reads GS1 keys: a lot named by an LGTIN URN
// (urn:epc:class:lgtin:4012345.012345.998877) and by a GS1 Digital Link
// (https://id.gs1.org/01/04012345123452/10/998877, any domain) is one lot, whose code is the
// canonical Digital Link. Every way into the graph (the JSON routes, bulk and file imports,
// EPCIS captures) stores a GS1 lot under that one code, so that either form finds it.
package gs1

import (
	"net/url"
	"strconv"
	"strings"
)

// Canonical is the code a lot is stored under: the canonical Digital Link of a GS1 lot, any
// other code unchanged.
func Canonical(code string) string {
	if canon, ok := CanonicalLot(code); ok {
		return canon
	}
	return code
}

// Resolver is the canonical GS1 Digital Link resolver.
const Resolver = "https://id.gs1.org"

// CanonicalLot is the canonical Digital Link of an LGTIN URN or a Digital Link with a lot,
// or false for anything else (a lot code of the service's own passes through Lot, not here).
func CanonicalLot(s string) (string, bool) {
	if rest, ok := strings.CutPrefix(s, "urn:epc:class:lgtin:"); ok {
		parts := strings.SplitN(rest, ".", 3)
		if len(parts) != 3 || parts[2] == "" {
			return "", false
		}
		gtin, ok := GTIN(parts[0], parts[1])
		if !ok {
			return "", false
		}
		return Resolver + "/01/" + gtin + "/10/" + parts[2], true
	}
	ais, ok := DigitalLinkAIs(s)
	if !ok || ais["10"] == "" || ais["21"] != "" {
		return "", false
	}
	return Resolver + "/01/" + ais["01"] + "/10/" + ais["10"], true
}

// GTINOf is the GTIN-14 of a lot's canonical code, or "" for a lot that is not a GS1 lot.
func GTINOf(code string) string {
	ais, ok := DigitalLinkAIs(code)
	if !ok {
		return ""
	}
	return ais["01"]
}

func IsDigitalLink(s string) bool {
	_, ok := DigitalLinkAIs(s)
	return ok
}

// DigitalLinkAIs reads the path of a GS1 Digital Link with a GTIN (AI 01): the AIs from /01/
// on, the GTIN padded to 14 digits; any domain, any path before /01/, no query.
func DigitalLinkAIs(s string) (map[string]string, bool) {
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
		if seg == "01" && i+1 < len(segs) && IsDigits(segs[i+1]) && len(segs[i+1]) >= 8 && len(segs[i+1]) <= 14 {
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

// GTIN builds a GTIN-14 from an EPC's company prefix and indicator + item reference.
func GTIN(prefix, itemRef string) (string, bool) {
	if !IsDigits(prefix) || !IsDigits(itemRef) || len(prefix)+len(itemRef) != 13 || itemRef == "" {
		return "", false
	}
	body := itemRef[:1] + prefix + itemRef[1:]
	return body + CheckDigit(body), true
}

// CheckDigit is the GS1 check digit of a string of digits.
func CheckDigit(body string) string {
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

func IsDigits(s string) bool {
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
	if ais, ok := DigitalLinkAIs(s); ok { // a Digital Link on another domain, or with a query
		out := Resolver + "/01/" + ais["01"]
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
		gtin, ok := GTIN(parts[0], parts[1])
		if !ok {
			return s
		}
		if parts[2] == "*" {
			return Resolver + "/01/" + gtin
		}
		return Resolver + "/01/" + gtin + "/21/" + parts[2]
	case kind == "sscc" && len(parts) == 2 && IsDigits(parts[0]) && IsDigits(parts[1]) && len(parts[0])+len(parts[1]) == 17:
		body := parts[1][:1] + parts[0] + parts[1][1:]
		return Resolver + "/00/" + body + CheckDigit(body)
	case kind == "sgln" && len(parts) == 3 && IsDigits(parts[0]) && len(parts[0])+len(parts[1]) == 12:
		body := parts[0] + parts[1]
		out := Resolver + "/414/" + body + CheckDigit(body)
		if parts[2] != "0" {
			out += "/254/" + parts[2]
		}
		return out
	}
	return s
}
