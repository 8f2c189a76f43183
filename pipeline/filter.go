package pipeline

import (
	"errors"
	"fmt"
	"strings"
	"sync"
)

// FilterType orders filters in a chain: a filter runs before every filter
// of a higher type. The values are Apache's AP_FTYPE_* constants.
type FilterType int

const (
	// FilterResource filters change the content itself (includes).
	FilterResource FilterType = 10
	// FilterContent filters transform the whole content (compression,
	// sub-request output).
	FilterContent FilterType = 20
	// FilterProtocol filters speak the protocol: response head, chunking,
	// byte ranges, request body framing.
	FilterProtocol FilterType = 30
	// FilterTranscode filters change the transfer encoding.
	FilterTranscode FilterType = 40
	// FilterConnection filters act on the connection's bytes (TLS).
	FilterConnection FilterType = 50
	// FilterNetwork filters read and write the socket.
	FilterNetwork FilterType = 60
)

// String returns Apache's name for the type.
func (t FilterType) String() string {
	switch t {
	case FilterResource:
		return "RESOURCE"
	case FilterContent:
		return "CONTENT_SET"
	case FilterProtocol:
		return "PROTOCOL"
	case FilterTranscode:
		return "TRANSCODE"
	case FilterConnection:
		return "CONNECTION"
	case FilterNetwork:
		return "NETWORK"
	}
	return fmt.Sprintf("FilterType(%d)", int(t))
}

// OutputFilterFunc processes one brigade of a response and passes the
// result on with f.Next.Pass. It may pass several brigades, or none (when
// it holds data back until a later call); it must pass EOS on once it has
// seen it.
type OutputFilterFunc func(f *Filter, bb *Brigade) error

// InputFilterFunc fills p with data for the filter above it, reading what
// it needs from f.Next with f.Next.Read; it follows io.Reader's contract.
type InputFilterFunc func(f *Filter, p []byte) (int, error)

// FilterReg is a registered filter: a name modules insert it by, its type
// and its function (Apache's ap_filter_rec_t).
type FilterReg struct {
	Name   string
	Module string
	Type   FilterType
	Output OutputFilterFunc // set for output filters
	Input  InputFilterFunc  // set for input filters
}

// Filter is one filter in one chain (Apache's ap_filter_t): a registered
// filter with its per-instance context, the request (nil for connection
// filters) and the connection it serves, and the next filter toward the
// network.
type Filter struct {
	Reg  *FilterReg
	Ctx  any
	Req  *Request
	Conn *Conn
	Next *Filter
}

// ErrEndOfChain is returned by passing to, or reading from, a nil filter.
var ErrEndOfChain = errors.New("filter chain ends without a network filter")

// ErrFilterHandled is returned by an output filter that has answered the
// request itself (with an error response): the caller must stop sending
// and must not answer again (Apache's AP_FILTER_ERROR).
var ErrFilterHandled = errors.New("response already answered by a filter")

// Pass runs output filter f on bb. Filters call f.Next.Pass(bb) to hand
// their output on.
func (f *Filter) Pass(bb *Brigade) error {
	if f == nil {
		return ErrEndOfChain
	}
	return f.Reg.Output(f, bb)
}

// Read runs input filter f: it reads what the filters up to f produce.
func (f *Filter) Read(p []byte) (int, error) {
	if f == nil {
		return 0, ErrEndOfChain
	}
	return f.Reg.Input(f, p)
}

// Filters is the filter registry of one generation: modules register
// filters by name from RegisterHooks; requests and connections insert them
// by name. Names are case-insensitive, as in Apache. Input and output
// filters have separate name spaces.
type Filters struct {
	mu  sync.RWMutex
	out map[string]*FilterReg
	in  map[string]*FilterReg
}

// NewFilters returns an empty registry.
func NewFilters() *Filters {
	return &Filters{out: map[string]*FilterReg{}, in: map[string]*FilterReg{}}
}

