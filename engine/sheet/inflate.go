package sheet

import (
	"archive/zip"
	"io"

	kflate "github.com/klauspost/compress/flate"
)

// Decompression of the parts of an .xlsx file, pipelined: a goroutine inflates the part
// into a few buffers while the caller scans the previous ones, so that reading a sheet takes
// about as long as the slower of the two, not their sum.

// fastInflate selects github.com/klauspost/compress/flate as the ZIP deflate decompressor
// instead of Go's compress/flate; the benchmarks measure both (BenchmarkInflate*).
var fastInflate = true

// Pipeline sizes: chunkSize bytes per buffer, chunkCount buffers in flight; each buffer has
// headroom bytes before its data, where the scanner puts the unread end of the previous
// buffer (a token cut in two) so that the window is contiguous without copying the chunk.
const (
	chunkSize  = 256 << 10
	chunkCount = 4
	headroom   = 4 << 10
)

func openZip(path string) (*zip.ReadCloser, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	if fastInflate {
		zr.RegisterDecompressor(zip.Deflate, newKlauspostReader)
	}
	return zr, nil
}

func newKlauspostReader(r io.Reader) io.ReadCloser { return kflate.NewReader(r) }

// pipe is a source fed by a goroutine that reads (inflates) a ZIP member.
type pipe struct {
	full chan []byte // buffers holding headroom bytes, then data
	free chan []byte
	quit chan struct{}
	done chan struct{}
	err  error  // set by the goroutine before it closes full
	cur  []byte // the buffer the scanner reads, to give back on the next call
}

// startPipe starts inflating f. Close the pipe when done with it, even after an error.
func startPipe(f *zip.File) (*pipe, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	p := &pipe{
		full: make(chan []byte, chunkCount),
		free: make(chan []byte, chunkCount),
		quit: make(chan struct{}),
		done: make(chan struct{}),
	}
	// A small part gets small buffers (the size in the ZIP header is only a hint).
	size, count := chunkSize, chunkCount
	if u := f.UncompressedSize64; u < chunkSize {
		size, count = max(int(u)+1, 512), 2
	}
	for range count {
		p.free <- make([]byte, headroom+size)
	}
	go p.run(rc)
	return p, nil
}

func (p *pipe) run(rc io.ReadCloser) {
	defer close(p.done)
	defer close(p.full)
	defer rc.Close()
	for {
		var b []byte
		select {
		case b = <-p.free:
		case <-p.quit:
			return
		}
		n, err := readFull(rc, b[headroom:])
		if n > 0 {
			select {
			case p.full <- b[:headroom+n]:
			case <-p.quit:
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				p.err = err
			}
			return
		}
	}
}

// readFull reads into b until it is full or the input ends (io.EOF, with the bytes read).
// Unlike io.ReadFull it does not turn a short last read into io.ErrUnexpectedEOF, which from
// a decompressor means a truncated stream.
func readFull(r io.Reader, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := r.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func (p *pipe) next() ([]byte, error) {
	return p.nextAfter(nil)
}

// nextAfter returns the next chunk preceded by rem (len(rem) <= headroom), which may lie in
// the previous chunk: it is copied before that chunk goes back to the goroutine.
func (p *pipe) nextAfter(rem []byte) ([]byte, error) {
	b, ok := <-p.full
	var win []byte
	if ok {
		start := headroom - len(rem)
		copy(b[start:headroom], rem)
		win = b[start:]
	}
	if p.cur != nil {
		p.free <- p.cur[:cap(p.cur)] // never blocks: free holds every buffer
		p.cur = nil
	}
	if !ok {
		if p.err != nil {
			return nil, p.err
		}
		return nil, io.EOF
	}
	p.cur = b
	return win, nil
}

// close stops the goroutine and waits for it.
func (p *pipe) close() {
	close(p.quit)
	<-p.done
}
