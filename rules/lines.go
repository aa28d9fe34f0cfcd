package rules

import (
	"strconv"

	"go.yaml.in/yaml/v3"
)

// lineIndex maps key paths (scoring.categories[0].items[3].points) to the line of config.yaml
// they are on, so that messages point at the line like a compiler.
type lineIndex map[string]int

func indexLines(data []byte) lineIndex {
	var doc yaml.Node
	idx := lineIndex{}
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return idx
	}
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				p := k.Value
				if path != "" {
					p = path + "." + k.Value
				}
				idx[p] = k.Line
				walk(v, p)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				p := path + "[" + strconv.Itoa(i) + "]"
				idx[p] = c.Line
				walk(c, p)
			}
		}
	}
	walk(doc.Content[0], "")
	return idx
}

// line finds the line of path, or of its nearest parent that has one (0: unknown).
func (idx lineIndex) line(path string) int {
	for path != "" {
		if l, ok := idx[path]; ok {
			return l
		}
		cut := -1
		for i := len(path) - 1; i >= 0; i-- {
			if path[i] == '.' || path[i] == '[' {
				cut = i
				break
			}
		}
		if cut < 0 {
			return 0
		}
		path = path[:cut]
	}
	return 0
}
