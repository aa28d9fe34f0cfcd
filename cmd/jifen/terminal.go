package main

import (
	"bytes"
	"fmt"
	"io"
	"reflect"
	"unicode/utf8"

	"github.com/jifen/jifen/engine"
	"github.com/jifen/jifen/engine/privacy"
)

// terminalWriter is where every command prints (cobra's out and err, and the closing error):
// each write goes through engine.Terminal, so that no message shows a 身份证号 or 手机号 in
// full or lets a control character from a name or file name act on the terminal, whichever
// message it is. fmt writes a whole message at a time, so a number is never split between two
// writes.
type terminalWriter struct{ w io.Writer }

func (t terminalWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(t.w, engine.Terminal(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// oneLine is engine.Terminal for a name shown within a line (the file in the progress line,
// which writes to the terminal itself): newlines shown as \x0a too.
func oneLine(s string) string { return engine.Printable(privacy.MaskText(s)) }

// maskAll masks every 身份证号 and 手机号 in every string reachable from v (a pointer): fields,
// elements, map keys and values. For `jifen check --json`, whose strings must be masked before
// they are encoded: an encoded string's escapes (\n, \u001b) run into the number after them
// and would hide it from masking the encoded text.
func maskAll(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			maskAll(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				maskAll(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			maskAll(v.Index(i))
		}
	case reflect.Map:
		if v.IsNil() || !v.CanSet() {
			return
		}
		m := reflect.MakeMapWithSize(v.Type(), v.Len())
		it := v.MapRange()
		for it.Next() {
			k := reflect.New(v.Type().Key()).Elem()
			k.Set(it.Key())
			x := reflect.New(v.Type().Elem()).Elem()
			x.Set(it.Value())
			maskAll(k)
			maskAll(x)
			m.SetMapIndex(k, x)
		}
		v.Set(m)
	case reflect.String:
		if v.CanSet() {
			v.SetString(privacy.MaskText(v.String()))
		}
	}
}

// jsonSafe escapes, in encoded JSON, the characters encoding/json leaves raw that could act on
// a terminal (C1 controls, DEL, bidi controls) as \uXXXX: the JSON means the same text.
func jsonSafe(b []byte) []byte {
	var out bytes.Buffer
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if engine.Unsafe(r) {
			fmt.Fprintf(&out, `\u%04x`, r)
		} else {
			out.Write(b[:size])
		}
		b = b[size:]
	}
	return out.Bytes()
}
