package neo4j

import (
	"context"
	"slices"
	"sort"

	"github.com/lot-trace/lot-trace/cypher"
	"github.com/lot-trace/lot-trace/graph/gs1"
)

// gs1RenameBatch is how many lots one transaction of the migration renames.
const gs1RenameBatch = 2000

// GS1Rename is a lot renamed from the GS1 code an earlier version stored it under to its
// canonical Digital Link.
type GS1Rename struct{ From, To string }

// GS1Collision is one GS1 lot stored as two or more lots, under different spellings of its
// code. The migration leaves them as they are: merging two lots' histories is for a person
// to decide. When one spelling collides with a lot stored under the canonical code, Codes
// holds both; when several spellings collide among themselves, Codes holds them (a lot may
// also hold the canonical code).
type GS1Collision struct {
	Canonical string
	Codes     []string
}

// GS1Migration is what MigrateGS1LotCodes did.
type GS1Migration struct {
	Renamed    []GS1Rename
	Collisions []GS1Collision
}

// MigrateGS1LotCodes renames the lots an earlier version stored under an LGTIN URN or a
// spelling of a GS1 Digital Link that is not canonical to their canonical Digital Link
// (graph/gs1.Canonical), which every route now stores and looks lots up by. It is idempotent
// and cheap when nothing is to be renamed: four range seeks of the lot code index over codes
// no canonical lot has (migrate_gs1_lot_candidates), and, until it has once finished without
// collisions, one read of the canonical range (migrate_gs1_lot_candidates_canonical). Lots
// that collide (one GS1 lot under two codes) are returned and left alone. What else is
// rewritten, and what is kept as history, is said in cypher/migrate_gs1_lot_codes.cypher.
func (s *Store) MigrateGS1LotCodes(ctx context.Context) (GS1Migration, error) {
	var out GS1Migration
	type found struct {
		codes []string
		done  bool
	}
	codeOf := func(r *row) string { return r.Str("code") }
	f, err := readTx(ctx, s, "graph.MigrateGS1LotCodes", func(t txn) (found, error) {
		var f found
		var err error
		if f.codes, err = collect(ctx, t, cypher.MigrateGS1LotCandidates, nil, codeOf); err != nil {
			return f, err
		}
		if f.done, _, err = single(ctx, t, cypher.MigrateGS1LotCodesDone, nil, func(r *row) bool { return r.Bool("done") }); err != nil || f.done {
			return f, err
		}
		more, err := collect(ctx, t, cypher.MigrateGS1LotCandidatesCanonical, nil, codeOf)
		f.codes = append(f.codes, more...)
		return f, err
	})
	if err != nil {
		return out, err
	}

	// Group the candidates by canonical code: two spellings of one lot are a collision.
	byCanon := map[string][]string{}
	for _, code := range f.codes {
		if canon, ok := gs1.CanonicalLot(code); ok && canon != code {
			byCanon[canon] = append(byCanon[canon], code)
		}
	}
	var renames []map[string]any
	for canon, codes := range byCanon {
		if len(codes) > 1 {
			sort.Strings(codes)
			out.Collisions = append(out.Collisions, GS1Collision{Canonical: canon, Codes: codes})
			continue
		}
		renames = append(renames, map[string]any{"from": codes[0], "to": canon})
	}
	sort.Slice(renames, func(i, j int) bool { return renames[i]["from"].(string) < renames[j]["from"].(string) })

	for batch := range slices.Chunk(renames, gs1RenameBatch) {
		type result struct {
			renamed    []GS1Rename
			collisions []GS1Collision
		}
		r, err := writeTx(ctx, s, "graph.MigrateGS1LotCodes", func(t txn) (result, error) {
			var r result
			err := each(ctx, t, cypher.MigrateGS1LotCodes, map[string]any{"renames": batch}, func(row *row) error {
				from, to, taken := row.Str("from"), row.Str("to"), row.Bool("taken")
				if taken {
					r.collisions = append(r.collisions, GS1Collision{Canonical: to, Codes: []string{from, to}})
				} else {
					r.renamed = append(r.renamed, GS1Rename{From: from, To: to})
				}
				return row.err
			})
			return r, err
		})
		if err != nil {
			return out, err
		}
		out.Renamed = append(out.Renamed, r.renamed...)
		out.Collisions = append(out.Collisions, r.collisions...)
	}
	sort.Slice(out.Collisions, func(i, j int) bool { return out.Collisions[i].Canonical < out.Collisions[j].Canonical })

	if !f.done && len(out.Collisions) == 0 {
		// A schema statement, alone in its transaction.
		_, err := writeTx(ctx, s, "graph.MigrateGS1LotCodes", func(t txn) (struct{}, error) {
			_, err := consume(ctx, t, cypher.MigrateGS1LotCodesMark, nil)
			return struct{}{}, err
		})
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// migrateGS1Lots runs MigrateGS1LotCodes where the schema is applied, and logs what it did:
// each collision is a warning naming its codes, every start until someone resolves it.
func (s *Store) migrateGS1Lots(ctx context.Context) error {
	m, err := s.MigrateGS1LotCodes(ctx)
	if err != nil {
		return err
	}
	if len(m.Renamed) > 0 {
		s.logger.Warn("renamed lots an earlier version stored under a GS1 code that is not canonical to their canonical Digital Link",
			"renamed", len(m.Renamed), "first", m.Renamed[0].From+" -> "+m.Renamed[0].To)
	}
	for _, c := range m.Collisions {
		s.logger.Warn("one GS1 lot is stored as more than one lot, under different spellings of its code; they were left as they are "+
			"(a request by any of its forms finds the lot under the canonical code, if there is one): merge or rename them by hand",
			"canonical", c.Canonical, "codes", c.Codes)
	}
	return nil
}
