package campaign

import (
	"errors"
	"fmt"
	"image/color"
	"io/fs"
	"log/slog"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/variant"
	"go.yaml.in/yaml/v3"
)

var (
	idPattern       = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
	localePattern   = regexp.MustCompile(`^[a-z]{2,3}_[A-Z]{2}$`)
	languagePattern = regexp.MustCompile(`^[a-z]{2,3}$`)
	namePattern     = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)
)

// fileState is what the parts of one campaign file share while loading.
type fileState struct {
	p        *problems
	assets   *assets
	palette  map[string]color.NRGBA
	fonts    map[string]*card.Font
	declared map[string]bool // font names, including ones that failed to load
	fallback []*card.Font
	log      *slog.Logger
	// textNodes are the texts' values, for warnings that point at them.
	textNodes map[string]*yaml.Node
	// tz is the campaign's time zone, which its event's defaults to.
	tz *time.Location
	// langs are the campaign's languages (the default first) and lang the
	// one the texts and layers are being read in: see st.text.
	langs []string
	lang  string
}

// loadFile reads one campaign file. It returns the campaign only when the
// file has no problems.
func loadFile(fsys fs.FS, file string, a *assets, log *slog.Logger) (*Campaign, []error) {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, []error{fmt.Errorf("%s: %w", file, unwrapPathError(err))}
	}
	return compileFile(file, data, "", a, log)
}

