package campaign

import (
	"slices"
	"strings"

	"github.com/sharecard/sharecard/internal/card"
	"go.yaml.in/yaml/v3"
)

// A campaign speaks one or more languages (languages:, default just its
// language:). Every text under texts: and every text layer's text: is
// either plain text, the same in every language, or a mapping from each
// offered language to its text:
//
//	decline: {da: Afslå invitationen, en: Decline the invitation}
//
// The texts and the card layers are read once per language, so a text key
// added to Texts is translatable without code of its own, and each
// language has card templates of its own (compiled on first use).

// Languages lists the languages the campaign offers, its default
// (Language) first.
func (c *Campaign) Languages() []string { return slices.Clone(c.langs) }

// Offers reports whether the campaign has texts in lang.
func (c *Campaign) Offers(lang string) bool { return slices.Contains(c.langs, lang) }

// Lang is the language this value of the campaign speaks: Language for a
// campaign as loaded, the chosen one for a value from In.
func (c *Campaign) Lang() string {
	if c.lang == "" {
		return c.Language
	}
	return c.lang
}

// TextsFor is the campaign's copy in lang; a language the campaign does
// not offer gets its default language's.
func (c *Campaign) TextsFor(lang string) *Texts {
	if t, ok := c.texts[lang]; ok {
		return t
	}
	if t, ok := c.texts[c.Language]; ok {
		return t
	}
	return &c.Texts
}

// In is the campaign speaking lang (its default when it does not offer
// lang): Texts, Variant, Missing, the previews and everything else built
// on them answer in that language. The value is a copy for one request:
// compare campaigns by ID and Version, never by pointer, and keep the
// loaded campaign (not the copy) where a campaign is stored.
func (c *Campaign) In(lang string) *Campaign {
	if !c.Offers(lang) {
		lang = c.Language
	}
	if lang == c.Lang() {
		return c
	}
	v := *c
	v.lang = lang
	v.Texts = *c.TextsFor(lang)
	return &v
}

// VariantFor is the compiled template of a variant in lang (the default
// language when the campaign does not offer lang).
func (c *Campaign) VariantFor(lang, name string) (*card.Template, bool) {
	return c.In(lang).Variant(name)
}

// localeTerritory gives the usual territory of a language whose locale
// the campaign file does not name, for og:locale.
var localeTerritory = map[string]string{
	"da": "DK", "en": "GB", "sv": "SE", "nb": "NO", "nn": "NO", "de": "DE", "fr": "FR",
	"es": "ES", "it": "IT", "nl": "NL", "fi": "FI", "pl": "PL", "pt": "PT", "is": "IS",
}

// LocaleOf is the og:locale of lang: the campaign's locale: for its
// default language, else the language with its usual territory (en_GB),
// else with the territory of the campaign's locale.
func (c *Campaign) LocaleOf(lang string) string {
	if lang == c.Language && c.Locale != "" {
		return c.Locale
	}
	if t, ok := localeTerritory[lang]; ok {
		return lang + "_" + t
	}
	if _, t, ok := strings.Cut(c.Locale, "_"); ok {
		return lang + "_" + t
	}
	return lang
}

// readLanguages reads language: and languages: into c.Language and c.langs
// (default first).
func (st *fileState) readLanguages(root *object, c *Campaign) {
	c.Language = DefaultLanguage
	lang, langNode := root.str("language", false)
	if langNode != nil {
		if !languagePattern.MatchString(lang) {
			st.p.add(langNode, "language %q: want a two-letter language code such as da or en", lang)
		}
		c.Language = lang
	}
	var listed []string
	if n, ok := root.get("languages"); ok {
		if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
			st.p.add(n, "languages must be a non-empty list of language codes, such as [da, en], not %s", kindName(n))
		} else {
			for _, item := range n.Content {
				l, ok := scalarString(st.p, item, "languages")
				if !ok {
					continue
				}
				switch {
				case !languagePattern.MatchString(l):
					st.p.add(item, "languages: %q: want a two-letter language code such as da or en", l)
				case slices.Contains(listed, l):
					st.p.add(item, "languages: %s is listed twice", l)
				default:
					listed = append(listed, l)
				}
			}
			if langNode == nil && len(listed) > 0 {
				// Without language:, the first listed is the default.
				c.Language = listed[0]
			} else if len(listed) > 0 && !slices.Contains(listed, c.Language) {
				st.p.add(langNode, "language %s is not one of languages (%s): the default language must be offered", c.Language, strings.Join(listed, ", "))
			}
		}
	}
	c.langs = []string{c.Language}
	for _, l := range listed {
		if l != c.Language {
			c.langs = append(c.langs, l)
		}
	}
	st.langs = c.langs
	st.lang = c.Language
}

