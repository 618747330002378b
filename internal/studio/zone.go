package studio

import (
	"strconv"
	"time"
)

// campaignZone is the campaigns' default time zone, for a campaign not
// live in this process.
var campaignZone = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Copenhagen"); err == nil {
		return loc
	}
	return time.UTC
}()

// byteSize is n bytes for people (1 KB = 1,000 bytes, as the dashboard
// counts).
func byteSize(n int64) string {
	switch {
	case n >= 1_000_000:
		return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + " MB"
	case n >= 1_000:
		return strconv.FormatInt((n+500)/1000, 10) + " KB"
	default:
		return strconv.FormatInt(n, 10) + " B"
	}
}
