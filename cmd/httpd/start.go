package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"gohttpd/configs"
	"gohttpd/listen"
	"gohttpd/pipeline"
)

// pidFileOf returns the PidFile a configuration names.
func pidFileOf(cfg *configs.Config) string {
	gen, err := pipeline.Build(cfg, 1, nil)
	if err != nil {
		return pipeline.DefaultProcessConfig(cfg.ServerRoot).PidFile
	}
	return configs.ResolvePath(gen.Process.ServerRoot, gen.Process.PidFile)
}

// startDetached is `-k start`: it starts the master in a new session,
// detached from the terminal, and returns once every listener answers, or
// with the master's own error output if it exits first.
func startDetached(o *options, stderr io.Writer) error {
	cfg, err := readConfig(o)
	if err != nil {
		return err
	}
	gen, err := pipeline.Build(cfg, 1, nil)
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding the server binary: %w", err)
	}
	args := withoutCommand(os.Args[1:])
	var out bytes.Buffer
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, args...)
	cmd.Stdout, cmd.Stderr = w, w
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting the master: %w", err)
	}
	w.Close()
	copied := make(chan struct{})
	go func() { io.Copy(&out, r); close(copied) }()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			<-copied
			return fmt.Errorf("the master exited at start-up (%v):\n%s", err, strings.TrimSpace(out.String()))
		case <-time.After(100 * time.Millisecond):
		}
		if allAnswer(gen.Process.Listen) {
			return nil
		}
	}
	return fmt.Errorf("the master (pid %d) started but its listeners %v did not answer within 15s", cmd.Process.Pid, gen.Process.Listen)
}

// withoutCommand drops "-k start" from the arguments.
func withoutCommand(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		switch {
		case args[i] == "-k" && i+1 < len(args):
			i++
		case strings.HasPrefix(args[i], "-k"):
		default:
			out = append(out, args[i])
		}
	}
	return out
}

func allAnswer(listens []string) bool {
	for _, l := range listens {
		a, err := listen.ParseAddr(l)
		if err != nil {
			return false
		}
		host := a.Host
		if host == "" {
			host = "127.0.0.1"
		}
		c, err := net.DialTimeout("tcp", net.JoinHostPort(host, fmt.Sprint(a.Port)), time.Second)
		if err != nil {
			return false
		}
		c.Close()
	}
	return true
}
