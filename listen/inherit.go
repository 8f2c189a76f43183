package listen

import (
	"errors"
	"fmt"
	"net"
	"os"
)

// Inherit turns the listening sockets a child received from the master
// (through exec.Cmd.ExtraFiles, in the master's Set.Files order) into Go
// listeners; addrs[i] is the Listen address of files[i] (Set.Addrs).
//
// Each socket's local port is checked against its address, which catches
// a child and master that disagree about the fd layout. Inherit owns the
// files: it closes them (the listeners hold duplicates of the same
// sockets) and, on error, closes every listener it made.
//
// The returned listeners share their kernel sockets with the master and
// every other child: see the package documentation for how accept works.
func Inherit(files []*os.File, addrs []Addr) ([]net.Listener, error) {
	return inheritAll(files, addrs, func(f *os.File, _ int, _ Addr) (net.Listener, error) {
		l, err := net.FileListener(f)
		if err != nil {
			return nil, err
		}
		if _, ok := l.(*net.TCPListener); !ok {
			l.Close()
			return nil, errors.New("not a TCP listener")
		}
		return l, nil
	})
}

// inheritAll checks each inherited socket against its address and makes a
// listener of it with listener; it owns the files as Inherit does.
func inheritAll(files []*os.File, addrs []Addr, listener func(f *os.File, fd int, local Addr) (net.Listener, error)) ([]net.Listener, error) {
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	if len(files) != len(addrs) {
		return nil, fmt.Errorf("inherited %d listening sockets for %d Listen addresses: the master and child disagree about the fd layout", len(files), len(addrs))
	}
	out := make([]net.Listener, 0, len(files))
	for i, f := range files {
		l, err := inheritOne(f, addrs[i], listener)
		if err != nil {
			for _, l := range out {
				l.Close()
			}
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

func inheritOne(f *os.File, a Addr, listener func(f *os.File, fd int, local Addr) (net.Listener, error)) (net.Listener, error) {
	var local Addr
	fd := -1
	err := withFD(f, func(sock int) error {
		var err error
		local, err = sockAddr(sock)
		fd = sock
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("inherited socket %s for Listen %s: %w", f.Name(), a, err)
	}
	if local.Port != a.Port {
		return nil, fmt.Errorf("inherited socket %s is bound to %s, not Listen %s: the master and child disagree about the fd layout", f.Name(), local, a)
	}
	l, err := listener(f, fd, local)
	if err != nil {
		return nil, fmt.Errorf("inherited socket for Listen %s: %w", a, err)
	}
	return l, nil
}