// compileFile reads and compiles one campaign file's bytes. wantID, when
// set, is the campaign's id given from outside (a URL path, a store key):
// the file's id: may then be left out, and must match when present.
func compileFile(file string, data []byte, wantID string, a *assets, log *slog.Logger) (*Campaign, []error) {
	p := &problems{file: file}
	if len(data) > MaxFileBytes {
		p.add(nil, "the file is %d bytes; a campaign file may be at most %d (256 KiB)", len(data), MaxFileBytes)
		return nil, p.errs
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p.parseError(err)
		return nil, p.errs
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		p.add(&doc, "the file is empty")
		return nil, p.errs
	}
	if n := firstAlias(&doc); n != nil {
		// The strict reader never expands an alias, so a "billion laughs"
		// costs nothing; say so at once instead of once per alias.
		p.add(n, "anchors and aliases (*%s) are not allowed in a campaign file: write the value out", n.Value)
		return nil, p.errs
	}
	root := newObject(p, doc.Content[0], "campaign")
	if root == nil {
		return nil, p.errs
	}
	st := &fileState{p: p, assets: a, palette: map[string]color.NRGBA{}, fonts: map[string]*card.Font{}, declared: map[string]bool{}, log: log, textNodes: map[string]*yaml.Node{}}
	c := &Campaign{File: file, tpl: &templatesState{specs: map[string]card.Spec{}}}

	id, idNode := root.str("id", wantID == "")
	if idNode != nil && !idPattern.MatchString(id) {
		p.add(idNode, "id %q: use lower-case letters, digits and hyphens (it appears in URLs)", id)
	}
	if wantID != "" {
		if idNode != nil && id != wantID {
			p.add(idNode, "id %q does not match the campaign %q it is published as", id, wantID)
		}
		id = wantID
	}
	c.ID = id
	loc, locNode := root.str("locale", true)
	if locNode != nil && !localePattern.MatchString(loc) {
		p.add(locNode, "locale %q: want language_TERRITORY, e.g. da_DK", loc)
	}
	c.Locale = loc
	u, uNode := root.str("learning_url", true)
	if uNode != nil {
		if pu, err := url.Parse(u); err != nil || (pu.Scheme != "https" && pu.Scheme != "http") || pu.Host == "" {
			p.add(uNode, "learning_url %q must be an absolute http(s) URL", u)
		}
	}
	c.LearningURL = u
	if mailTo, mailNode := root.str("contact", false); mailNode != nil {
		// Shown on the privacy page as where to ask for a card's removal:
		// an address people can write to, nothing else.
		if a, err := mail.ParseAddress(mailTo); err != nil || a.Address != mailTo || !strings.Contains(mailTo[strings.LastIndex(mailTo, "@")+1:], ".") {
			p.add(mailNode, "contact %q must be an e-mail address such as privacy@example.org", mailTo)
		}
		c.Contact = mailTo
	}
	c.SelfService = root.boolean("self_service", false)
	c.EmojiInNames = root.boolean("emoji_in_names", false)
	c.Decline = root.choice("decline", DeclineConfirm, DeclineConfirm, DeclineDirect)
	c.TimeZone, _ = time.LoadLocation(DefaultTimeZone)
	if zone, zoneNode := root.str("timezone", false); zoneNode != nil {
		if l, err := time.LoadLocation(zone); err != nil || zone == "" || zone == "Local" {
			p.add(zoneNode, "timezone %q: want an IANA time zone such as Europe/Copenhagen", zone)
		} else {
			c.TimeZone = l
		}
	}
	st.tz = c.TimeZone
	st.readLanguages(root, c)
	st.readWindow(root, c)
	if n, ok := root.get("blocked_words"); ok {
		c.Blocked = st.readBlocked(n)
	} else {
		c.Blocked = defaultBlocked()
	}

	if n, ok := root.get("event"); ok {
		c.Event = st.readEvent(n)
	}
	if n, ok := root.get("palette"); ok {
		st.readPalette(n)
	}
	c.texts = map[string]*Texts{}
	for _, lang := range c.langs {
		st.lang = lang
		t := &Texts{}
		if n, ok := root.require("texts"); ok {
			st.readTexts(n, t)
		}
		c.texts[lang] = t
	}
	st.lang = c.Language
	c.Texts = *c.texts[c.Language]
	if n, ok := root.require("colors"); ok {
		st.readColors(n, &c.Colors)
	}
	if n, ok := root.require("fonts"); ok {
		st.readFonts(n)
	}
	if n, ok := root.get("fallback_fonts"); ok {
		st.readFallback(n)
	}
	// The "I declined" card (declined:) is optional: a campaign without
	// it thanks the decliner without a card to share.
	specs := map[string]map[string]variantSpec{}
	declined := map[string]map[string]variantSpec{}
	for _, lang := range c.langs {
		st.lang = lang
		if n, ok := root.require("variants"); ok {
			specs[lang] = st.readVariants(n, "variants", "variant")
		}
		if n, ok := root.get("declined"); ok {
			declined[lang] = st.readVariants(n, "declined", "declined")
		}
	}
	st.lang = c.Language
	root.finish()
	if p.count() > 0 {
		return nil, p.errs
	}
	for _, lang := range c.langs {
		st.warnPreviewLengths(c.In(lang))
	}
	if c.Event == nil && p.computed {
		p.add(doc.Content[0], "the texts use {{years_until}}, which counts the years until the event: add an event: section with its start")
		return nil, p.errs
	}
	values := c.computedValues(time.Now())
	c.tpl.langs = c.langs
	for _, lang := range c.langs {
		for _, kind := range []struct {
			prefix string
			specs  map[string]map[string]variantSpec
		}{{"", specs}, {declinedPrefix, declined}} {
			if kind.specs[lang] == nil {
				continue
			}
			for _, name := range VariantNames {
				vs := kind.specs[lang][name]
				fallback := append(st.fallback[:len(st.fallback):len(st.fallback)], st.assets.noto...)
				spec := card.Spec{Variant: kind.prefix + name, Width: vs.width, Height: vs.height, Layers: vs.layers, Fallback: fallback,
					Log: log.With("campaign", c.ID, "language", lang)}
				// Compiled once here to check it; current() compiles it
				// again when a computed value changes. Another language's
				// check draws only its text layers that differ from the
				// default's: the rest were checked with the default, and
				// painting the backgrounds again would double the cost of
				// every publish.
				check, checkVS := spec, vs
				if lang != c.Language {
					checkVS = translatedLayers(vs, kind.specs[c.Language][name])
					check.Layers = checkVS.layers
				}
				if len(check.Layers) > 0 {
					if _, err := card.Compile(withValues(check, values)); err != nil {
						st.compileError(checkVS, err)
						continue
					}
				}
				c.tpl.specs[keyOf(lang, kind.prefix+name)] = spec
			}
		}
	}
	if p.count() > 0 {
		return nil, p.errs
	}
	c.pageFonts = st.pageFontsOf(specs[c.Language][variant.Preview].layers)
	c.tpl.shared = map[string]bool{}
	for _, lang := range c.langs[1:] {
		if sameTexts(specs[lang], specs[c.Language]) && sameTexts(declined[lang], declined[c.Language]) {
			c.tpl.shared[lang] = true
		}
	}
	return c, nil
}

