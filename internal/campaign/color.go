package campaign

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
)

// parseColor reads "#rgb", "#rrggbb", "#rrggbbaa" or a palette name, each
// optionally followed by "/NN" for NN % opacity ("gold/40").
func parseColor(s string, palette map[string]color.NRGBA) (color.NRGBA, error) {
	base, pct, hasPct := strings.Cut(strings.TrimSpace(s), "/")
	var c color.NRGBA
	if strings.HasPrefix(base, "#") {
		var err error
		if c, err = parseHex(base); err != nil {
			return c, err
		}
	} else {
		var ok bool
		if c, ok = palette[base]; !ok {
			names := make([]string, 0, len(palette))
			for n := range palette {
				names = append(names, n)
			}
			sortStrings(names)
			return c, fmt.Errorf("%q is neither a hex colour (#rrggbb) nor a palette name (%s)", base, strings.Join(names, ", "))
		}
	}
	if hasPct {
		p, err := strconv.ParseFloat(pct, 64)
		if err != nil || p < 0 || p > 100 {
			return c, fmt.Errorf("opacity %q in %q must be a percentage 0–100", pct, s)
		}
		c.A = uint8(math.Round(float64(c.A) * p / 100))
	}
	return c, nil
}

func parseHex(s string) (color.NRGBA, error) {
	h := strings.TrimPrefix(s, "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if len(h) == 6 {
		h += "ff"
	}
	if len(h) != 8 {
		return color.NRGBA{}, fmt.Errorf("bad colour %q: want #rgb, #rrggbb or #rrggbbaa", s)
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return color.NRGBA{}, fmt.Errorf("bad colour %q: not hexadecimal", s)
	}
	return color.NRGBA{uint8(v >> 24), uint8(v >> 16), uint8(v >> 8), uint8(v)}, nil
}

// hexString writes an opaque colour as #rrggbb for the web pages.
func hexString(c color.NRGBA) string {
	return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
}
