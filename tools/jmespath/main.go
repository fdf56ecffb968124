// Command jmespath evaluates one JMESPath expression against JSON documents with
// github.com/jmespath/go-jmespath, the implementation Grafana evaluates
// role_attribute_path with, so tests see what Grafana would see.
//
// Input on stdin: {"expression": "...", "documents": [ {...}, ... ]}.
// Output on stdout: {"results": [ <result or null>, ... ]}; a compile error
// exits 2 with the error on stderr, an evaluation error yields {"error": "..."}
// in that document's place.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/jmespath/go-jmespath"
)

type request struct {
	Expression string        `json:"expression"`
	Documents  []interface{} `json:"documents"`
}

type failure struct {
	Error string `json:"error"`
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "reading the request:", err)
		os.Exit(1)
	}
	compiled, err := jmespath.Compile(req.Expression)
	if err != nil {
		fmt.Fprintln(os.Stderr, "compiling the expression:", err)
		os.Exit(2)
	}
	results := make([]interface{}, 0, len(req.Documents))
	for _, doc := range req.Documents {
		value, err := compiled.Search(doc)
		if err != nil {
			results = append(results, failure{Error: err.Error()})
			continue
		}
		results = append(results, value)
	}
	if err := json.NewEncoder(os.Stdout).Encode(map[string]interface{}{"results": results}); err != nil {
		fmt.Fprintln(os.Stderr, "writing the results:", err)
		os.Exit(1)
	}
}