// translatedLayers is vs with only the text layers whose text differs
// from def's, each with its node for messages.
func translatedLayers(vs, def variantSpec) variantSpec {
	out := vs
	out.layers, out.layerNodes = nil, nil
	for i, l := range vs.layers {
		tb, ok := l.(card.TextBox)
		if !ok {
			continue
		}
		if i < len(def.layers) {
			if dt, ok := def.layers[i].(card.TextBox); ok && dt.Text == tb.Text {
				continue
			}
		}
		out.layers = append(out.layers, l)
		out.layerNodes = append(out.layerNodes, vs.layerNodes[i])
	}
	return out
}

// sameTexts reports whether two languages' variants draw the same texts.
func sameTexts(a, b map[string]variantSpec) bool {
	for name, va := range a {
		vb, ok := b[name]
		if !ok || len(va.layers) != len(vb.layers) {
			return false
		}
		for i, l := range va.layers {
			ta, ok := l.(card.TextBox)
			if !ok {
				continue
			}
			if tb, ok := vb.layers[i].(card.TextBox); !ok || ta.Text != tb.Text {
				return false
			}
		}
	}
	return true
}

// compileError points each layer problem the renderer found at its line.
func (st *fileState) compileError(vs variantSpec, err error) {
	var joined interface{ Unwrap() []error }
	list := []error{err}
	if errors.As(err, &joined) {
		list = joined.Unwrap()
	}
	for _, e := range list {
		var le *card.LayerError
		if errors.As(e, &le) && le.Index < len(vs.layerNodes) {
			st.p.add(vs.layerNodes[le.Index], "%s %s, layer %d: %v", vs.label, vs.name, le.Index+1, le.Err)
			continue
		}
		st.p.add(vs.node, "%s %s: %v", vs.label, vs.name, e)
	}
}

func (st *fileState) readPalette(n *yaml.Node) {
	o := newObject(st.p, n, "palette")
	if o == nil {
		return
	}
	for _, k := range o.order {
		v, _ := o.get(k)
		if !namePattern.MatchString(k) {
			st.p.add(o.keys[k], "palette name %q: use lower-case letters, digits, _ and -", k)
			continue
		}
		s, ok := scalarString(st.p, v, "palette."+k)
		if !ok {
			continue
		}
		c, err := parseHex(s)
		if err != nil {
			st.p.add(v, "palette.%s: %v", k, err)
			continue
		}
		st.palette[k] = c
	}
	o.finish()
}

