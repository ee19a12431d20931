package epcis

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Event is the part of an EPCIS 2.0 event the mapping reads. The event itself is kept as it
// was captured; extensions need no field here.
type Event struct {
	Type                string            `json:"type"`
	EventID             string            `json:"eventID,omitempty"`
	EventTime           string            `json:"eventTime"`
	EventTimeZoneOffset string            `json:"eventTimeZoneOffset"`
	EPCList             []string          `json:"epcList,omitempty"`
	InputEPCList        []string          `json:"inputEPCList,omitempty"`
	QuantityList        []QuantityElement `json:"quantityList,omitempty"`
	InputQuantityList   []QuantityElement `json:"inputQuantityList,omitempty"`
	OutputEPCList       []string          `json:"outputEPCList,omitempty"`
	OutputQuantityList  []QuantityElement `json:"outputQuantityList,omitempty"`
	Action              string            `json:"action,omitempty"`
	TransformationID    string            `json:"transformationID,omitempty"`
	BizStep             string            `json:"bizStep,omitempty"`
	Disposition         string            `json:"disposition,omitempty"`
	ReadPoint           *Place            `json:"readPoint,omitempty"`
	BizLocation         *Place            `json:"bizLocation,omitempty"`
	BizTransactionList  []BizTransaction  `json:"bizTransactionList,omitempty"`
	SourceList          []Source          `json:"sourceList,omitempty"`
	DestinationList     []Destination     `json:"destinationList,omitempty"`
	ILMD                map[string]any    `json:"ilmd,omitempty"`
	ErrorDeclaration    json.RawMessage   `json:"errorDeclaration,omitempty"`
	Units               map[string]string `json:"lt:units,omitempty"` // units without a Rec. 20 code, by epcClass
}

// QuantityElement is a quantity of a class: a lot, or a product without one.
type QuantityElement struct {
	EPCClass string   `json:"epcClass"`
	Quantity *float64 `json:"quantity,omitempty"`
	UOM      string   `json:"uom,omitempty"`
}

// Place is a readPoint or bizLocation.
type Place struct {
	ID string `json:"id"`
}

// BizTransaction is a business document the event refers to.
type BizTransaction struct {
	Type           string `json:"type,omitempty"`
	BizTransaction string `json:"bizTransaction"`
}

// Source is a party or location the goods came from.
type Source struct {
	Type   string `json:"type"`
	Source string `json:"source"`
}

// Destination is a party or location the goods go to.
type Destination struct {
	Type        string `json:"type"`
	Destination string `json:"destination"`
}

// bare is a standard vocabulary value as its bare word: "receiving" for receiving,
// urn:epcglobal:cbv:bizstep:receiving, https://ref.gs1.org/cbv/BizStep-receiving and
// cbv:BizStep-receiving; another value is returned as it is.
func bare(s, urnKind, webPrefix string) string {
	for _, p := range []string{"urn:epcglobal:cbv:" + urnKind + ":", "https://ref.gs1.org/cbv/" + webPrefix, "cbv:" + webPrefix} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return rest
		}
	}
	return s
}

// BizStepOf is a bizStep as its bare CBV word when it is a standard one.
func BizStepOf(s string) string { return bare(s, "bizstep", "BizStep-") }

// MasterData is a document's epcisMasterData: each vocabulary element's attributes by id.
type MasterData map[string]map[string]string

// Master data attributes the mapping reads and writes.
const (
	AttrProduct     = "urn:epcglobal:cbv:mda#tradeItemDescription"
	AttrDescription = "urn:epcglobal:cbv:mda#descriptionShort"
	AttrExpiry      = "urn:epcglobal:cbv:mda#itemExpirationDate"
	AttrName        = "urn:epcglobal:cbv:mda#name"
	AttrSupplierLot = Own + "mda#supplierLot"
	AttrTLCSource   = Own + "mda#tlcSource"
	AttrContact     = Own + "mda#contact"
)

// Vocabulary types of the master data an export writes.
const (
	VocabClass    = "urn:epcglobal:epcis:vtype:EPCClass"
	VocabLocation = "urn:epcglobal:epcis:vtype:BusinessLocation"
	VocabParty    = "urn:epcglobal:epcis:vtype:SourceDest"
)

// header is the part of a document's epcisHeader the mapping reads.
type header struct {
	MasterData struct {
		VocabularyList []struct {
			Type     string `json:"type"`
			Elements []struct {
				ID         string `json:"id"`
				Attributes []struct {
					ID        string `json:"id"`
					Attribute any    `json:"attribute"`
				} `json:"attributes"`
			} `json:"vocabularyElementList"`
		} `json:"vocabularyList"`
	} `json:"epcisMasterData"`
}

// masterDataOf reads a document's epcisHeader (nil: none).
func masterDataOf(raw json.RawMessage) MasterData {
	md := MasterData{}
	if len(raw) == 0 {
		return md
	}
	var h header
	if json.Unmarshal(raw, &h) != nil {
		return md
	}
	for _, v := range h.MasterData.VocabularyList {
		for _, el := range v.Elements {
			attrs := md[el.ID]
			if attrs == nil {
				attrs = map[string]string{}
				md[el.ID] = attrs
			}
			for _, a := range el.Attributes {
				switch x := a.Attribute.(type) {
				case string:
					attrs[a.ID] = x
				case float64:
					attrs[a.ID] = strconv.FormatFloat(x, 'f', -1, 64)
				}
			}
		}
	}
	return md
}
