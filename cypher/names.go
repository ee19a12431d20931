package cypher

import (
	"io/fs"
	"strings"
)

// NameOf returns the name of the statement whose text is text, or "" when text is not one of
// ours (an analyst's query). It lets the store time every query by name at one place, the
// transaction, instead of at each call site. A statement with a {{placeholder}} is run with
// the placeholder filled in, so it is known by its text before the first placeholder.
func NameOf(text string) string {
	if name, ok := statementNames.exact[text]; ok {
		return name
	}
	for _, t := range statementNames.templates {
		if strings.HasPrefix(text, t.prefix) {
			return t.name
		}
	}
	return ""
}

// statementNames indexes every embedded statement once, so that NameOf needs no locking.
var statementNames = indexNames()

type nameIndex struct {
	exact     map[string]string // text -> name
	templates []namedPrefix
}

type namedPrefix struct{ prefix, name string }

func indexNames() nameIndex {
	idx := nameIndex{exact: map[string]string{}}
	err := fs.WalkDir(files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		st := load(path)
		prefix, _, templated := strings.Cut(st.Text, "{{")
		switch {
		case !templated:
			idx.exact[st.Text] = st.Name
		case strings.TrimSpace(prefix) != "":
			// Every statement starts with its header comment, so the prefix is never empty
			// in practice; an empty one would match any text and is left out.
			idx.templates = append(idx.templates, namedPrefix{prefix: prefix, name: st.Name})
		}
		return nil
	})
	if err != nil {
		panic("cypher: " + err.Error())
	}
	return idx
}
