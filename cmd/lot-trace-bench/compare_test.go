package main

import (
	"reflect"
	"testing"
)

func TestEvenSampleKeepsTheEnds(t *testing.T) {
	xs := []string{"S1", "S2", "S3", "S4", "S5", "S6", "S7"}
	for _, tc := range []struct {
		k    int
		want []string
	}{
		{0, xs},
		{7, xs},
		{9, xs},
		{1, []string{"S7"}},
		{2, []string{"S1", "S7"}},
		{3, []string{"S1", "S4", "S7"}},
		{4, []string{"S1", "S3", "S5", "S7"}},
	} {
		if got := evenSample(xs, tc.k); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("evenSample(7 lots, %d) = %v, want %v", tc.k, got, tc.want)
		}
	}
}
