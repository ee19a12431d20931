package main

import (
	"bufio"
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// The comparator's statements, one file each with a header comment, as cypher/ holds the
// service's: the query a user would write in PostgreSQL without the service.
//
//go:embed sql/*.sql
var sqlFiles embed.FS

func sqlText(name string) string {
	b, err := sqlFiles.ReadFile("sql/" + name + ".sql")
	if err != nil {
		panic(err) // a missing embedded file is a build mistake, caught by the first test
	}
	return string(b)
}

// copyBatch is how many rows go to a table's COPY at a time.
const copyBatch = 1024

// pgLoad loads the generated history into PostgreSQL: the schema, then one COPY a table, all
// fed by one streamed pass over the NDJSON (memory stays flat whatever the size), then the
// walk's indexes, the foreign keys and VACUUM ANALYZE, as a user would after a bulk load.
func pgLoad(ctx context.Context, dsn, file string, out io.Writer) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("pg-load: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, sqlText("schema")); err != nil {
		return fmt.Errorf("pg-load: schema: %w", err)
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()

	start := time.Now()
	counts, err := copyHistory(ctx, dsn, f)
	if err != nil {
		return fmt.Errorf("pg-load: %w", err)
	}
	loaded := time.Since(start)
	var parts []string
	total := 0
	for t := range numTables {
		parts = append(parts, fmt.Sprintf("%s %d", table(t), counts[t]))
		total += int(counts[t])
	}
	fmt.Fprintf(out, "pg-load: %d rows by COPY in %s (%s)\n", total, loaded.Round(time.Millisecond), strings.Join(parts, ", "))

	start = time.Now()
	if _, err := conn.Exec(ctx, sqlText("indexes")); err != nil {
		return fmt.Errorf("pg-load: indexes: %w", err)
	}
	indexed := time.Since(start)
	start = time.Now()
	if _, err := conn.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		return fmt.Errorf("pg-load: vacuum: %w", err)
	}
	var size string
	if err := conn.QueryRow(ctx, "SELECT pg_size_pretty(pg_database_size(current_database()))").Scan(&size); err != nil {
		return fmt.Errorf("pg-load: %w", err)
	}
	fmt.Fprintf(out, "pg-load: indexes and foreign keys in %s, VACUUM ANALYZE in %s; database %s\n",
		indexed.Round(time.Millisecond), time.Since(start).Round(time.Millisecond), size)
	return nil
}

// copyHistory converts the NDJSON in r to rows and COPYs them, one connection and one COPY a
// table running at once. It answers how many rows each table received.
func copyHistory(ctx context.Context, dsn string, r io.Reader) ([numTables]int64, error) {
	var counts [numTables]int64
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	var feeds [numTables]chan [][]any
	for t := range feeds {
		feeds[t] = make(chan [][]any, 4)
	}
	var wg sync.WaitGroup
	for t := range numTables {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			cancel(err)
			break
		}
		wg.Add(1)
		go func(t table, conn *pgx.Conn) {
			defer wg.Done()
			defer conn.Close(context.Background())
			spec := tableColumns[t]
			n, err := conn.CopyFrom(ctx, pgx.Identifier{spec.name}, spec.columns, &feedSource{ctx: ctx, feed: feeds[t], i: -1})
			counts[t] = n
			if err != nil {
				cancel(fmt.Errorf("COPY %s: %w", spec.name, err))
				// Drain, so that the reader never blocks on a table that stopped.
				for range feeds[t] {
				}
			}
		}(t, conn)
	}

	if err := feedRows(ctx, r, feeds); err != nil {
		cancel(err)
	}
	for _, f := range feeds {
		close(f)
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return counts, err
	}
	return counts, nil
}

// feedRows reads NDJSON from r and sends each table's rows to its feed in batches.
func feedRows(ctx context.Context, r io.Reader, feeds [numTables]chan [][]any) error {
	send := func(t table, rows [][]any) error {
		select {
		case feeds[t] <- rows:
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	var pending [numTables][][]any
	conv := newRowConverter()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		rows, err := conv.rows(sc.Bytes())
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		for _, row := range rows {
			pending[row.table] = append(pending[row.table], row.values)
			if len(pending[row.table]) == copyBatch {
				if err := send(row.table, pending[row.table]); err != nil {
					return err
				}
				pending[row.table] = make([][]any, 0, copyBatch)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	for t, rows := range pending {
		if len(rows) > 0 {
			if err := send(table(t), rows); err != nil {
				return err
			}
		}
	}
	return nil
}

// feedSource is a pgx.CopyFromSource reading batches of rows from a channel until it closes.
type feedSource struct {
	ctx   context.Context
	feed  <-chan [][]any
	batch [][]any
	i     int
}

func (s *feedSource) Next() bool {
	s.i++
	for s.i >= len(s.batch) {
		select {
		case b, ok := <-s.feed:
			if !ok {
				return false
			}
			s.batch, s.i = b, 0
		case <-s.ctx.Done():
			return false
		}
	}
	return true
}

func (s *feedSource) Values() ([]any, error) { return s.batch[s.i], nil }

func (s *feedSource) Err() error { return context.Cause(s.ctx) }

// pgTracer answers traces with the recursive CTEs, on one connection (one client). pgx
// prepares each statement on first use and reuses the plan, as a user's driver would.
type pgTracer struct {
	conn *pgx.Conn
}

func newPGTracer(ctx context.Context, dsn string) (*pgTracer, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	return &pgTracer{conn: conn}, nil
}

func (p *pgTracer) Close() { p.conn.Close(context.Background()) }

// summary answers the trace's four lists; a lot that does not exist answers empty lists.
func (p *pgTracer) summary(ctx context.Context, lot, direction string) (summary, error) {
	var s summary
	err := p.conn.QueryRow(ctx, sqlText("trace_"+direction), lot).Scan(&s.Lots, &s.Batches, &s.Suppliers, &s.Customers)
	if err != nil {
		return s, fmt.Errorf("CTE %s %s: %w", direction, lot, err)
	}
	return s, nil
}

// fullAnswer is what a full answer held: nodes and links, and the bytes of their rows.
type fullAnswer struct {
	nodes, edges, bytes int
}

// full reads every row of the full answer, as a client would before using it.
func (p *pgTracer) full(ctx context.Context, lot, direction string) (fullAnswer, error) {
	var a fullAnswer
	rows, err := p.conn.Query(ctx, sqlText("trace_"+direction+"_full"), lot)
	if err != nil {
		return a, fmt.Errorf("CTE full %s %s: %w", direction, lot, err)
	}
	defer rows.Close()
	for rows.Next() {
		raw := rows.RawValues()
		kind := string(raw[0])
		if kind == strings.ToUpper(kind) {
			a.edges++
		} else {
			a.nodes++
		}
		a.bytes += len(raw[1])
	}
	if err := rows.Err(); err != nil {
		return a, fmt.Errorf("CTE full %s %s: %w", direction, lot, err)
	}
	if a.nodes == 0 {
		return a, errors.New("CTE full " + direction + " " + lot + ": no such lot")
	}
	return a, nil
}
