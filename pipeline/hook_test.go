package pipeline

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder builds hook functions that log their name and return a result.
type recorder struct{ ran []string }

func (rec *recorder) fn(name string, res Result) func() Result {
	return func() Result {
		rec.ran = append(rec.ran, name)
		return res
	}
}

func run(h *Hook[func() Result]) Result {
	return h.Run(func(f func() Result) Result { return f() })
}

func modulesOf(h *Hook[func() Result]) []string {
	var out []string
	for _, f := range h.Describe().Functions {
		out = append(out, f.Module)
	}
	return out
}

func TestRunFirstStopsAtFirstNonDeclined(t *testing.T) {
	rec := &recorder{}
	h := NewHook[func() Result]("handler", RunFirst)
	h.Register("a", rec.fn("a", Declined), Middle)
	h.Register("b", rec.fn("b", OK), Middle)
	h.Register("c", rec.fn("c", OK), Middle)
	assert.Equal(t, OK, run(h))
	assert.Equal(t, []string{"a", "b"}, rec.ran)

	rec.ran = nil
	h2 := NewHook[func() Result]("handler", RunFirst)
	h2.Register("a", rec.fn("a", Declined), Middle)
	h2.Register("b", rec.fn("b", 404), Middle)
	h2.Register("c", rec.fn("c", OK), Middle)
	assert.Equal(t, Result(404), run(h2), "an HTTP status stops a RUN_FIRST hook too")
	assert.Equal(t, []string{"a", "b"}, rec.ran)

	rec.ran = nil
	h3 := NewHook[func() Result]("handler", RunFirst)
	h3.Register("a", rec.fn("a", Declined), Middle)
	h3.Register("b", rec.fn("b", Declined), Middle)
	assert.Equal(t, Declined, run(h3), "all declined")
	assert.Equal(t, []string{"a", "b"}, rec.ran)
}

func TestRunAllStopsAtFirstErrorAndReturnsIt(t *testing.T) {
	rec := &recorder{}
	h := NewHook[func() Result]("fixups", RunAll)
	h.Register("a", rec.fn("a", OK), Middle)
	h.Register("b", rec.fn("b", Declined), Middle)
	h.Register("c", rec.fn("c", 403), Middle)
	h.Register("d", rec.fn("d", OK), Middle)
	assert.Equal(t, Result(403), run(h))
	assert.Equal(t, []string{"a", "b", "c"}, rec.ran)

	rec.ran = nil
	h2 := NewHook[func() Result]("fixups", RunAll)
	h2.Register("a", rec.fn("a", OK), Middle)
	h2.Register("b", rec.fn("b", Done), Middle)
	h2.Register("c", rec.fn("c", OK), Middle)
	assert.Equal(t, Done, run(h2), "DONE stops a RUN_ALL hook")
	assert.Equal(t, []string{"a", "b"}, rec.ran)

	rec.ran = nil
	h3 := NewHook[func() Result]("fixups", RunAll)
	h3.Register("a", rec.fn("a", Declined), Middle)
	h3.Register("b", rec.fn("b", OK), Middle)
	assert.Equal(t, OK, run(h3))
	assert.Equal(t, []string{"a", "b"}, rec.ran)
}

func TestVoidRunsAll(t *testing.T) {
	rec := &recorder{}
	h := NewHook[func() Result]("child_init", Void)
	h.Register("a", rec.fn("a", 500), Middle)
	h.Register("b", rec.fn("b", Done), Middle)
	h.Register("c", rec.fn("c", Declined), Middle)
	assert.Equal(t, OK, run(h))
	assert.Equal(t, []string{"a", "b", "c"}, rec.ran)
}

func TestOrderConstants(t *testing.T) {
	assert.Equal(t, Order(-10), ReallyFirst)
	assert.Equal(t, Order(0), First)
	assert.Equal(t, Order(10), Middle)
	assert.Equal(t, Order(20), Last)
	assert.Equal(t, Order(30), ReallyLast)

	h := NewHook[func() Result]("x", Void)
	h.Register("last", nil, Last)
	h.Register("reallylast", nil, ReallyLast)
	h.Register("middle", nil, Middle)
	h.Register("first", nil, First)
	h.Register("reallyfirst", nil, ReallyFirst)
	h.Register("custom", nil, Order(15))
	require.NoError(t, h.Sort(nil, nil))
	assert.Equal(t, []string{"reallyfirst", "first", "middle", "custom", "last", "reallylast"}, modulesOf(h))
}

func TestTiesKeepRegistrationOrder(t *testing.T) {
	h := NewHook[func() Result]("x", Void)
	for _, m := range []string{"e", "b", "d", "a", "c"} {
		h.Register(m, nil, Middle)
	}
	require.NoError(t, h.Sort(nil, nil))
	assert.Equal(t, []string{"e", "b", "d", "a", "c"}, modulesOf(h))
	// Sorting again is stable.
	require.NoError(t, h.Sort(nil, nil))
	assert.Equal(t, []string{"e", "b", "d", "a", "c"}, modulesOf(h))
}

func TestPredecessorsAndSuccessors(t *testing.T) {
	h := NewHook[func() Result]("translate_name", RunFirst)
	h.Register("alias", nil, Middle)
	h.Register("rewrite", nil, Middle, Before("alias"))
	h.Register("userdir", nil, Middle, After("alias"))
	h.Register("core", nil, ReallyLast)
	h.Register("proxy", nil, First)
	// vhost must come after proxy and before core though they differ in order.
	h.Register("vhost", nil, Last, After("userdir"), Before("mod_core.c"))
	require.NoError(t, h.Sort(nil, nil))
	assert.Equal(t, []string{"proxy", "rewrite", "alias", "userdir", "vhost", "core"}, modulesOf(h))

	info := h.Describe().Functions
	assert.Equal(t, []string{"alias"}, info[1].Successors)
	assert.Equal(t, []string{"alias"}, info[3].Predecessors)
	assert.Equal(t, []string{"core"}, info[4].Successors, "mod_core.c is canonicalised")
}

