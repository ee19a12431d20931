// Package epcis speaks GS1 EPCIS 2.0 (JSON-LD) for lot-trace: it validates documents against
// GS1's schema, maps receiving, transformation and shipping events onto the service's three
// critical tracking events and back, and computes the CBV 2.0 event hash. Both directions use
// the one mapping in this package (ids.go, units.go, capture.go, export.go).
package epcis

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/lot-trace/lot-trace/graph/gs1"
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
		if canon, ok := gs1.CanonicalLot(value); ok && canon != value {
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
	if canon, ok := gs1.CanonicalLot(epcClass); ok {
		return canon, GS1Lot
	}
	switch {
	case strings.HasPrefix(epcClass, Own+KindLot+":"):
		return ValueOf(KindLot, epcClass), OtherLot
	case strings.HasPrefix(epcClass, "urn:epc:"), gs1.IsDigitalLink(epcClass):
		return "", NotALot
	case IsURI(epcClass):
		return epcClass, OtherLot
	}
	return "", NotALot
}
