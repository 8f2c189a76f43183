package h1

// Exports for the end-to-end test (package h1_test), which serves the
// same raw requests through the whole server and so cannot live in
// package h1 (modules/http imports it).

// Case is one raw request of the Apache table.
type Case struct{ Name, Raw string }

// ApacheCases returns the raw requests of the Apache table.
func ApacheCases() []Case {
	out := make([]Case, len(apacheCases))
	for i, c := range apacheCases {
		out[i] = Case{Name: c.name, Raw: c.raw}
	}
	return out
}

// SendRaw is the recorder's client: statuses of the responses to raw.
var SendRaw = sendRaw

// RecordedFile is where Apache's answers are kept.
const RecordedFile = recordedFile
