package campaign

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// problems collects file:line errors for one file, so a load reports every
// mistake at once instead of the first.
type problems struct {
	file string
	errs []error
	// computed records that a text uses a computed placeholder.
	computed bool
}

func (p *problems) add(n *yaml.Node, format string, args ...any) {
	pr := &Problem{File: p.file, Message: fmt.Sprintf(format, args...)}
	if n != nil {
		pr.Line, pr.Column = n.Line, n.Column
	}
	// The texts and layers are read once per language of the campaign:
	// a mistake they share is reported once.
	for _, e := range p.errs {
		if q, ok := e.(*Problem); ok && *q == *pr {
			return
		}
	}
	p.errs = append(p.errs, pr)
}

func (p *problems) count() int { return len(p.errs) }

// yamlLine finds the line in a yaml parser message ("yaml: line 7: ...").
var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

// parseError rewrites a parser error as file:line: message.
func (p *problems) parseError(err error) {
	msg := err.Error()
	line := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		if m[1] != "" {
			line, _ = strconv.Atoi(m[1])
		}
		msg = msg[len(m[0]):]
	}
	p.errs = append(p.errs, &Problem{File: p.file, Line: line, Message: msg})
}

// object reads one YAML mapping strictly: every key must be known, none may
// repeat, and finish reports the keys nobody asked for.
type object struct {
	p      *problems
	node   *yaml.Node
	what   string
	values map[string]*yaml.Node
	keys   map[string]*yaml.Node
	order  []string
	known  []string
}

// newObject returns nil (after reporting) when n is not a mapping.
func newObject(p *problems, n *yaml.Node, what string) *object {
	if n.Kind != yaml.MappingNode {
		p.add(n, "%s must be a mapping of keys to values, not %s", what, kindName(n))
		return nil
	}
	o := &object{p: p, node: n, what: what, values: map[string]*yaml.Node{}, keys: map[string]*yaml.Node{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if _, dup := o.values[k.Value]; dup {
			p.add(k, "%s: key %q appears twice", what, k.Value)
			continue
		}
		o.values[k.Value] = v
		o.keys[k.Value] = k
		o.order = append(o.order, k.Value)
	}
	return o
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if n.Tag == "!!null" {
		return "empty"
	}
	return fmt.Sprintf("the value %q", n.Value)
}

// get returns the value of key, noting that the key is known.
func (o *object) get(key string) (*yaml.Node, bool) {
	o.known = append(o.known, key)
	v, ok := o.values[key]
	return v, ok
}

// require returns the value of key or reports that it is missing.
func (o *object) require(key string) (*yaml.Node, bool) {
	v, ok := o.get(key)
	if !ok {
		o.p.add(o.node, "%s: missing key %q", o.what, key)
	}
	return v, ok
}

// lookup is require when the key is required, else get.
func (o *object) lookup(key string, required bool) (*yaml.Node, bool) {
	if required {
		return o.require(key)
	}
	return o.get(key)
}

// finish reports every key that no get asked for.
func (o *object) finish() {
	known := map[string]bool{}
	for _, k := range o.known {
		known[k] = true
	}
	for _, k := range o.order {
		if !known[k] {
			list := append([]string(nil), o.known...)
			sort.Strings(list)
			o.p.add(o.keys[k], "unknown key %q in %s (known keys: %s)", k, o.what, strings.Join(list, ", "))
		}
	}
}

func (o *object) str(key string, required bool) (string, *yaml.Node) {
	v, ok := o.lookup(key, required)
	if !ok {
		return "", nil
	}
	s, ok := scalarString(o.p, v, o.what+"."+key)
	if !ok {
		return "", nil
	}
	if required && strings.TrimSpace(s) == "" {
		o.p.add(v, "%s.%s must not be empty", o.what, key)
	}
	return s, v
}

func scalarString(p *problems, v *yaml.Node, what string) (string, bool) {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		p.add(v, "%s must be text, not %s", what, kindName(v))
		return "", false
	}
	return v.Value, true
}

func (o *object) boolean(key string, def bool) bool {
	v, ok := o.get(key)
	if !ok {
		return def
	}
	if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
		o.p.add(v, "%s.%s must be true or false, not %s", o.what, key, kindName(v))
		return def
	}
	return v.Value == "true"
}

// number reads a finite number in [lo, hi]; def when absent.
func (o *object) number(key string, required bool, def, lo, hi float64) float64 {
	v, ok := o.lookup(key, required)
	if !ok {
		return def
	}
	f, ok := scalarNumber(o.p, v, o.what+"."+key)
	if !ok {
		return def
	}
	if f < lo || f > hi {
		o.p.add(v, "%s.%s is %g: must be between %g and %g", o.what, key, f, lo, hi)
		return def
	}
	return f
}

func scalarNumber(p *problems, v *yaml.Node, what string) (float64, bool) {
	if v.Kind == yaml.ScalarNode && (v.Tag == "!!int" || v.Tag == "!!float") {
		f, err := strconv.ParseFloat(v.Value, 64)
		if err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f, true
		}
	}
	p.add(v, "%s must be a number, not %s", what, kindName(v))
	return 0, false
}

// numbers reads a list of exactly n numbers, e.g. a box [x, y, w, h].
func (o *object) numbers(key string, required bool, n int, shape string) ([]float64, *yaml.Node) {
	v, ok := o.lookup(key, required)
	if !ok {
		return nil, nil
	}
	out, ok := numberList(o.p, v, o.what+"."+key, n, shape)
	if !ok {
		return nil, nil
	}
	return out, v
}

func numberList(p *problems, v *yaml.Node, what string, n int, shape string) ([]float64, bool) {
	if v.Kind != yaml.SequenceNode || len(v.Content) != n {
		p.add(v, "%s must be a list of %d numbers %s", what, n, shape)
		return nil, false
	}
	out := make([]float64, n)
	for i, c := range v.Content {
		f, ok := scalarNumber(p, c, what)
		if !ok {
			return nil, false
		}
		out[i] = f
	}
	return out, true
}

// choice reads one of a fixed set of words; def when absent.
func (o *object) choice(key string, def string, options ...string) string {
	v, ok := o.get(key)
	if !ok {
		return def
	}
	s, ok := scalarString(o.p, v, o.what+"."+key)
	if !ok {
		return def
	}
	for _, opt := range options {
		if s == opt {
			return s
		}
	}
	o.p.add(v, "%s.%s is %q: must be one of %s", o.what, key, s, strings.Join(options, ", "))
	return def
}

// firstAlias finds the first alias node (*name) under n, in document
// order; anchors alone are harmless.
func firstAlias(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		return n
	}
	for _, c := range n.Content {
		if a := firstAlias(c); a != nil {
			return a
		}
	}
	return nil
}