func (st *fileState) readTexts(n *yaml.Node, t *Texts) {
	o := newObject(st.p, n, "texts")
	if o == nil {
		return
	}
	for _, f := range []struct {
		key string
		dst *string
	}{
		{"event", &t.Event},
		{"date", &t.Date},
		{"og_title", &t.OGTitle},
		{"og_description", &t.OGDescription},
		{"image_alt", &t.ImageAlt},
		{"page_heading", &t.PageHeading},
		{"page_body", &t.PageBody},
		{"decline", &t.Decline},
		{"share", &t.Share},
		{"download", &t.Download},
		{"self_service_title", &t.SelfServiceTitle},
		{"self_service_body", &t.SelfServiceBody},
		{"self_service_button", &t.SelfServiceButton},
	} {
		var v *yaml.Node
		*f.dst, v = st.text(o, f.key, true)
		if v != nil {
			checkPlaceholders(st.p, v, "texts."+f.key, *f.dst)
			st.textNodes[f.key] = v
		}
	}
	for _, f := range []struct {
		key string
		dst *string
	}{
		{"label_square", &t.LabelSquare},
		{"label_portrait", &t.LabelPortrait},
		{"label_story", &t.LabelStory},
		{"label_name", &t.LabelName},
		{"label_title", &t.LabelTitle},
		{"label_org", &t.LabelOrg},
		{"label_optional", &t.LabelOptional},
	} {
		*f.dst, _ = st.text(o, f.key, false)
	}
	for _, f := range []struct {
		key string
		dst *string
	}{
		{"site_name", &t.SiteName},
		{"generic_name", &t.GenericName},
		{"campaign_og_title", &t.CampaignOGTitle},
		{"campaign_og_description", &t.CampaignOGDescription},
		{"declined_heading", &t.DeclinedHeading},
		{"declined_body", &t.DeclinedBody},
		{"declined_learn", &t.DeclinedLearn},
		{"declined_share", &t.DeclinedShare},
		{"declined_download", &t.DeclinedDownload},
		{"declined_state", &t.DeclinedState},
		{"declined_og_title", &t.DeclinedOGTitle},
		{"declined_og_description", &t.DeclinedOGDescription},
		{"declined_image_alt", &t.DeclinedImageAlt},
	} {
		var v *yaml.Node
		if *f.dst, v = st.text(o, f.key, false); v != nil {
			checkPlaceholders(st.p, v, "texts."+f.key, *f.dst)
			st.textNodes[f.key] = v
		}
	}
	o.finish()
}

func (st *fileState) readColors(n *yaml.Node, c *Colors) {
	o := newObject(st.p, n, "colors")
	if o == nil {
		return
	}
	for _, f := range []struct {
		key string
		dst *string
	}{
		{"background", &c.Background},
		{"foreground", &c.Foreground},
		{"accent", &c.Accent},
	} {
		s, v := o.str(f.key, true)
		if v == nil {
			continue
		}
		col, err := parseColor(s, st.palette)
		if err != nil {
			st.p.add(v, "colors.%s: %v", f.key, err)
			continue
		}
		if col.A != 255 {
			st.p.add(v, "colors.%s: page colours must be opaque", f.key)
		}
		*f.dst = hexString(col)
	}
	o.finish()
}

func (st *fileState) readFonts(n *yaml.Node) {
	o := newObject(st.p, n, "fonts")
	if o == nil {
		return
	}
	if len(o.order) == 0 {
		st.p.add(n, "fonts: name at least one font")
	}
	for _, k := range o.order {
		s, v := o.str(k, true)
		if v == nil {
			continue
		}
		if !namePattern.MatchString(k) {
			st.p.add(o.keys[k], "font name %q: use lower-case letters, digits, _ and -", k)
			continue
		}
		st.declared[k] = true
		f, err := st.assets.font(s)
		if err != nil {
			st.p.add(v, "fonts.%s: %v", k, err)
			continue
		}
		st.fonts[k] = f
	}
	o.finish()
}

// readFallback reads fallback_fonts: a list whose items are a font path
// (tried for any script) or {font: path, scripts: [Arab, …]} (tried only
// for those scripts, before the shipped font for them).
func (st *fileState) readFallback(n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		st.p.add(n, "fallback_fonts must be a list of font paths, not %s", kindName(n))
		return
	}
	for _, c := range n.Content {
		if c.Kind == yaml.MappingNode {
			st.readScriptFallback(c)
			continue
		}
		s, ok := scalarString(st.p, c, "fallback_fonts")
		if !ok {
			continue
		}
		f, err := st.assets.font(s)
		if err != nil {
			st.p.add(c, "fallback_fonts: %v", err)
			continue
		}
		st.fallback = append(st.fallback, f)
	}
}

