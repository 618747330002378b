//go:build !race

package testbrowser

// slowdown is how much longer things take under the race detector (see
// race_on.go); without it, none.
const slowdown = 1
