package campaign

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // DecodeConfig reads the declared size of JPEG uploads
	_ "image/png"  // and of PNG uploads
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sharecard/sharecard/internal/card"
)

// The bounds on what a campaign may hold. A card is at most 1080×1920, so
// a picture of 24 megapixels is already far more than one needs; a bigger
// declared size is refused before a single pixel is decoded (a small
// compressed file can declare a size that would take gigabytes).
const (
	MaxFileBytes     = 256 << 10 // one campaign YAML
	MaxAssetBytes    = 5 << 20   // one image or font
	MaxCampaignBytes = 50 << 20  // a campaign's YAML and assets together
	MaxImagePixels   = 24_000_000
	MaxImageSide     = 12_000
	maxAssetName     = 128
)

// The refusals of the store and its checks; the server maps each to its
// status in one place.
var (
	// ErrInvalidID means a campaign id is not [a-z0-9-]{1,64} (starting
	// with a letter or digit).
	ErrInvalidID = errors.New("a campaign id is 1 to 64 lower-case letters, digits and hyphens, starting with a letter or digit")
	// ErrInvalidAssetName means an asset name has a path in it or
	// characters that do not belong in a file name.
	ErrInvalidAssetName = errors.New("an asset name is a plain file name ending in .png, .jpg, .jpeg, .ttf or .otf: no /, \\, .., control characters, at most 128 bytes")
	// ErrUnsupportedAsset means an upload is none of PNG, JPEG, TTF, OTF.
	ErrUnsupportedAsset = errors.New("an asset is a PNG or JPEG image or a TTF or OTF font")
	// ErrBadAsset means an upload does not parse as what it claims to be.
	ErrBadAsset = errors.New("the asset does not parse")
	// ErrNoAsset means the campaign has no uploaded file by that name.
	ErrNoAsset = errors.New("the campaign has no asset by that name")
	// ErrNotFound means no campaign (or version) by that id.
	ErrNotFound = errors.New("no such campaign")
	// ErrNoVersion means the campaign has no such version.
	ErrNoVersion = errors.New("the campaign has no such version")
	// ErrVersionMismatch means the campaign's current version is not the
	// one the caller said it changes (If-Match).
	ErrVersionMismatch = errors.New("the campaign's current version is not the one given: fetch it again and retry")
	// ErrConflict means another publish changed the campaign first.
	ErrConflict = errors.New("another change to the campaign came first")
	// ErrArchived means the campaign is archived.
	ErrArchived = errors.New("the campaign is archived")
)

// TooLargeError is an upload over one of the bounds above.
type TooLargeError struct {
	What  string // "a campaign file", "an asset", "a campaign in all"
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s may be at most %s", e.What, byteSize(e.Limit))
}

// InvalidError is a campaign that does not validate: every problem, at
// its line.
type InvalidError struct {
	ID       string
	Problems []*Problem
}

func (e *InvalidError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "campaign %s does not validate (%d problem(s))", e.ID, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n")
		b.WriteString(p.Error())
	}
	return b.String()
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ValidID reports whether id may name a campaign.
func ValidID(id string) bool { return len(id) <= 64 && idPattern.MatchString(id) }

// AssetKind is what an asset is.
type AssetKind string

// The kinds of asset a campaign may hold.
const (
	AssetPNG  AssetKind = "png"
	AssetJPEG AssetKind = "jpeg"
	AssetFont AssetKind = "font"
)

// CheckAssetName refuses names that could step out of the campaign or
// confuse a file system or a log line.
func CheckAssetName(name string) error {
	if name == "" || len(name) > maxAssetName || !utf8.ValidString(name) || strings.Contains(name, "..") ||
		strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return ErrInvalidAssetName
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return ErrInvalidAssetName
		}
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".png", ".jpg", ".jpeg", ".ttf", ".otf":
		return nil
	}
	return ErrInvalidAssetName
}

// CheckAsset checks one upload before anything is stored: its name, its
// size, that its content is what its name says, that an image declares a
// size within the bounds (before it is decoded), and that it parses.
func CheckAsset(name string, data []byte) (AssetKind, error) {
	if err := CheckAssetName(name); err != nil {
		return "", err
	}
	if len(data) > MaxAssetBytes {
		return "", &TooLargeError{What: "an asset", Limit: MaxAssetBytes}
	}
	kind := sniff(data)
	if kind == "" {
		return "", fmt.Errorf("%s: %w", name, ErrUnsupportedAsset)
	}
	ext := strings.ToLower(path.Ext(name))
	want := map[string]AssetKind{".png": AssetPNG, ".jpg": AssetJPEG, ".jpeg": AssetJPEG, ".ttf": AssetFont, ".otf": AssetFont}[ext]
	if kind != want {
		return "", fmt.Errorf("%w: %s holds a %s file, not what its name ends in (%s)", ErrBadAsset, name, kind, ext)
	}
	switch kind {
	case AssetFont:
		if _, err := card.ParseFont(name, data); err != nil {
			return "", fmt.Errorf("%w: font %s: %v", ErrBadAsset, name, err)
		}
	default:
		if err := checkImage(name, data); err != nil {
			return "", err
		}
		if _, err := card.DecodeImage(name, data); err != nil {
			return "", fmt.Errorf("%w: %v", ErrBadAsset, err)
		}
	}
	return kind, nil
}

// checkImage reads an image's declared size and refuses one too large to
// decode safely.
func checkImage(name string, data []byte) error {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%w: image %s: %v", ErrBadAsset, name, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxImageSide || cfg.Height > MaxImageSide ||
		int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return fmt.Errorf("%w: image %s declares %d×%d pixels; at most %d per side and %d megapixels in all",
			ErrBadAsset, name, cfg.Width, cfg.Height, MaxImageSide, MaxImagePixels/1_000_000)
	}
	return nil
}

// sniff names an asset's kind from its first bytes.
func sniff(b []byte) AssetKind {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return AssetPNG
	case bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}):
		return AssetJPEG
	case bytes.HasPrefix(b, []byte{0, 1, 0, 0}), bytes.HasPrefix(b, []byte("OTTO")), bytes.HasPrefix(b, []byte("true")):
		return AssetFont
	}
	return ""
}