// readScriptFallback reads one {font: path, scripts: [codes]} item.
func (st *fileState) readScriptFallback(n *yaml.Node) {
	o := newObject(st.p, n, "fallback_fonts item")
	if o == nil {
		return
	}
	path, pn := o.str("font", true)
	var scripts []string
	if v, ok := o.require("scripts"); ok {
		if v.Kind != yaml.SequenceNode {
			st.p.add(v, "fallback_fonts item.scripts must be a list of ISO 15924 script codes, not %s", kindName(v))
		} else {
			for _, c := range v.Content {
				if s, ok := scalarString(st.p, c, "fallback_fonts item.scripts"); ok {
					scripts = append(scripts, s)
				}
			}
		}
	}
	o.finish()
	if pn == nil || scripts == nil {
		return
	}
	if !fs.ValidPath(path) {
		st.p.add(pn, "fallback_fonts: font path %q must be relative to the assets root, without .. or a leading /", path)
		return
	}
	data, err := st.assets.read(path)
	if err != nil {
		st.p.add(pn, "fallback_fonts: font %s: %v", path, err)
		return
	}
	f, err := card.ParseScriptFont(path, data, scripts)
	if err != nil {
		st.p.add(n, "fallback_fonts: %v", err)
		return
	}
	st.fallback = append(st.fallback, f)
}

// variantSpec is a parsed variant with the nodes its errors point at.
type variantSpec struct {
	name          string
	label         string // "variant" or "declined", for messages
	node          *yaml.Node
	width, height int
	layers        []card.Layer
	layerNodes    []*yaml.Node
}

// readVariants reads a section of one design per variant: variants:
// (the invitation card) or declined: (the "I declined" card). label names
// a design of the section in messages.
func (st *fileState) readVariants(n *yaml.Node, section, label string) map[string]variantSpec {
	o := newObject(st.p, n, section)
	if o == nil {
		return nil
	}
	out := map[string]variantSpec{}
	for _, k := range o.order {
		if _, ok := variant.Lookup(k); !ok {
			st.p.add(o.keys[k], "%s: unknown variant %q (variants: %s)", section, k, variantList())
		}
	}
	for _, name := range VariantNames {
		v, ok := o.get(name)
		if !ok {
			st.p.add(n, "%s: missing variant %q (a card is made in every size: %s)", section, name, variantList())
			continue
		}
		out[name] = st.readVariant(name, label, v)
	}
	return out
}

func (st *fileState) readVariant(name, label string, n *yaml.Node) variantSpec {
	vs := variantSpec{name: name, label: label, node: n}
	o := newObject(st.p, n, label+" "+name)
	if o == nil {
		return vs
	}
	want, _ := variant.Lookup(name)
	vs.width, vs.height = want.Width, want.Height
	if size, sn := o.numbers("size", true, 2, "[width, height]"); size != nil {
		if int(size[0]) != want.Width || int(size[1]) != want.Height || size[0] != float64(int(size[0])) || size[1] != float64(int(size[1])) {
			st.p.add(sn, "%s %s must be %d×%d, not %g×%g", label, name, want.Width, want.Height, size[0], size[1])
		}
	}
	ln, ok := o.require("layers")
	o.finish()
	if !ok {
		return vs
	}
	if ln.Kind != yaml.SequenceNode || len(ln.Content) == 0 {
		st.p.add(ln, "%s %s: layers must be a non-empty list", label, name)
		return vs
	}
	for i, item := range ln.Content {
		l := st.readLayer(label, name, i, item, vs.width, vs.height)
		if l == nil {
			continue
		}
		vs.layers = append(vs.layers, l)
		vs.layerNodes = append(vs.layerNodes, item)
	}
	return vs
}
