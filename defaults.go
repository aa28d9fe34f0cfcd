// Package jifen holds the files the binary carries with it: the default rules.
package jifen

import _ "embed"

// DefaultConfig is config.yaml as shipped: the reference scheme of DOMAIN.md, used when no
// --config is given and ./config.yaml does not exist.
//
//go:embed config.yaml
var DefaultConfig []byte
