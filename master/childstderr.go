package master

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"gohttpd/child"
)

// childStderr returns the write end of the pipe children use as their
// standard error. The master copies it to its own, line by line, leaving
// out the runtime's scheduler-trace lines that child.RuntimeEnv asks for
// (see child.IsSchedTrace); panics and anything else children write pass
// unchanged.
func (m *Master) childStderr() (*os.File, error) {
	if m.childErr != nil {
		return m.childErr, nil
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("creating the children's stderr pipe: %w", err)
	}
	go copyChildStderr(r, os.Stderr)
	m.childErr = w
	return w, nil
}

func copyChildStderr(r io.ReadCloser, out io.Writer) {
	defer r.Close()
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 && !child.IsSchedTrace(line) {
			_, _ = out.Write(line)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return
		}
	}
}
