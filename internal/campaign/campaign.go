// Package campaign owns campaign files: loading, strict validation with
// file:line errors, texts with {{name}}/{{title}}/{{org}} placeholders, and
// one compiled card.Template per variant.
//
// A campaign is one YAML file under the campaigns directory; the format is
// described in docs/templates.md. Loading reads every file, reports every
// mistake it finds (unknown keys, bad colours, missing fonts or images,
// layers outside the canvas, unknown or missing variants) as
// "file:line: what is wrong", and compiles nothing unless all files are clean.
package campaign

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/moderation"
	"github.com/sharecard/sharecard/internal/variant"
)

// VariantNames lists the platform sizes every campaign provides, in order
// (read from package variant, where the list is kept).
var VariantNames = variant.Names()

// Texts is a campaign's copy (Danish first). Every field may use
// {{name}}, {{title}} and {{org}}; expand with Campaign.Expand.
type Texts struct {
	Event             string // "Festen for ligestilling i dansk topledelse"
	Date              string // "8. marts 2061"
	OGTitle           string // og:title / <title>
	OGDescription     string
	ImageAlt          string
	PageHeading       string
	PageBody          string
	Decline           string // "Afslå invitationen"
	Share             string // "Del på LinkedIn"
	Download          string // "Hent til Instagram"
	SelfServiceTitle  string
	SelfServiceBody   string
	SelfServiceButton string
	// Optional: the link preview of the campaign's own page (/c/{id}),
	// whose card greets GenericName ("Kære topchef"). Empty: the
	// self-service title and text, and a card with no name.
	SiteName              string // og:site_name; empty: Event
	GenericName           string
	CampaignOGTitle       string
	CampaignOGDescription string
	// Optional labels of the pages' smaller words; empty means the page's
	// Danish default.
	LabelSquare   string // download button of the square image ("Kvadrat")
	LabelPortrait string // "Portræt"
	LabelStory    string // "Story"
	LabelName     string // self-service form field ("Navn")
	LabelTitle    string // "Titel"
	LabelOrg      string // "Organisation"
	LabelOptional string // marks the optional fields ("(valgfri)")
	// Optional words of the decline confirmation (/i/{token}/declined)
	// and of the invitation page once declined; empty means the service's
	// own words in the campaign's language.
	DeclinedHeading       string // "Tak, fordi du takkede nej"
	DeclinedBody          string
	DeclinedLearn         string // the primary action, to the learning site
	DeclinedShare         string // "Del på LinkedIn"
	DeclinedDownload      string // "Hent dit kort til Instagram"
	DeclinedState         string // the invitation page, declined: "Du har takket nej – tak"
	DeclinedOGTitle       string // the confirmation page's og:title
	DeclinedOGDescription string
	DeclinedImageAlt      string
}

// The decline: settings.
const (
	// DeclineConfirm thanks the decliner on sharecard's own page, with the
	// learning site as its one primary action and the "I declined" card
	// to share (the default).
	DeclineConfirm = "confirm"
	// DeclineDirect sends the decliner straight to the learning site.
	DeclineDirect = "direct"
)

// Colors are the page colours (hex "#rrggbb").
type Colors struct {
	Background string
	Foreground string
	Accent     string
}

// Campaign is one loaded, validated campaign.
type Campaign struct {
	ID          string
	Locale      string // e.g. "da_DK"
	Texts       Texts
	Colors      Colors
	LearningURL string // where "decline" leads; from the file only
	SelfService bool   // GET /c/{id} lets visitors mint their own invitation
	// EmojiInNames lets names hold emoji; titles and organisations always
	// may. Off unless the campaign says so: a name is a name.
	EmojiInNames bool
	// Blocked is what self-service refuses in any field (blocked_words:,
	// the default list unless switched off); nil blocks nothing.
	Blocked *moderation.List
	// Contact is the e-mail address the privacy page gives for asking
	// that a card be removed (contact:, optional).
	Contact string
	// Decline is what declining does: DeclineConfirm or DeclineDirect.
	Decline string
	// Event is the party, for the invitation's calendar file; nil when
	// the file has no event: section.
	Event *Event
	// TimeZone is where the campaign's days begin and end (its timezone:,
	// default Europe/Copenhagen): computed values and dates on its pages
	// follow it.
	TimeZone *time.Location
	// Language is the campaign's default language (language:, default da;
	// else the first of languages:). Texts is in it; see In and TextsFor
	// for the others.
	Language string
	langs    []string          // offered, Language first
	texts    map[string]*Texts // by language
	lang     string            // the language of a value from In; "" is Language
	// pageFonts are the card fonts its pages are set in.
	pageFonts []PageFont
	// Opens and Closes bound when visitors may make their own invitation
	// (opens: and closes:); zero means no bound. See OpenAt.
	Opens, Closes time.Time
	// Version is the store's version of the campaign, empty for a
	// campaign loaded from files alone.
	Version string
	// File is the campaign file's path in the loaded fs.FS.
	File string
	tpl  *templatesState
}

