package rules

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Normalize folds a header or a cell value for matching: it removes every white space
// (ASCII, full-width U+3000, no-break, line breaks), folds full-width letters, digits and
// brackets to their half-width forms, and maps the Chinese brackets （）【】 to ().
func Normalize(s string) string {
	if normalized(s) {
		return s // the common case (IDs, names, terms): no copy
	}
	s = width.Fold.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), r == '\u200b', r == '\ufeff':
			continue
		case r == '【' || r == '〔':
			b.WriteRune('(')
		case r == '】' || r == '〕':
			b.WriteRune(')')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// normalized reports whether Normalize would return s unchanged, by a quick look that knows
// only printable ASCII and the CJK unified ideographs are left as they are; anything else takes
// the full path.
func normalized(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c <= ' ' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r < 0x4e00 || r > 0x9fff {
			return false
		}
		i += n
	}
	return true
}

// Vocabulary maps the spellings people use (synonyms) to one canonical term, e.g. 到, √ → 出席.
// Lookups go through Normalize, so 出 席 and 出席 are the same.
type Vocabulary struct {
	terms    []string          // canonical terms in config order
	index    map[string]string // normalized synonym → canonical term
	synonyms []string          // the index's keys, sorted (a vocabulary never changes)
}

// NewVocabulary builds a vocabulary from canonical → synonyms. The canonical term always
// matches itself. order lists the canonical terms in the order messages should list them;
// terms missing from order are appended sorted. A synonym claimed by two terms is an error.
func NewVocabulary(synonyms map[string][]string, order []string) (*Vocabulary, error) {
	v := &Vocabulary{index: map[string]string{}}
	seen := map[string]bool{}
	for _, t := range order {
		if _, ok := synonyms[t]; ok && !seen[t] {
			v.terms = append(v.terms, t)
			seen[t] = true
		}
	}
	rest := make([]string, 0)
	for t := range synonyms {
		if !seen[t] {
			rest = append(rest, t)
		}
	}
	sortStrings(rest)
	v.terms = append(v.terms, rest...)
	for _, t := range v.terms {
		for _, s := range append([]string{t}, synonyms[t]...) {
			k := Normalize(s)
			if k == "" {
				continue
			}
			if prev, ok := v.index[k]; ok && prev != t {
				return nil, &FieldError{Msg: "同义词 “" + s + "” 同时属于 “" + prev + "” 和 “" + t + "”"}
			}
			v.index[k] = t
		}
	}
	v.synonyms = make([]string, 0, len(v.index))
	for k := range v.index {
		v.synonyms = append(v.synonyms, k)
	}
	sortStrings(v.synonyms)
	return v, nil
}

// Lookup returns the canonical term for s, or false.
func (v *Vocabulary) Lookup(s string) (string, bool) {
	t, ok := v.index[Normalize(s)]
	return t, ok
}

// Synonyms returns every normalized spelling the vocabulary knows.
// The slice is the vocabulary's own: not to be changed.
func (v *Vocabulary) Synonyms() []string { return v.synonyms }

// Terms returns the canonical terms in display order.
func (v *Vocabulary) Terms() []string { return v.terms }

// Has reports whether term is one of the canonical terms.
func (v *Vocabulary) Has(term string) bool {
	for _, t := range v.terms {
		if t == term {
			return true
		}
	}
	return false
}

// List joins the canonical terms with the Chinese enumeration comma, for messages.
func (v *Vocabulary) List() string { return strings.Join(v.terms, "、") }
