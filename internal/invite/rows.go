package invite

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/sharecard/sharecard/internal/strictjson"
)

// Row is one invitee read from a batch: the fields as given, not yet
// normalised, and the line (CSV) or index (JSON, from 1) it came from.
type Row struct {
	Line  int    `json:"-"`
	Name  string `json:"name"`
	Title string `json:"title"`
	Org   string `json:"org"`
	// Lang is the language of the invitee's link and cards (a campaign
	// language code such as "en"); empty: the batch's, else the
	// campaign's default.
	Lang string `json:"lang"`
}

// ErrTooManyRows means a batch has more rows than allowed.
var ErrTooManyRows = errors.New("too many rows")

// SyntaxError says where a batch is malformed (callers answer 400).
type SyntaxError struct {
	Line int // CSV line or JSON byte offset context; 0 when unknown
	Msg  string
}

func (e *SyntaxError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// ReadCSV reads invitees from CSV with a header naming the columns: name
// (required), title, org and lang (optional), in any order; other columns
// are ignored. At most max rows are accepted.
func ReadCSV(r io.Reader, max int) ([]Row, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &SyntaxError{Line: 1, Msg: "empty CSV: expected a header line name,title,org"}
	}
	if err != nil {
		return nil, csvError(err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := col[h]; dup && h != "" {
			return nil, &SyntaxError{Line: 1, Msg: fmt.Sprintf("column %q appears twice in the header", h)}
		}
		col[h] = i
	}
	if _, ok := col["name"]; !ok {
		return nil, &SyntaxError{Line: 1, Msg: "the header has no \"name\" column (expected name,title,org)"}
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	var rows []Row
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rows) == max {
			return nil, fmt.Errorf("%w: more than %d", ErrTooManyRows, max)
		}
		rows = append(rows, Row{Line: line, Name: get(rec, "name"), Title: get(rec, "title"), Org: get(rec, "org"), Lang: strings.TrimSpace(get(rec, "lang"))})
	}
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &SyntaxError{Line: pe.Line, Msg: "malformed CSV: " + pe.Err.Error()}
	}
	return err // a read error (e.g. the body limit): not the client's syntax
}

// ReadJSON reads invitees from a JSON array of {"name","title","org"}
// objects. At most max rows are accepted.
func ReadJSON(r io.Reader, max int) ([]Row, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err // a read error (e.g. the body limit): not the client's syntax
	}
	// Shape, duplicate keys and trailing data first, for the whole body.
	var je *strictjson.Error
	if err := strictjson.Check(data, '['); errors.As(err, &je) {
		return nil, &SyntaxError{Msg: je.Msg + ` (send an array of {"name","title","org"} objects)`}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonError(dec, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, &SyntaxError{Msg: "expected a JSON array of {\"name\",\"title\",\"org\"} objects"}
	}
	var rows []Row
	for dec.More() {
		if len(rows) == max {
			return nil, fmt.Errorf("%w: more than %d", ErrTooManyRows, max)
		}
		var row Row
		if err := dec.Decode(&row); err != nil {
			return nil, jsonError(dec, fmt.Errorf("element %d: %w", len(rows)+1, err))
		}
		row.Line = len(rows) + 1
		rows = append(rows, row)
	}
	if _, err := dec.Token(); err != nil {
		return nil, jsonError(dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &SyntaxError{Msg: "unexpected data after the JSON array"}
	}
	return rows, nil
}

func jsonError(dec *json.Decoder, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return &SyntaxError{Msg: fmt.Sprintf("malformed JSON at byte %d: %v", se.Offset, err)}
	case errors.As(err, &te):
		return &SyntaxError{Msg: fmt.Sprintf("malformed JSON at byte %d: %v", te.Offset, err)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &SyntaxError{Msg: fmt.Sprintf("malformed JSON: unexpected end after byte %d", dec.InputOffset())}
	case strings.Contains(err.Error(), "unknown field"):
		return &SyntaxError{Msg: fmt.Sprintf("malformed JSON at byte %d: %v (fields: name, title, org)", dec.InputOffset(), err)}
	}
	return err
}
