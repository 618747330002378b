package share

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNoHTTP keeps the domain free of HTTP: statuses, headers and routes
// are the server's business, so a rule here serves the CLI just as well.
func TestNoHTTP(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(p, "net/http") || strings.Contains(p, "labstack/echo") || strings.HasSuffix(p, "internal/server") || strings.HasSuffix(p, "internal/dashboard") {
				t.Errorf("%s imports %s", name, p)
			}
		}
	}
}