func TestConstraintOverridesOrder(t *testing.T) {
	h := NewHook[func() Result]("x", RunAll)
	h.Register("early", nil, ReallyFirst, After("late"))
	h.Register("late", nil, ReallyLast)
	require.NoError(t, h.Sort(nil, nil))
	assert.Equal(t, []string{"late", "early"}, modulesOf(h))
}

func TestUnknownModuleInConstraintIsIgnoredAndReported(t *testing.T) {
	h := NewHook[func() Result]("x", RunAll)
	h.Register("a", nil, Middle, After("ghost"))
	h.Register("b", nil, First)
	var reported []string
	loaded := func(m string) bool { return m == "a" || m == "b" }
	require.NoError(t, h.Sort(loaded, func(hook, module, missing string) {
		reported = append(reported, hook+":"+module+":"+missing)
	}))
	assert.Equal(t, []string{"b", "a"}, modulesOf(h))
	assert.Equal(t, []string{"x:a:ghost"}, reported)
}

func TestCycleIsAnErrorNamingItsMembers(t *testing.T) {
	h := NewHook[func() Result]("fixups", RunAll)
	h.Register("bystander", nil, First)
	h.Register("a", nil, Middle, After("c"))
	h.Register("b", nil, Middle, After("a"))
	h.Register("c", nil, Middle, After("b"))
	err := h.Sort(nil, nil)
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, "fixups")
	assert.Contains(t, msg, "cycle")
	for _, m := range []string{"a", "b", "c"} {
		assert.Contains(t, msg, m)
	}
	assert.NotContains(t, msg, "bystander")
}

func TestRunOrderFollowsSort(t *testing.T) {
	rec := &recorder{}
	h := NewHook[func() Result]("x", Void)
	h.Register("z", rec.fn("z", OK), Last)
	h.Register("y", rec.fn("y", OK), First)
	require.NoError(t, h.Sort(nil, nil))
	run(h)
	assert.Equal(t, []string{"y", "z"}, rec.ran)
	assert.Len(t, h.Functions(), 2)
}

func TestDescribeNamesFunctions(t *testing.T) {
	h := NewHook[func() Result]("x", Void)
	h.Register("m", describeNamesFunctionsHelper, Middle)
	d := h.Describe()
	assert.Equal(t, "x", d.Name)
	assert.Equal(t, Void, d.Kind)
	require.Len(t, d.Functions, 1)
	assert.Contains(t, d.Functions[0].Func, "describeNamesFunctionsHelper")
}

func describeNamesFunctionsHelper() Result { return OK }

func TestOptionalFunctions(t *testing.T) {
	o := NewOptionals()
	_, ok, err := RetrieveOptional[func(string) string](o, "ssl_var_lookup")
	assert.False(t, ok, "absent before publishing")
	assert.NoError(t, err)

	PublishOptional(o, "ssl_var_lookup", func(s string) string { return "v:" + s })
	fn, ok, err := RetrieveOptional[func(string) string](o, "ssl_var_lookup")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "v:x", fn("x"))

	_, ok, err = RetrieveOptional[func() int](o, "ssl_var_lookup")
	assert.False(t, ok)
	assert.Error(t, err, "a type mismatch is reported")
	assert.Contains(t, o.OptionalNames(), "ssl_var_lookup")
}

func TestHooksDeclaresEveryHook(t *testing.T) {
	h := NewHooks()
	var names []string
	for _, d := range h.Describe() {
		names = append(names, d.Name)
	}
	want := []string{
		"child_init", "child_exit", "create_connection", "pre_connection", "process_connection",
		"create_request", "post_read_request", "quick_handler", "translate_name",
		"map_to_storage", "header_parser", "access_checker", "access_checker_ex", "force_authn", "check_user_id",
		"auth_checker", "type_checker", "fixups", "insert_filter", "handler",
		"insert_error_filter", "log_transaction",
		"pre_config", "check_config", "test_config", "open_logs", "post_config",
		"pre_mpm", "monitor", "child_status", "error_log", "default_port", "http_scheme",
	}
	assert.Equal(t, want, names)
	kinds := map[string]Kind{}
	for _, d := range h.Describe() {
		kinds[d.Name] = d.Kind
	}
	assert.Equal(t, RunFirst, kinds["process_connection"])
	assert.Equal(t, RunAll, kinds["post_read_request"])
	assert.Equal(t, RunFirst, kinds["translate_name"])
	assert.Equal(t, RunAll, kinds["access_checker"])
	assert.Equal(t, Void, kinds["insert_filter"])
	assert.Equal(t, RunAll, kinds["log_transaction"])
}

func TestResultString(t *testing.T) {
	assert.Equal(t, "OK", OK.String())
	assert.Equal(t, "DECLINED", Declined.String())
	assert.Equal(t, "DONE", Done.String())
	assert.Equal(t, "404", Result(404).String())
	assert.True(t, Result(404).IsHTTPStatus())
	assert.False(t, Declined.IsHTTPStatus())
}

func BenchmarkRunFirstRequestHook(b *testing.B) {
	h := NewHook[RequestFunc]("translate_name", RunFirst)
	for _, m := range []string{"a", "b", "c", "d"} {
		h.Register(m, func(*Request) Result { return Declined }, Middle)
	}
	h.Register("core", func(*Request) Result { return OK }, ReallyLast)
	r := &Request{}
	b.ReportAllocs()
	for b.Loop() {
		h.Run(func(f RequestFunc) Result { return f(r) })
	}
}
