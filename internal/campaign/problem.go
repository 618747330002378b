package campaign

import (
	"errors"
	"fmt"
)

// Problem is one mistake in a campaign file, at its place. Its Error is
// the "file:line: message" that `sharecard validate` prints; the API
// gives the parts as {line, column, message}.
type Problem struct {
	File    string
	Line    int
	Column  int // 0 when only the line is known (the YAML parser's errors)
	Message string
}

func (p *Problem) Error() string { return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message) }

// Problems lists the *Problem values in err (one, or several joined), in
// order; an error that is not about a place in a file becomes a Problem
// at line 0 with its whole text, so nothing is dropped.
func Problems(err error) []*Problem {
	if err == nil {
		return nil
	}
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	out := make([]*Problem, 0, len(list))
	for _, e := range list {
		var p *Problem
		if errors.As(e, &p) {
			out = append(out, p)
			continue
		}
		out = append(out, &Problem{Message: e.Error()})
	}
	return out
}
