package strictjson

import (
	"errors"
	"strings"
	"testing"
)

type request struct {
	Campaign string   `json:"campaign"`
	Name     string   `json:"name"`
	Variants []string `json:"variants"`
	Count    int      `json:"count"`
	Nested   struct {
		A string `json:"a"`
	} `json:"nested"`
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string // "" for success, else a part of the message
	}{
		{"a good object", `{"campaign":"c","name":"Lars","variants":["og"]}`, ""},
		{"white space around it", " \n{\"name\":\"Lars\"}\n ", ""},
		{"a duplicate key", `{"name":"Lars","name":"Anne"}`, `duplicate key "name"`},
		{"a duplicate key inside", `{"nested":{"a":"1","a":"2"}}`, `duplicate key "a" in nested`},
		{"an array for an object", `[{"name":"Lars"}]`, "expected a JSON object, got an array"},
		{"a number for an object", `42`, "expected a JSON object, got a number"},
		{"a string for an object", `"Lars"`, "expected a JSON object, got a string"},
		{"null", `null`, "expected a JSON object, got null"},
		{"an empty body", ``, "empty body: expected a JSON object"},
		{"a field of the wrong type", `{"name":42}`, `field "name" must be a string, not number`},
		{"a list of the wrong type", `{"variants":"og"}`, `field "variants" must be an array of strings, not string`},
		{"a number field", `{"count":"x"}`, `field "count" must be a whole number, not string`},
		{"an unknown field", `{"nmae":"Lars"}`, `unknown field "nmae"`},
		{"broken JSON", `{"name":"Lars"`, "malformed JSON"},
		{"a bad token", `{"name":Lars}`, "malformed JSON at byte"},
		{"two values", `{"name":"Lars"}{"name":"Anne"}`, "unexpected data after the JSON value"},
		{"deep nesting", strings.Repeat(`{"nested":`, 100) + `{}` + strings.Repeat(`}`, 100), "nested deeper than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r request
			err := Decode([]byte(tt.body), &r)
			var je *Error
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.want != "" && (!errors.As(err, &je) || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("err %v, want an *Error containing %q", err, tt.want)
			}
			if err != nil && (strings.Contains(err.Error(), "request") || strings.Contains(err.Error(), "strictjson") || strings.Contains(err.Error(), "[]string")) {
				t.Errorf("the message names a Go type: %v", err)
			}
		})
	}
}

func TestArrays(t *testing.T) {
	var rows []struct {
		Name string `json:"name"`
	}
	if err := Decode([]byte(`[{"name":"a"},{"name":"b"}]`), &rows); err != nil || len(rows) != 2 {
		t.Fatalf("%v %v", rows, err)
	}
	err := Decode([]byte(`[{"name":"a"},{"name":"b","name":"c"}]`), &rows)
	if err == nil || !strings.Contains(err.Error(), `duplicate key "name" in [1]`) {
		t.Errorf("duplicate in the second row: %v", err)
	}
	if err := Decode([]byte(`{"name":"a"}`), &rows); err == nil || !strings.Contains(err.Error(), "expected a JSON array, got an object") {
		t.Errorf("an object for an array: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"name":"x"}`, `[1,2]`, `{"a":{"a":1,"a":2}}`, `{`, `"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r request
		if err := Decode(data, &r); err != nil {
			var je *Error
			if !errors.As(err, &je) {
				t.Fatalf("%T is not an *Error: %v", err, err)
			}
		}
	})
}