// RegisterOutput registers an output filter and returns its record, which
// may be used to insert it without a name lookup. A later registration
// under the same name replaces the earlier one.
func (fs *Filters) RegisterOutput(module, name string, typ FilterType, fn OutputFilterFunc) *FilterReg {
	reg := &FilterReg{Name: name, Module: CanonicalModuleName(module), Type: typ, Output: fn}
	fs.mu.Lock()
	fs.out[strings.ToLower(name)] = reg
	fs.mu.Unlock()
	return reg
}

// RegisterInput registers an input filter and returns its record.
func (fs *Filters) RegisterInput(module, name string, typ FilterType, fn InputFilterFunc) *FilterReg {
	reg := &FilterReg{Name: name, Module: CanonicalModuleName(module), Type: typ, Input: fn}
	fs.mu.Lock()
	fs.in[strings.ToLower(name)] = reg
	fs.mu.Unlock()
	return reg
}

// Output returns the output filter registered under name.
func (fs *Filters) Output(name string) (*FilterReg, bool) {
	fs.mu.RLock()
	defer fs.mu.RUnlock()
	reg, ok := fs.out[strings.ToLower(name)]
	return reg, ok
}

// Input returns the input filter registered under name.
func (fs *Filters) Input(name string) (*FilterReg, bool) {
	fs.mu.RLock()
	defer fs.mu.RUnlock()
	reg, ok := fs.in[strings.ToLower(name)]
	return reg, ok
}

// Filters returns the generation's filter registry: modules register
// their filters on it from RegisterHooks.
func (h *Hooks) Filters() *Filters { return h.filters }

// Filters returns the generation's filter registry.
func (g *Generation) Filters() *Filters { return g.Hooks.Filters() }

func (c *Conn) filters() (*Filters, error) {
	if c.Gen == nil {
		return nil, errors.New("connection has no generation")
	}
	return c.Gen.Filters(), nil
}

// insertBefore reports whether filter f belongs before filter at in a
// chain: at ends the chain, has a higher type, or serves another request.
func insertBefore(f, at *Filter) bool {
	return at == nil || at.Reg.Type > f.Reg.Type || at.Req != f.Req
}

// insertFilter puts f into the chain starting at *head after every filter
// of its request with a type not above its own (Apache's rule: filters of
// equal type run in insertion order).
func insertFilter(head **Filter, f *Filter) {
	if insertBefore(f, *head) {
		f.Next = *head
		*head = f
		return
	}
	cur := *head
	for !insertBefore(f, cur.Next) {
		cur = cur.Next
	}
	f.Next = cur.Next
	cur.Next = f
}

// removeFilter unlinks f from the chain starting at *head.
func removeFilter(head **Filter, f *Filter) bool {
	for p := head; *p != nil; p = &(*p).Next {
		if *p == f {
			*p = f.Next
			return true
		}
	}
	return false
}

// AddOutputFilter inserts the output filter registered under name into
// the connection's chain (connection and network filters).
func (c *Conn) AddOutputFilter(name string, ctx any) (*Filter, error) {
	fs, err := c.filters()
	if err != nil {
		return nil, err
	}
	reg, ok := fs.Output(name)
	if !ok {
		return nil, fmt.Errorf("no output filter named %q is registered", name)
	}
	return c.AddOutputFilterReg(reg, ctx), nil
}

// AddOutputFilterReg inserts reg into the connection's output chain.
func (c *Conn) AddOutputFilterReg(reg *FilterReg, ctx any) *Filter {
	f := &Filter{Reg: reg, Ctx: ctx, Conn: c}
	insertFilter(&c.outputFilters, f)
	return f
}

// AddInputFilter inserts the input filter registered under name into the
// connection's input chain.
func (c *Conn) AddInputFilter(name string, ctx any) (*Filter, error) {
	fs, err := c.filters()
	if err != nil {
		return nil, err
	}
	reg, ok := fs.Input(name)
	if !ok {
		return nil, fmt.Errorf("no input filter named %q is registered", name)
	}
	return c.AddInputFilterReg(reg, ctx), nil
}

