package logconfig

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// bufferSize is how much BufferedLogs gathers per log and process before
// writing: PIPE_BUF, the most a pipe takes in one atomic write (Apache's
// LOG_BUFSIZE).
const bufferSize = 4096

// flushInterval bounds how long a buffered line may wait in a quiet
// process.
const flushInterval = time.Second

// logWriter writes lines to one open log. Unbuffered, each line is one
// write(2), which O_APPEND files and pipes (for lines up to PIPE_BUF)
// never interleave with other writers'. Buffered, lines gather in buf.
type logWriter struct {
	target string
	f      *os.File
	owned  bool // opened by this process (the fallback), closed by close

	mu       sync.Mutex // guards buf
	buffered bool
	buf      []byte
	failing  atomic.Bool // the last write failed; reported once until one succeeds
}

func newLogWriter(target string, f *os.File, owned, buffered bool) *logWriter {
	w := &logWriter{target: target, f: f, owned: owned, buffered: buffered}
	if buffered {
		w.buf = make([]byte, 0, bufferSize)
	}
	return w
}

// write writes (or, buffered, gathers) one complete line.
func (w *logWriter) write(line []byte) error {
	if !w.buffered {
		return w.report(w.writeOut(line))
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	var err error
	if len(w.buf)+len(line) > bufferSize {
		err = w.flushLocked()
	}
	if len(line) >= bufferSize {
		if e := w.writeOut(line); err == nil {
			err = e
		}
	} else {
		w.buf = append(w.buf, line...)
	}
	return w.report(err)
}

// flush writes what is buffered.
func (w *logWriter) flush() error {
	if !w.buffered {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.report(w.flushLocked())
}

func (w *logWriter) flushLocked() error {
	if len(w.buf) == 0 {
		return nil
	}
	err := w.writeOut(w.buf)
	w.buf = w.buf[:0]
	return err
}

func (w *logWriter) writeOut(p []byte) error {
	if _, err := w.f.Write(p); err != nil {
		return fmt.Errorf("error writing to %s: %w", w.target, err)
	}
	return nil
}

// report returns err the first time writes start failing, and nil while
// they go on failing, so that a full disk or a dead pipe is one error-log
// line rather than one per request.
func (w *logWriter) report(err error) error {
	if err == nil {
		if w.failing.Load() {
			w.failing.Store(false)
		}
		return nil
	}
	if w.failing.Swap(true) {
		return nil
	}
	return err
}

// close flushes and closes a file this process opened itself.
func (w *logWriter) close() error {
	err := w.flush()
	if w.owned {
		if e := w.f.Close(); err == nil {
			err = e
		}
	}
	return err
}

// openLogFile opens a log file for appending, creating it as Apache does
// (mode 0666 less the umask).
func openLogFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
	if err != nil {
		return nil, err
	}
	return f, nil
}
