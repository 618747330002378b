//go:build race

package testbrowser

// slowdown is how much longer things take under the race detector, which
// makes the service's rendering several times slower.
const slowdown = 4
