package invite

import (
	"errors"
	"strings"
	"testing"
)

func TestReadCSV(t *testing.T) {
	rows, err := ReadCSV(strings.NewReader("\ufeffOrg,name,Title,extra\nMærsk,Lars Hansen,CEO,x\n\n\"Novo, Nordisk\",Åse,,y\n"), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("got %d rows, want 2: %+v", len(rows), rows)
	}
	if r := rows[0]; r.Name != "Lars Hansen" || r.Title != "CEO" || r.Org != "Mærsk" || r.Line != 2 {
		t.Errorf("row 1 = %+v", r)
	}
	if r := rows[1]; r.Name != "Åse" || r.Org != "Novo, Nordisk" || r.Line != 4 {
		t.Errorf("row 2 = %+v", r)
	}
}

func TestReadCSVErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
		tooMany        bool
	}{
		{"an empty body says a header is expected", "", "header", false},
		{"a header without name is refused", "title,org\nx,y\n", `no "name" column`, false},
		{"a stray quote is reported with its line", "name\n\"Lars\nHansen\"x\n", "line 3", false},
		{"a duplicated column is refused", "name,name\na,b\n", "twice", false},
		{"more rows than allowed", "name\na\nb\nc\n", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(tt.in), 2)
			if tt.tooMany {
				if !errors.Is(err, ErrTooManyRows) {
					t.Errorf("got %v, want ErrTooManyRows", err)
				}
				return
			}
			var se *SyntaxError
			if !errors.As(err, &se) || !strings.Contains(se.Error(), tt.want) {
				t.Errorf("got %v, want a SyntaxError containing %q", err, tt.want)
			}
		})
	}
}

func TestReadJSON(t *testing.T) {
	rows, err := ReadJSON(strings.NewReader(`[{"name":"Lars","title":"CEO"},{"name":"Åse","org":"X"}]`), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Name != "Lars" || rows[1].Org != "X" || rows[1].Line != 2 {
		t.Errorf("got %+v", rows)
	}
	tests := []struct{ name, in, want string }{
		{"an object instead of an array", `{"name":"x"}`, "array"},
		{"a cut-off array", `[{"name":"x"}`, "unexpected end"},
		{"a syntax error gives its offset", `[{"name":"x",}]`, "byte"},
		{"a wrong type says which element", `[{"name":"x"},{"name":5}]`, "element 2"},
		{"an unknown field is named", `[{"nam":"x"}]`, "unknown field"},
		{"trailing data", `[] []`, "after the JSON value"},
		{"a duplicate key is named", `[{"name":"x"},{"name":"y","name":"z"}]`, `duplicate key "name" in [1]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadJSON(strings.NewReader(tt.in), 10)
			var se *SyntaxError
			if !errors.As(err, &se) || !strings.Contains(se.Error(), tt.want) {
				t.Errorf("got %v, want a SyntaxError containing %q", err, tt.want)
			}
		})
	}
	if _, err := ReadJSON(strings.NewReader(`[{"name":"a"},{"name":"b"},{"name":"c"}]`), 2); !errors.Is(err, ErrTooManyRows) {
		t.Errorf("got %v, want ErrTooManyRows", err)
	}
}
