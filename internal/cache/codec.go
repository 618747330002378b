package cache

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// A Redis value is a small binary header followed by the body, so a hit is
// one GET and the body is never escaped or parsed:
//
//	"sc" version(1) uvarint(len ct) ct uvarint(len etag) etag body
const (
	codecMagic0  = 's'
	codecMagic1  = 'c'
	codecVersion = 1
	// maxMetaLen bounds the content type and ETag a value may claim, so a
	// corrupt header cannot make decode slice past the value.
	maxMetaLen = 1024
)

var errBadValue = errors.New("not a sharecard cache value")

// encode lays e out as one Redis value.
func encode(e Entry) ([]byte, error) {
	if len(e.ContentType) > maxMetaLen || len(e.ETag) > maxMetaLen {
		return nil, fmt.Errorf("content type or ETag longer than %d bytes", maxMetaLen)
	}
	b := make([]byte, 0, 3+2*binary.MaxVarintLen16+len(e.ContentType)+len(e.ETag)+len(e.Body))
	b = append(b, codecMagic0, codecMagic1, codecVersion)
	b = binary.AppendUvarint(b, uint64(len(e.ContentType)))
	b = append(b, e.ContentType...)
	b = binary.AppendUvarint(b, uint64(len(e.ETag)))
	b = append(b, e.ETag...)
	return append(b, e.Body...), nil
}

// decode reads a value written by encode. The body aliases b.
func decode(b []byte) (Entry, error) {
	if len(b) < 3 || b[0] != codecMagic0 || b[1] != codecMagic1 {
		return Entry{}, errBadValue
	}
	if b[2] != codecVersion {
		return Entry{}, fmt.Errorf("%w: layout version %d, want %d", errBadValue, b[2], codecVersion)
	}
	b = b[3:]
	ct, b, err := readField(b)
	if err != nil {
		return Entry{}, fmt.Errorf("%w: content type: %v", errBadValue, err)
	}
	etag, b, err := readField(b)
	if err != nil {
		return Entry{}, fmt.Errorf("%w: ETag: %v", errBadValue, err)
	}
	return Entry{Body: b, ContentType: ct, ETag: etag}, nil
}

func readField(b []byte) (string, []byte, error) {
	n, w := binary.Uvarint(b)
	if w <= 0 {
		return "", nil, errors.New("bad length")
	}
	if n > maxMetaLen || n > uint64(len(b)-w) {
		return "", nil, fmt.Errorf("length %d past the end", n)
	}
	b = b[w:]
	return string(b[:n]), b[n:], nil
}