// AddInputFilterReg inserts reg into the connection's input chain.
func (c *Conn) AddInputFilterReg(reg *FilterReg, ctx any) *Filter {
	f := &Filter{Reg: reg, Ctx: ctx, Conn: c}
	insertFilter(&c.inputFilters, f)
	return f
}

// OutputFilters returns the first filter of the connection's output chain.
func (c *Conn) OutputFilters() *Filter { return c.outputFilters }

// InputFilters returns the top of the connection's input chain: reading
// from it reads the connection's bytes.
func (c *Conn) InputFilters() *Filter { return c.inputFilters }

// AddOutputFilter inserts the output filter registered under name for this
// request (Apache's ap_add_output_filter). Filters of connection type or
// above go to the connection's chain.
func (r *Request) AddOutputFilter(name string, ctx any) (*Filter, error) {
	fs, err := r.Conn.filters()
	if err != nil {
		return nil, err
	}
	reg, ok := fs.Output(name)
	if !ok {
		return nil, fmt.Errorf("no output filter named %q is registered", name)
	}
	return r.AddOutputFilterReg(reg, ctx), nil
}

// AddOutputFilterReg inserts reg for this request.
func (r *Request) AddOutputFilterReg(reg *FilterReg, ctx any) *Filter {
	if reg.Type >= FilterConnection {
		return r.Conn.AddOutputFilterReg(reg, ctx)
	}
	f := r.newFilter(reg, ctx)
	insertFilter(&r.outputFilters, f)
	r.protoOutputFilters = firstProtocol(r.outputFilters, r)
	return f
}

// RemoveOutputFilter takes f out of the request's chain.
func (r *Request) RemoveOutputFilter(f *Filter) {
	if removeFilter(&r.outputFilters, f) {
		r.protoOutputFilters = firstProtocol(r.outputFilters, r)
	}
}

// AddInputFilter inserts the input filter registered under name for this
// request (ap_add_input_filter).
func (r *Request) AddInputFilter(name string, ctx any) (*Filter, error) {
	fs, err := r.Conn.filters()
	if err != nil {
		return nil, err
	}
	reg, ok := fs.Input(name)
	if !ok {
		return nil, fmt.Errorf("no input filter named %q is registered", name)
	}
	return r.AddInputFilterReg(reg, ctx), nil
}

// AddInputFilterReg inserts reg for this request.
func (r *Request) AddInputFilterReg(reg *FilterReg, ctx any) *Filter {
	if reg.Type >= FilterConnection {
		return r.Conn.AddInputFilterReg(reg, ctx)
	}
	f := r.newFilter(reg, ctx)
	insertFilter(&r.inputFilters, f)
	r.protoInputFilters = firstProtocol(r.inputFilters, r)
	return f
}

// OutputFilters returns the first filter of the request's output chain.
func (r *Request) OutputFilters() *Filter { return r.outputFilters }

// ProtoOutputFilters returns the first protocol-or-lower filter of the
// request's output chain (where error responses start).
func (r *Request) ProtoOutputFilters() *Filter { return r.protoOutputFilters }

// Body returns the request body as the request's input filters deliver it
// (de-chunked, limited by LimitRequestBody). Reading it the first time may
// send "100 Continue".
func (r *Request) Body() *Filter { return r.inputFilters }

// firstProtocol returns the first filter in chain from head that is not a
// content filter of r.
func firstProtocol(head *Filter, r *Request) *Filter {
	for f := head; f != nil; f = f.Next {
		if f.Reg.Type >= FilterProtocol || f.Req != r {
			return f
		}
	}
	return nil
}

// setFilterRequest makes the request-level filters from head on (until a
// connection filter) serve r instead of old (Apache's update_r_in_filters).
func setFilterRequest(head *Filter, old, r *Request) {
	for f := head; f != nil; f = f.Next {
		if f.Req == old {
			f.Req = r
		}
	}
}
