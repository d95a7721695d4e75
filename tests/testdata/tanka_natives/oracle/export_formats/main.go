// Command export_formats remakes ../../export_formats.json: `export` file name templates
// rendered by Go's text/template over a few manifests, with `env` registered as a function
// returning the environment object, as Tanka's `export` registers it. It reads the current
// file for its docs, env and templates (in order) and writes it anew; `ok` is null where Go
// fails to parse or execute a template. Written for gwsonnet (no Tanka code is copied).
//
//	cd tests/testdata/tanka_natives &&
//	GO111MODULE=off go run oracle/export_formats/main.go < export_formats.json > new.json &&
//	mv new.json export_formats.json
package main

import (
	"encoding/json"
	"os"
	"strings"
	"text/template"
)

type result struct {
	Template string  `json:"template"`
	Doc      int     `json:"doc"`
	Ok       *string `json:"ok"`
}

type file struct {
	Docs    []map[string]interface{} `json:"docs"`
	Env     map[string]interface{}   `json:"env"`
	Results []result                 `json:"results"`
}

func render(text string, env, doc map[string]interface{}) *string {
	funcs := template.FuncMap{"env": func() map[string]interface{} { return env }}
	t, err := template.New("").Funcs(funcs).Parse(text)
	if err != nil {
		return nil
	}
	var b strings.Builder
	if err := t.Execute(&b, doc); err != nil {
		return nil
	}
	s := b.String()
	return &s
}

func main() {
	var in file
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		panic(err)
	}
	var templates []string
	seen := map[string]bool{}
	for _, r := range in.Results {
		if !seen[r.Template] {
			seen[r.Template] = true
			templates = append(templates, r.Template)
		}
	}
	out := file{Docs: in.Docs, Env: in.Env}
	for _, t := range templates {
		for i, doc := range in.Docs {
			out.Results = append(out.Results, result{Template: t, Doc: i, Ok: render(t, in.Env, doc)})
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		panic(err)
	}
}
