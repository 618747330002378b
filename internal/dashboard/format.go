package dashboard

import (
	"strconv"
	"strings"
)

// num formats n the Danish way: 877.209.
func num(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// dec formats f with one decimal and a decimal comma: 12,5.
func dec(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	w, _ := strconv.ParseInt(whole, 10, 64)
	return num(w) + "," + frac
}

// duration formats seconds as "1 min 05 s" or "42 s".
func duration(sec float64) string {
	s := int64(sec + 0.5)
	if s < 60 {
		return strconv.FormatInt(s, 10) + " s"
	}
	return strconv.FormatInt(s/60, 10) + " min " + pad2(s%60) + " s"
}

func pad2(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// pct formats part of whole as a percentage, or "–" when whole is 0.
func pct(part, whole int64) string {
	if whole <= 0 {
		return "–"
	}
	return dec(float64(part)*100/float64(whole)) + " %"
}