// text reads a translatable text: plain text (the same in every
// language) or a mapping from every offered language to its text. It
// returns the text in st.lang and the node holding it, for messages.
func (st *fileState) text(o *object, key string, required bool) (string, *yaml.Node) {
	v, ok := o.values[key]
	if !ok || v.Kind != yaml.MappingNode {
		return o.str(key, required)
	}
	o.get(key)
	return st.translated(v, o.what+"."+key, required)
}

// translated reads a {language: text} mapping, reporting a language the
// campaign does not offer and an offered one it lacks.
func (st *fileState) translated(v *yaml.Node, what string, required bool) (string, *yaml.Node) {
	m := newObject(st.p, v, what)
	if m == nil {
		return "", nil
	}
	offered := strings.Join(st.langs, ", ")
	for _, k := range m.order {
		if !slices.Contains(st.langs, k) {
			st.p.add(m.keys[k], "%s: %q is not a language of the campaign (languages: %s); add it to languages: or remove it", what, k, offered)
		}
	}
	for _, l := range st.langs {
		if _, ok := m.values[l]; !ok {
			st.p.add(v, "%s: missing the %s text (the campaign offers %s: give each, or one plain text for all)", what, l, offered)
		}
	}
	if _, ok := m.values[st.lang]; !ok {
		return "", nil
	}
	m.what = what
	s, n := m.str(st.lang, required)
	return s, n
}

// keyOf names a language's template of a variant in templatesState.specs.
func keyOf(lang, variant string) string { return lang + "/" + variant }

// PageFont is a font of the campaign's cards that its pages are set in.
type PageFont struct {
	Role string // "heading" (the face that greets the invitee) or "body"
	Name string // its name under fonts:
	Data []byte
	Hash string // of Data, for a URL that never changes meaning
}

// PageFonts are the fonts the campaign's pages borrow from its link
// preview card: the greeting's ("Kære {{name}}") for headings, the
// byline's for the text (else the greeting's).
func (c *Campaign) PageFonts() []PageFont { return c.pageFonts }

// PageFont finds a page font by its name under fonts:.
func (c *Campaign) PageFont(name string) (PageFont, bool) {
	for _, f := range c.pageFonts {
		if f.Name == name {
			return f, true
		}
	}
	return PageFont{}, false
}

// pageFontsOf picks the page fonts from the preview variant's layers.
func (st *fileState) pageFontsOf(layers []card.Layer) []PageFont {
	nameOf := func(f *card.Font) string {
		for n, g := range st.fonts {
			if g == f {
				return n
			}
		}
		return ""
	}
	pick := func(placeholder string) *card.Font {
		for _, l := range layers {
			if tb, ok := l.(card.TextBox); ok && strings.Contains(tb.Text, placeholder) {
				return tb.Font
			}
		}
		return nil
	}
	var out []PageFont
	add := func(role string, f *card.Font) {
		if f == nil {
			return
		}
		data, hash := f.File()
		name := nameOf(f)
		if data == nil || name == "" {
			return
		}
		out = append(out, PageFont{Role: role, Name: name, Data: data, Hash: hash})
	}
	heading := pick("{{name}}")
	body := pick("{{byline}}")
	if body == nil {
		body = heading
	}
	add("heading", heading)
	if body != heading {
		add("body", body)
	} else if len(out) > 0 {
		out = append(out, PageFont{Role: "body", Name: out[0].Name, Data: out[0].Data, Hash: out[0].Hash})
	}
	return out
}
