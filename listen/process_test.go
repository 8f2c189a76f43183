package listen

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Child processes re-execute this test binary into TestHelperProcess,
// which runs the mode named by helperModeEnv and exits.
const (
	helperModeEnv  = "GOHTTPD_LISTEN_HELPER"
	helperAddrsEnv = "GOHTTPD_LISTEN_ADDRS" // Addr.Directive values, ';'-separated
)

// TestHelperProcess is not a test: it is the child side of the tests
// that need a real process.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(helperModeEnv)
	if mode == "" {
		t.Skip("child process helper; runs only when re-executed by another test")
	}
	var err error
	switch mode {
	case "inherit":
		err = helperInherit()
	case "systemd":
		err = helperSystemd()
	default:
		err = fmt.Errorf("unknown helper mode %q", mode)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// helperAddrs reads the addresses the parent put in the environment.
func helperAddrs() ([]Addr, error) {
	var out []Addr
	for _, s := range strings.Split(os.Getenv(helperAddrsEnv), ";") {
		if s == "" {
			continue
		}
		a, err := ParseAddr(s)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// serveOnce accepts one connection on each listener in turn and answers
// "<pid> <directive>\n".
func serveOnce(ls []net.Listener, addrs []Addr) error {
	for i, l := range ls {
		if err := l.(interface{ SetDeadline(time.Time) error }).SetDeadline(time.Now().Add(ioBound)); err != nil {
			return err
		}
		c, err := l.Accept()
		if err != nil {
			return fmt.Errorf("accept on %s: %w", addrs[i], err)
		}
		_, err = fmt.Fprintf(c, "%d %s\n", os.Getpid(), addrs[i].Directive())
		c.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// helperInherit is a child of the fd protocol: sockets at fd 3 onwards.
func helperInherit() error {
	addrs, err := helperAddrs()
	if err != nil {
		return err
	}
	files := make([]*os.File, len(addrs))
	for i := range addrs {
		files[i] = os.NewFile(uintptr(3+i), "listener "+addrs[i].String())
	}
	ls, err := Inherit(files, addrs)
	if err != nil {
		return err
	}
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	fmt.Println("ready")
	return serveOnce(ls, addrs)
}

// child is a running helper process.
type child struct {
	cmd    *exec.Cmd
	out    *bufio.Reader
	stderr *bytes.Buffer
	done   chan error
}

// startHelper starts the helper in mode with extra environment and
// ExtraFiles; wrap, if set, prefixes the command line (a shell, say).
// The process is killed and reaped when the test ends.
func startHelper(t *testing.T, mode string, env []string, files []*os.File, wrap ...string) *child {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*ioBound)
	args := append(append([]string(nil), wrap...), os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Env = append(append(os.Environ(), helperModeEnv+"="+mode), env...)
	cmd.ExtraFiles = files
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	c := &child{cmd: cmd, out: bufio.NewReader(stdout), stderr: new(bytes.Buffer), done: make(chan error, 1)}
	cmd.Stderr = c.stderr
	require.NoError(t, cmd.Start())
	go func() { c.done <- cmd.Wait() }()
	t.Cleanup(func() {
		cancel() // kills the child if it is still running
		<-c.done
	})
	return c
}

// line reads one line of the child's output.
func (c *child) line(t *testing.T) string {
	t.Helper()
	s, err := c.out.ReadString('\n')
	if err != nil {
		werr := <-c.done // stderr is complete once the child is reaped
		c.done <- werr
		t.Fatalf("child output ended (%v, exit: %v); stderr:\n%s", err, werr, c.stderr.String())
	}
	return strings.TrimSuffix(s, "\n")
}

// wait requires the child to exit successfully.
func (c *child) wait(t *testing.T) {
	t.Helper()
	err := <-c.done
	c.done <- err // for the cleanup
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		t.Fatalf("child failed: %v; stderr:\n%s", err, c.stderr.String())
	}
	require.NoError(t, err)
}

// answer reads the child's one-line answer on a connection.
func answer(t *testing.T, c net.Conn) string {
	t.Helper()
	s, err := bufio.NewReader(c).ReadString('\n')
	require.NoError(t, err)
	return strings.TrimSuffix(s, "\n")
}

func directives(addrs []Addr) string {
	ds := make([]string, len(addrs))
	for i, a := range addrs {
		ds[i] = a.Directive()
	}
	return strings.Join(ds, ";")
}
