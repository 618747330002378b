package server

import (
	"github.com/maypok86/otter/v2"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/invite"
)

// resolvedImage is what an image request's token and file name resolve
// to. Working it out costs a base64 decode, an HMAC check, the NFC
// validation of the names and two SHA-256 sums, a few microseconds that
// were the largest share of a memory-tier hit after the network writes;
// a shared link asks the same question thousands of times, so the answer
// is kept.
//
// Only tokens that verified enter, so a forged token never skips the
// check; revocation is still asked on every use, since it can change at
// any time. The campaign set is fixed for the life of the process, so a
// kept *Campaign stays the one a fresh lookup would give.
type resolvedImage struct {
	inv         invite.Invitation
	camp        *campaign.Campaign
	fingerprint string
	ref         ImageRef
	addr        Address
}

type resolvedKey struct{ token, file string }

// resolvedEntries bounds the cache: some 300 bytes each, so about 5 MiB.
const resolvedEntries = 16384

func newResolvedCache() *otter.Cache[resolvedKey, resolvedImage] {
	return otter.Must(&otter.Options[resolvedKey, resolvedImage]{MaximumSize: resolvedEntries})
}
