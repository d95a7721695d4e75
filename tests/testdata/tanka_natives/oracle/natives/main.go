// Command oracle prints, from ../inputs.json, for every input of each Tanka native, the
// same standard-library and yaml.v3 calls as grafana/tanka's pkg/jsonnet/native/funcs.go
// make, and their result or error text. Written for gwsonnet from the description of
// those natives (no Tanka code is copied). It made ../expected.json until that file was
// made by a real `tk` (../oracle/tk_eval.py); with Debian's Go 1.19 it differs from
// `tk` where Go 1.20's `time.Parse` changed (see ../PROVENANCE).
//
//	cd tests/testdata/tanka_natives &&
//	GO111MODULE=off GOPATH=/tmp/go:/usr/share/gocode go run oracle/natives/main.go < inputs.json | diff - expected.json
//
// Needs golang-go and golang-gopkg-yaml.v3-dev (3.0.1, the yaml.v3 Tanka pins).
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// result is one call's outcome, as the test reads it.
type result struct {
	Ok    interface{} `json:"ok,omitempty"`
	Error string      `json:"error,omitempty"`
	IsOk  bool        `json:"isOk"`
}

func outcome(v interface{}, err error) result {
	if err != nil {
		return result{Error: err.Error()}
	}
	return result{Ok: v, IsOk: true}
}

func parseJSON(data string) (interface{}, error) {
	var v interface{}
	err := json.Unmarshal([]byte(data), &v)
	return v, err
}

func parseYAML(data string) (interface{}, error) {
	docs := []interface{}{}
	d := yaml.NewDecoder(strings.NewReader(data))
	for {
		var doc, jsonDoc interface{}
		if err := d.Decode(&doc); err != nil {
			if err == io.EOF {
				break
			}
			return nil, fmt.Errorf("parsing yaml: %w", err)
		}
		raw, err := json.Marshal(doc)
		if err != nil {
			return nil, fmt.Errorf("converting yaml to json: %w", err)
		}
		if err := json.Unmarshal(raw, &jsonDoc); err != nil {
			return nil, fmt.Errorf("converting yaml to json: %w", err)
		}
		docs = append(docs, jsonDoc)
	}
	return docs, nil
}

func manifestJSONFromJSON(data string, indent float64) (interface{}, error) {
	var buf bytes.Buffer
	trimmed := bytes.TrimSpace([]byte(data))
	if err := json.Indent(&buf, trimmed, "", strings.Repeat(" ", int(indent))); err != nil {
		return nil, err
	}
	buf.WriteString("\n")
	return buf.String(), nil
}

func manifestYAMLFromJSON(data string) (interface{}, error) {
	var input interface{}
	if err := json.Unmarshal([]byte(data), &input); err != nil {
		return nil, err
	}
	out, err := yaml.Marshal(input)
	return string(out), err
}

func regexSubst(pattern, src, repl string) (interface{}, error) {
	r, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	return r.ReplaceAllString(src, repl), nil
}

func main() {
	var inputs map[string][]json.RawMessage
	if err := json.NewDecoder(os.Stdin).Decode(&inputs); err != nil {
		panic(err)
	}
	out := map[string][]result{}
	for name, calls := range inputs {
		for _, raw := range calls {
			var one string
			var args []interface{}
			if err := json.Unmarshal(raw, &args); err != nil {
				if err := json.Unmarshal(raw, &one); err != nil {
					panic(fmt.Sprintf("%s: %s", name, raw))
				}
			}
			str := func(i int) string { return args[i].(string) }
			var r result
			switch name {
			case "parseJson":
				r = outcome(parseJSON(one))
			case "parseYaml":
				r = outcome(parseYAML(one))
			case "manifestJsonFromJson":
				r = outcome(manifestJSONFromJSON(str(0), args[1].(float64)))
			case "manifestYamlFromJson":
				r = outcome(manifestYAMLFromJSON(one))
			case "escapeStringRegex":
				r = outcome(regexp.QuoteMeta(one), nil)
			case "regexMatch", "regexMatchErrors":
				r = outcome(regexp.MatchString(str(0), str(1)))
			case "regexSubst":
				r = outcome(regexSubst(str(0), str(1), str(2)))
			case "sha256":
				sum := sha256.Sum256([]byte(one))
				r = outcome(hex.EncodeToString(sum[:]), nil)
			default:
				panic("unknown native " + name)
			}
			out[name] = append(out[name], r)
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		panic(err)
	}
}
