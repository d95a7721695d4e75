// Command oracle prints, for gwsonnet's gocompat goldens, what Go itself does with a
// fixed list of inputs: strconv/fmt float formatting, encoding/json floats, path.Clean
// and path.Join, RE2 matching and math.Exp, one JSON object per line. Its output is
// tests/testdata/gocompat/golden.jsonl, read by the tests of src/gocompat/:
//
//	GO111MODULE=off go run tests/testdata/gocompat/oracle/main.go > tests/testdata/gocompat/golden.jsonl
package main

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"path"
	"regexp"
	"strconv"
)

var floats = []float64{
	0, math.Copysign(0, -1), 1, -1, 0.5, 1.5, 100, 123456, 999999, 1000000, 1000000.5,
	1234567, 1e20, 1e21, 1.2345678901234567e19, 1e100, 1e-4, 1e-5, 1.5e-5, 0.0001234,
	1e-7, 1e-300, 5e-324, math.MaxFloat64, 3.141592653589793, 0.1, 0.2 + 0.1, 1e15,
	123456789012345680, -2.5e-8, 2e6, 12345678, math.Inf(1), math.Inf(-1), math.NaN(),
}

var paths = []string{
	"", ".", "..", "/", "//", "a", "a/", "a/b", "a//b", "./a", "a/./b", "a/../b", "a/..",
	"../a", "../../a/b", "/..", "/../a", "/a/../../b", "a/b/../../..", "a/b/c/../../d/",
	"/a/./b/.", "abc/def/../../../ghi",
}

var joins = [][2]string{
	{"a", "b"}, {"a/", "b"}, {"", "b"}, {"a", ""}, {"/", "b"}, {"a/b", "../c"},
	{"a", "../../b"}, {"/a", "../../b"}, {".", "b"}, {"a", "/b"},
}

var regexes = [][2]string{
	{`\d`, "7"}, {`\d`, "٣"}, {`\w+`, "héllo"}, {`^\w+$`, "héllo"}, {`^\w+$`, "hello_1"},
	{`\s`, "\u00a0"}, {`\s`, "\t"}, {`\s`, "\v"}, {`[\d]`, "٣"}, {`[^\d]`, "٣"}, {`\D`, "٣"},
	{`\W`, "é"}, {`\bfoo\b`, "éfooé"}, {`\Qa.b\E`, "a.b"}, {`\Qa.b\E`, "axb"},
	{`a{2}`, "aa"}, {`a{1000}`, "a"}, {`a{1001}`, "a"}, {`a{,3}`, "a{,3}"}, {`a**`, "a"},
	{`(?i)^deployment/\w+$`, "Deployment/grafana"}, {`(?i)^deployment/\w+$`, "Deployment/grafanä"},
	{`[[:alpha:]]+`, "abc"}, {`\pL`, "é"}, {`(?P<n>a)`, "a"}, {`\x41`, "A"}, {`\101`, "A"},
	{`a\z`, "a"}, {`(?s).`, "\n"}, {`[a-`, "a"}, {`\8`, "8"}, {`x*+`, "x"},
}

var base64s = []string{
	"", "YQ==", "YWI=", "YWJj", "YR==", "YWJ=", "/w==", "/+8=", "4pyT", "4p==", "gA==", "wA==",
	"Y===", "YQ=a", "YW=j", "YQ", "YQ=", "Y", "YWJjZA==", "YWJj\nZA==", "YW\r\nJj", "YQ=\n=",
	"YQ==\n", "YQ==YQ==", "Y\nQ\n=\n=", "ĀQ==", "YQ==\nx", "====", "YWJjZA=", "Zm9vYmFy",
	"Zm9v\x00YmFy", "  YQ==", "7/7+/f8=", "YWJj\n",
}

// exps are math.Exp's arguments: edges, then a spread over the whole finite range with
// a fraction that is not round.
func exps() []float64 {
	xs := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 2.7, 1e-9, -1e-9, 1e-300, 100.5,
		709.78, 709.79, 7.09782712893384e+02, -708.39, -708.4, -745.13, -745.2, -746, -1e300,
		1e300, math.Inf(1), math.Inf(-1), math.NaN()}
	for i := -360; i <= 360; i++ {
		xs = append(xs, float64(i)*1.9712345678901)
		xs = append(xs, float64(i)*0.0571234567891)
	}
	return xs
}

func line(v map[string]interface{}) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(b))
}

func main() {
	for _, f := range floats {
		js := "error"
		if b, err := json.Marshal(f); err == nil {
			js = string(b)
		}
		line(map[string]interface{}{"rule": "float", "bits": strconv.FormatUint(math.Float64bits(f), 16),
			"v": fmt.Sprint(f), "g": strconv.FormatFloat(f, 'g', -1, 64), "json": js})
	}
	for _, p := range paths {
		line(map[string]interface{}{"rule": "clean", "in": p, "out": path.Clean(p)})
	}
	for _, j := range joins {
		line(map[string]interface{}{"rule": "join", "dir": j[0], "elem": j[1], "out": path.Join(j[0], j[1])})
	}
	for _, in := range base64s {
		out, str, encoded := "", "", ""
		if b, err := base64.StdEncoding.DecodeString(in); err != nil {
			var at int64
			fmt.Sscanf(err.Error(), "illegal base64 data at input byte %d", &at)
			out = fmt.Sprintf("error at %d", at)
		} else {
			out = hex.EncodeToString(b)
			for _, r := range string(b) {
				str += string(r)
			}
			encoded = base64.StdEncoding.EncodeToString(b)
		}
		line(map[string]interface{}{"rule": "base64", "in": in, "out": out, "string": str, "encoded": encoded})
	}
	for _, r := range regexes {
		re, err := regexp.Compile(r[0])
		verdict := "error"
		if err == nil {
			verdict = strconv.FormatBool(re.MatchString(r[1]))
		}
		line(map[string]interface{}{"rule": "regex", "pattern": r[0], "text": r[1], "match": verdict})
	}
	for _, x := range exps() {
		line(map[string]interface{}{"rule": "exp", "x": strconv.FormatUint(math.Float64bits(x), 16),
			"exp": strconv.FormatUint(math.Float64bits(math.Exp(x)), 16)})
	}
}
