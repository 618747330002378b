package main

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestOnlyServeImportsTheServer keeps the CLI a thin caller of the share
// core: the HTTP package belongs to `sharecard serve` alone, so a rule that
// the CLI needs cannot hide in a handler.
func TestOnlyServeImportsTheServer(t *testing.T) {
	const server = "github.com/sharecard/sharecard/internal/server"
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if path == server && name != "serve.go" {
				t.Errorf("%s imports %s; only serve.go may (move the rule it needs into internal/share)", name, server)
			}
		}
	}
	if checked < 5 {
		t.Fatalf("checked %d files; is the test running in cmd/sharecard?", checked)
	}
}