// Variant returns the compiled template for a variant name in the
// campaign's language (Lang), with today's computed values.
func (c *Campaign) Variant(name string) (*card.Template, bool) {
	t, ok := c.templates(c.Lang())[name]
	return t, ok
}

// declinedPrefix keeps the "I declined" card's templates apart from the
// invitation card's in one campaign's set of templates.
const declinedPrefix = "declined/"

// Declined returns the compiled "I declined" card for a variant name,
// with today's computed values; ok is false when the campaign has no
// declined: section.
func (c *Campaign) Declined(name string) (*card.Template, bool) {
	t, ok := c.templates(c.Lang())[declinedPrefix+name]
	return t, ok
}

// HasDeclinedCard reports whether the campaign has an "I declined" card.
func (c *Campaign) HasDeclinedCard() bool {
	_, ok := c.Declined(VariantNames[0])
	return ok
}

// Missing returns the characters of s that some variant of the campaign
// could not draw with its fonts and the fallback chain, in the order they
// first appear. Minting refuses a field for which it returns any, so no
// card goes out with a hole where a letter should be.
func (c *Campaign) Missing(s string) []rune {
	var out []rune
	templates := c.templates(c.Lang())
	for _, name := range VariantNames {
		for _, key := range []string{name, declinedPrefix + name} {
			t, ok := templates[key]
			if !ok {
				continue
			}
			for _, r := range t.Missing(s) {
				if !slices.Contains(out, r) {
					out = append(out, r)
				}
			}
		}
	}
	return out
}

// Expand replaces {{name}}, {{title}} and {{org}} (and {{byline}}: title and
// organisation joined by a comma) in s, and the computed values such as
// {{years_until}} as of now in the campaign's time zone.
func (c *Campaign) Expand(s string, f card.Fields) string {
	if usesComputed(s) {
		s = expandComputed(s, c.computedValues(c.tpl.clock()))
	}
	return card.Expand(s, f)
}

// Set holds every campaign loaded from one directory.
type Set struct {
	byID     map[string]*Campaign
	archived map[string]bool
}

// Current is s itself: a Set is a fixed source of campaigns, as a Library
// is a changing one.
func (s *Set) Current() *Set { return s }

// Archived reports whether id names an archived campaign (one whose links
// are gone, as opposed to one that never was).
func (s *Set) Archived(id string) bool { return s.archived[id] }

// Source gives the campaigns as they are now: a *Set, or a *Library whose
// set a publish swaps.
type Source interface {
	Current() *Set
}

// Load reads and validates every campaign file (*.yaml, *.yml) under dir in
// fsys; fonts and images named in the files are read from the same fsys, by
// paths relative to its root. It returns all problems at once, joined, each
// as "file:line: what is wrong". log receives the renderer's warnings about
// glyphs the fonts lack.
func Load(fsys fs.FS, dir string, log *slog.Logger) (*Set, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("load campaigns: %w", err)
	}
	a := newAssets(fsys)
	// The shipped fallback chain (fonts/noto) comes after each campaign's
	// own fallback fonts. Without it only the campaign's fonts draw.
	if a.noto, err = notoOf(fsys); err != nil {
		log.Warn("campaign: no shipped fallback fonts; letters the campaign fonts lack are left out", "err", err)
	}
	s := &Set{byID: map[string]*Campaign{}}
	var errs []error
	files := 0
	for _, e := range entries {
		ext := path.Ext(e.Name())
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		files++
		file := path.Join(dir, e.Name())
		c, ferrs := loadFile(fsys, file, a, log)
		errs = append(errs, ferrs...)
		if c == nil {
			continue
		}
		if prev, dup := s.byID[c.ID]; dup {
			errs = append(errs, fmt.Errorf("%s:1: campaign id %q is already used by %s", file, c.ID, prev.File))
			continue
		}
		s.byID[c.ID] = c
	}
	if files == 0 {
		errs = append(errs, fmt.Errorf("load campaigns: no campaign files (*.yaml) in %s", dir))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return s, nil
}

// Lookup finds a campaign by id.
func (s *Set) Lookup(id string) (*Campaign, bool) {
	c, ok := s.byID[id]
	return c, ok
}

