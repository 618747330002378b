//go:build linux

package card_test

import (
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/card"
)

// threadCPU is the CPU time the calling OS thread has used.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_THREAD, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRenderBytesCPU is BenchmarkRenderBytes with the CPU time per card
// (cpu-ms/op) beside the wall time: on a machine shared with other work the
// wall time includes waiting for a core, the CPU time does not.
func BenchmarkRenderBytesCPU(b *testing.B) {
	c := demoCampaign(b)
	for _, v := range campaign.VariantNames {
		tpl, _ := c.Variant(v)
		if err := tpl.Prepare(card.EncodeOptions{}); err != nil {
			b.Fatal(err)
		}
		for _, f := range []card.Format{card.JPEG, card.PNG} {
			b.Run(v+"/"+string(f), func(b *testing.B) {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				b.ReportAllocs()
				start := threadCPU()
				n := 0
				for i := 0; b.Loop(); i++ {
					fields := card.Fields{Name: benchNames[i%len(benchNames)] + " " + strconv.Itoa(i%7), Title: "Adm. direktør"}
					if _, err := card.RenderBytes(tpl, fields, f, card.EncodeOptions{}); err != nil {
						b.Fatal(err)
					}
					n++
				}
				b.ReportMetric(float64(threadCPU()-start)/1e6/float64(n), "cpu-ms/op")
			})
		}
	}
}
