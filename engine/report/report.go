// Package report fills the annual report's text: a template whose blanks are named
// placeholders — {{支委会次数}} (the unit's figure for the year), {{第一党支部.出勤率}} (a
// branch's), {{第1季度.支委会次数}} (a period's), {{第一党支部.第1季度.支委会次数}} — with the
// indicators. It knows nothing of how they are computed.
package report

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/jifen/jifen/engine"
)

var placeholder = regexp.MustCompile(`\{\{\s*([^{}]+?)\s*\}\}`)

// malformed reports whether text holds a placeholder written wrong: braces left over once the
// placeholders are taken out ({{支委会次数 without its end), a third brace ({{出勤率}}} would
// print 87.3}), or full-width braces (｛｛测试次数｝｝ would be printed as it is).
func malformed(text string) bool {
	rest := placeholder.ReplaceAllString(text, "")
	for _, bad := range []string{"{{", "}}"} {
		if strings.Contains(rest, bad) {
			return true
		}
	}
	for _, bad := range []string{"{{{", "}}}", "｛｛", "｝｝"} {
		if strings.Contains(text, bad) {
			return true
		}
	}
	return false
}

// malformedMessage is what a malformed placeholder is told with.
const malformedMessage = "占位符没有写完整或括号不对（应为两个半角花括号：{{名称}}）"

// Error lists the unknown placeholders of a template, each with its line and the valid names
// nearest to it.
type Error struct {
	Template string
	Problems []string
}

func (e *Error) Error() string { return strings.Join(e.Problems, "\n") }

// Block markers of a per-branch block.
const (
	blockStart = "{{#每个支部}}"
	blockEnd   = "{{/每个支部}}"
)

var branchField = regexp.MustCompile(`\{\{\s*\.([^{}]+?)\s*\}\}`)

// expand repeats each per-branch block for every branch.
func expand(text string, branches []string) string {
	for {
		i := strings.Index(text, blockStart)
		if i < 0 {
			return text
		}
		j := strings.Index(text[i:], blockEnd)
		if j < 0 {
			return text // an unclosed block is left for Fill to report as unknown
		}
		body := strings.TrimPrefix(text[i+len(blockStart):i+j], "\n")
		var b strings.Builder
		for _, br := range branches {
			part := strings.ReplaceAll(body, "{{支部}}", br)
			part = branchField.ReplaceAllString(part, "{{"+br+".$1}}")
			b.WriteString(part)
		}
		rest := strings.TrimPrefix(text[i+j+len(blockEnd):], "\n")
		text = text[:i] + b.String() + rest
	}
}

// Fill replaces every placeholder of text (a template named name, for messages) with its value,
// after repeating the per-branch blocks for branches. A placeholder with no value is an error
// naming its line and the nearest valid names; every such placeholder is reported at once and
// nothing is filled. Lines are those of the template before blocks are repeated, for the first
// unknown name of each.
func Fill(name, text string, values map[string]string, branches []string) (string, error) {
	lineOf := map[string]int{}
	for i, line := range strings.Split(text, "\n") {
		for _, m := range placeholder.FindAllStringSubmatch(line, -1) {
			if _, seen := lineOf[m[1]]; !seen {
				lineOf[m[1]] = i + 1
			}
		}
	}
	var problems []string
	// Structure first: blocks closed, placeholders closed.
	if strings.Count(text, blockStart) != strings.Count(text, blockEnd) {
		problems = append(problems, fmt.Sprintf("%s: %s 和 %s 没有成对出现", name, blockStart, blockEnd))
	}
	for i, line := range strings.Split(text, "\n") {
		if malformed(line) {
			problems = append(problems, fmt.Sprintf("%s:%d: %s：%s", name, i+1, malformedMessage, strings.TrimSpace(line)))
		}
		for _, m := range placeholder.FindAllStringSubmatch(line, -1) {
			if strings.HasPrefix(m[1], ".") && !inBlock(text, i) {
				problems = append(problems, fmt.Sprintf("%s:%d: {{%s}} 只能写在 %s 和 %s 之间", name, i+1, m[1], blockStart, blockEnd))
			}
		}
	}
	if len(problems) > 0 {
		return "", &Error{Template: name, Problems: problems}
	}
	// Names inside blocks are checked as written, with the first branch.
	origin := map[string]string{}
	for _, b := range branches {
		for k := range lineOf {
			if strings.HasPrefix(k, ".") {
				if _, seen := origin[b+k]; !seen {
					origin[b+k] = k
				}
			}
		}
	}
	text = expand(text, branches)
	reported := map[string]bool{}
	for i, line := range strings.Split(text, "\n") {
		for _, m := range placeholder.FindAllStringSubmatch(line, -1) {
			key := m[1]
			if _, ok := values[key]; ok {
				continue
			}
			shown, lookup := key, values
			if o, ok := origin[key]; ok { // {{.出勤律}} of a per-branch block
				shown, lookup = o, branchValues(values, branches)
			}
			if reported[shown] {
				continue
			}
			reported[shown] = true
			at := i + 1
			if l, ok := lineOf[shown]; ok {
				at = l
			}
			msg := fmt.Sprintf("%s:%d: 未知的占位符 {{%s}}", name, at, shown)
			if near := Nearest(shown, lookup, 3); len(near) > 0 {
				msg += "（相近的有：" + strings.Join(near, "、") + "）"
			}
			problems = append(problems, msg)
		}
	}
	if len(problems) > 0 {
		return "", &Error{Template: name, Problems: problems}
	}
	return placeholder.ReplaceAllStringFunc(text, func(s string) string {
		return values[placeholder.FindStringSubmatch(s)[1]]
	}), nil
}

// Nearest lists up to n names of values nearest to key by edit distance over characters,
// nearest first (ties by name).
func Nearest(key string, values map[string]string, n int) []string {
	type cand struct {
		name string
		d    int
	}
	k := []rune(key)
	var cs []cand
	for name := range values {
		cs = append(cs, cand{name, engine.EditDistance(key, name)})
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].name < cs[j].name
	})
	var out []string
	for i := 0; i < len(cs) && i < n; i++ {
		if cs[i].d > len(k) {
			break
		}
		out = append(out, cs[i].name)
	}
	return out
}

// inBlock reports whether line i (0-based) of text lies inside a per-branch block.
func inBlock(text string, i int) bool {
	depth := 0
	for n, line := range strings.Split(text, "\n") {
		if n == i {
			return depth > 0 || (strings.Contains(line, blockStart) && !strings.HasPrefix(strings.TrimSpace(line), blockEnd))
		}
		depth += strings.Count(line, blockStart) - strings.Count(line, blockEnd)
	}
	return false
}

// branchValues are the names a per-branch block can use: .指标 for the first branch's figures.
func branchValues(values map[string]string, branches []string) map[string]string {
	out := map[string]string{}
	if len(branches) == 0 {
		return out
	}
	prefix := branches[0] + "."
	for k, v := range values {
		if strings.HasPrefix(k, prefix) {
			out["."+strings.TrimPrefix(k, prefix)] = v
		}
	}
	return out
}