// ForLanguages is the campaign to show someone whose languages are langs
// (primary subtags, most wanted first) when no campaign is named: the
// first whose default is one of them, else the first that offers it (in
// that language, from In), else one in the default language, else the
// first by id. ok is false when the set is empty.
func (s *Set) ForLanguages(langs []string) (*Campaign, bool) {
	ids := s.IDs()
	for _, l := range langs {
		for _, id := range ids {
			if c := s.byID[id]; c.Language == l {
				return c, true
			}
		}
		for _, id := range ids {
			if c := s.byID[id]; c.Offers(l) {
				return c.In(l), true
			}
		}
	}
	for _, id := range ids {
		if c := s.byID[id]; c.Language == DefaultLanguage {
			return c, true
		}
	}
	if len(ids) == 0 {
		return nil, false
	}
	return s.byID[ids[0]], true
}

// SetClock makes every campaign's computed values (such as
// {{years_until}}) follow now instead of the wall clock: for tests, and
// for replaying a campaign.
func (s *Set) SetClock(now func() time.Time) {
	for _, c := range s.byID {
		c.tpl.now.Store(&now)
	}
}

// IDs lists the campaign ids, sorted.
func (s *Set) IDs() []string {
	ids := make([]string, 0, len(s.byID))
	for id := range s.byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func sortStrings(s []string) { sort.Strings(s) }

// assets caches fonts and images by path across the files of one Load, so
// campaigns that share a font share its parsed data and glyph caches.
type assets struct {
	fsys     fs.FS
	fonts    map[string]*card.Font
	noto     []*card.Font // the shipped fallback chain, loaded lazily
	fontErr  map[string]error
	images   map[string]*card.Image
	imageErr map[string]error
	// own, when set, are a stored campaign's files (read through read);
	// every other path goes to shared, whose caches outlive one compile.
	own    *ownFiles
	shared *assets
}

func newAssets(fsys fs.FS) *assets {
	return &assets{fsys: fsys, fonts: map[string]*card.Font{}, images: map[string]*card.Image{}, fontErr: map[string]error{}, imageErr: map[string]error{}}
}

// read reads a file a campaign names: its own asset, else the shared file.
func (a *assets) read(p string) ([]byte, error) {
	if a.own != nil {
		if data, ok, err := a.own.read(p); ok {
			return data, err
		}
		if !sharedPath(p) {
			return nil, fmt.Errorf("%s: %w (upload it as an asset of the campaign, or name a font under fonts/)", p, fs.ErrNotExist)
		}
	}
	data, err := fs.ReadFile(a.fsys, p)
	if err != nil {
		return nil, unwrapPathError(err)
	}
	return data, nil
}

func (a *assets) font(p string) (*card.Font, error) {
	if a.shared != nil && !a.own.has(p) {
		if !sharedPath(p) {
			return nil, fmt.Errorf("font %s: %w (upload it as an asset of the campaign, or name a font under fonts/)", p, fs.ErrNotExist)
		}
		return a.shared.font(p)
	}
	if f, ok := a.fonts[p]; ok {
		return f, nil
	}
	if err, ok := a.fontErr[p]; ok {
		return nil, err
	}
	f, err := a.loadFont(p)
	if err != nil {
		a.fontErr[p] = err
		return nil, err
	}
	a.fonts[p] = f
	return f, nil
}

func (a *assets) loadFont(p string) (*card.Font, error) {
	if !fs.ValidPath(p) {
		return nil, fmt.Errorf("font path %q must be relative to the assets root, without .. or a leading /", p)
	}
	data, err := a.read(p)
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", p, err)
	}
	return card.ParseFont(p, data)
}

func (a *assets) image(p string) (*card.Image, error) {
	if a.shared != nil && !a.own.has(p) {
		return nil, fmt.Errorf("image %s: %w (upload it as an asset of the campaign)", p, fs.ErrNotExist)
	}
	if im, ok := a.images[p]; ok {
		return im, nil
	}
	if err, ok := a.imageErr[p]; ok {
		return nil, err
	}
	im, err := a.loadImage(p)
	if err != nil {
		a.imageErr[p] = err
		return nil, err
	}
	a.images[p] = im
	return im, nil
}

func (a *assets) loadImage(p string) (*card.Image, error) {
	if !fs.ValidPath(p) {
		return nil, fmt.Errorf("image path %q must be relative to the assets root, without .. or a leading /", p)
	}
	data, err := a.read(p)
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", p, err)
	}
	if err := checkImage(p, data); err != nil {
		return nil, err
	}
	return card.DecodeImage(p, data)
}

// unwrapPathError drops the *fs.PathError wrapper, whose path the message
// already names.
func unwrapPathError(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fs.ErrNotExist // the same words for embedded files and a directory
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// variantList is VariantNames for messages.
func variantList() string { return strings.Join(VariantNames, ", ") }

// notoOf loads the shipped fallback chain (lazily: a font's data is read
// when a letter first needs it).
func notoOf(fsys fs.FS) ([]*card.Font, error) { return card.NotoFallback(fsys) }
