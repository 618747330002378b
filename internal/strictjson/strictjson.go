// Package strictjson reads request bodies as JSON the way an API client
// can act on: exactly one value of the expected shape, no duplicate keys
// (encoding/json would silently keep the last), no unknown fields, and
// every refusal said in JSON's terms (an object, a string, byte 17),
// never a Go type's name.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
)

// Error is a body that is not acceptable JSON; Msg says what to fix.
type Error struct {
	Msg string
}

func (e *Error) Error() string { return e.Msg }

// maxDepth bounds nesting: no request body sharecard takes is deeper than
// a few levels, and a deep one costs the walk below stack and time.
const maxDepth = 64

// Decode reads exactly one JSON value from data into v (a pointer to a
// struct, map or slice). Problems with the body are *Error.
func Decode(data []byte, v any) error {
	if err := Check(data, expected(v)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return translate(err, dec)
	}
	return nil
}

// ReadAll reads r (bounded by the caller, e.g. a body limit) and decodes
// it; an error reading r is returned as it is.
func ReadAll(r io.Reader, v any) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return Decode(data, v)
}

// Check verifies that data is one well-formed JSON value whose top level
// is want ('{' for an object, '[' for an array, 0 for any), with no
// duplicate key in any object.
func Check(data []byte, want json.Delim) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	first, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return &Error{Msg: "empty body: expected " + article(want)}
		}
		return translate(err, dec)
	}
	if d, ok := first.(json.Delim); want != 0 && (!ok || d != want) {
		return &Error{Msg: fmt.Sprintf("expected %s, got %s", article(want), describe(first))}
	}
	if d, ok := first.(json.Delim); ok {
		if err := walk(dec, d, "", 1); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &Error{Msg: fmt.Sprintf("unexpected data after the JSON value at byte %d", dec.InputOffset())}
	}
	return nil
}

// walk reads the rest of an object or array whose opening delimiter open
// was just read, refusing duplicate keys; path names where it is.
func walk(dec *json.Decoder, open json.Delim, path string, depth int) error {
	if depth > maxDepth {
		return &Error{Msg: fmt.Sprintf("JSON nested deeper than %d levels", maxDepth)}
	}
	var seen map[string]bool
	if open == '{' {
		seen = map[string]bool{}
	}
	for i := 0; ; i++ {
		tok, err := dec.Token()
		if err != nil {
			return translate(err, dec)
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			return nil
		}
		where := path + "[" + strconv.Itoa(i) + "]"
		if open == '{' {
			key := tok.(string) // the decoder yields only strings as keys
			where = strings.TrimPrefix(path+"."+key, ".")
			if seen[key] {
				return &Error{Msg: fmt.Sprintf("duplicate key %q%s: each key may appear once", key, at(path))}
			}
			seen[key] = true
			if tok, err = dec.Token(); err != nil {
				return translate(err, dec)
			}
		}
		if d, ok := tok.(json.Delim); ok {
			if err := walk(dec, d, where, depth+1); err != nil {
				return err
			}
		}
	}
}

func at(path string) string {
	if path == "" {
		return ""
	}
	return " in " + path
}

// expected is the top-level delimiter v decodes from.
func expected(v any) json.Delim {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return 0
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return '{'
	case reflect.Slice, reflect.Array:
		return '['
	}
	return 0
}

func article(d json.Delim) string {
	switch d {
	case '{':
		return "a JSON object"
	case '[':
		return "a JSON array"
	}
	return "a JSON value"
}

func describe(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			return "an array"
		}
		return "an object"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return strconv.FormatBool(t)
	}
	return "null"
}

// translate turns encoding/json's errors into ones that speak JSON.
func translate(err error, dec *json.Decoder) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return &Error{Msg: fmt.Sprintf("malformed JSON at byte %d: %s", se.Offset, strings.TrimPrefix(se.Error(), "json: "))}
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			return &Error{Msg: fmt.Sprintf("malformed JSON at byte %d: expected %s, got %s", te.Offset, jsonKind(te.Type), te.Value)}
		}
		return &Error{Msg: fmt.Sprintf("field %q must be %s, not %s", field, jsonKind(te.Type), te.Value)}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &Error{Msg: fmt.Sprintf("malformed JSON: unexpected end after byte %d", dec.InputOffset())}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return &Error{Msg: strings.TrimPrefix(err.Error(), "json: ")}
	}
	return &Error{Msg: "malformed JSON: " + strings.TrimPrefix(err.Error(), "json: ")}
}

// jsonKind names a Go type as the JSON a client should send.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array of " + strings.TrimPrefix(strings.TrimPrefix(jsonKind(t.Elem()), "a "), "an ") + "s"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "a JSON value"
}
