// Command modproxy publishes one version of a Go module, read from a directory, into a
// file-based module proxy tree (GOPROXY=file://DIR), as served by proxy.golang.org:
//
//	DIR/<escaped module path>/@v/list          every version in DIR, one a line
//	DIR/<escaped module path>/@v/<v>.info      {"Version": v, "Time": ...}
//	DIR/<escaped module path>/@v/<v>.mod       the module's go.mod
//	DIR/<escaped module path>/@v/<v>.zip       the module zip
//
// The zip follows the rules of golang.org/x/mod/zip (which the go command applies when it
// extracts it): every file under "<module>@<version>/", valid and case-insensitively unique
// file paths, no symbolic links or other irregular files, no nested modules or vendor
// directories, at most 500 MiB uncompressed and a go.mod and LICENSE of at most 16 MiB each.
// Anything that would be silently left out of a module zip is refused instead, so that what
// was staged is exactly what is published. Only the standard library is used, so releasing
// needs no network; bindings/go/release.sh checks the result with `go mod download`.
//
// Usage: go run ./internal/modproxy -src DIR -version vX.Y.Z -time RFC3339 -out PROXYDIR
//
// Used by bindings/go/release.sh; not part of the SDK.
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The limits of golang.org/x/mod/zip, which the go command enforces when it extracts a zip.
const (
	maxZipFile = 500 << 20 // total uncompressed size of the files
	maxGoMod   = 16 << 20
	maxLicense = 16 << 20
)

// semver is a canonical semantic version as the go command accepts it ("v1.2.3",
// "v1.2.3-rc.1"; no "+build" metadata, which proxies do not serve).
var semver = regexp.MustCompile(`^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`)

func main() {
	src := flag.String("src", "", "module root directory (holds go.mod)")
	version := flag.String("version", "", "canonical semantic version, e.g. v0.1.0")
	stamp := flag.String("time", "", "the version's time (RFC 3339) for the .info file")
	out := flag.String("out", "", "root of the file-based proxy tree")
	flag.Parse()
	if *src == "" || *version == "" || *stamp == "" || *out == "" || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := publish(*src, *version, *stamp, *out); err != nil {
		fmt.Fprintln(os.Stderr, "modproxy:", err)
		os.Exit(1)
	}
}

func publish(src, version, stamp, out string) error {
	if !semver.MatchString(version) {
		return fmt.Errorf("version %q is not a canonical semantic version (vMAJOR.MINOR.PATCH)", version)
	}
	t, err := time.Parse(time.RFC3339, stamp)
	if err != nil {
		return fmt.Errorf("-time: %w", err)
	}
	gomod, err := os.ReadFile(filepath.Join(src, "go.mod"))
	if err != nil {
		return err
	}
	mod, err := modulePath(gomod)
	if err != nil {
		return err
	}
	if err := checkMajor(mod, version); err != nil {
		return err
	}
	files, err := listFiles(src)
	if err != nil {
		return err
	}
	escMod, err := escape(mod)
	if err != nil {
		return err
	}
	escVer, err := escape(version)
	if err != nil {
		return err
	}
	dir := filepath.Join(out, filepath.FromSlash(escMod), "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	base := filepath.Join(dir, escVer)
	if err := writeZip(base+".zip", mod+"@"+version+"/", src, files); err != nil {
		return err
	}
	if err := writeFile(base+".mod", gomod); err != nil {
		return err
	}
	info, err := json.Marshal(struct {
		Version string
		Time    time.Time
	}{version, t.UTC()})
	if err != nil {
		return err
	}
	if err := writeFile(base+".info", append(info, '\n')); err != nil {
		return err
	}
	return addToList(filepath.Join(dir, "list"), version)
}

// modulePath reads the module directive of a go.mod.
func modulePath(gomod []byte) (string, error) {
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`), nil
		}
	}
	return "", errors.New("go.mod has no module directive")
}

// checkMajor refuses a version whose major number the module path does not carry: from v2
// on the path must end in /vN (semantic import versioning), or the go command rejects it.
func checkMajor(mod, version string) error {
	major := strings.SplitN(strings.TrimPrefix(version, "v"), ".", 2)[0]
	if major == "0" || major == "1" {
		if regexp.MustCompile(`/v[0-9]+$`).MatchString(mod) {
			return fmt.Errorf("module %s cannot have version %s", mod, version)
		}
		return nil
	}
	if !strings.HasSuffix(mod, "/v"+major) {
		return fmt.Errorf("version %s needs the module path to end in /v%s, not %s", version, major, mod)
	}
	return nil
}

// listFiles returns the slash-separated paths of the files of the module rooted at src,
// sorted, after checking the rules of a module zip.
func listFiles(src string) ([]string, error) {
	var files []string
	folded := map[string]string{}
	var total int64
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == "." {
				return nil
			}
			switch d.Name() {
			case ".git", ".hg", ".svn", ".bzr":
				return fs.SkipDir // version control metadata is never part of a module
			case "vendor":
				return fmt.Errorf("%s: vendor directories are left out of module zips; remove it from the staged module", rel)
			}
			if _, err := os.Lstat(filepath.Join(p, "go.mod")); err == nil {
				return fmt.Errorf("%s holds a go.mod: a nested module is left out of module zips", rel)
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s is not a regular file (module zips hold only regular files)", rel)
		}
		if err := checkFilePath(rel); err != nil {
			return err
		}
		key := strings.ToLower(rel)
		if other, dup := folded[key]; dup {
			return fmt.Errorf("%s and %s differ only in case", other, rel)
		}
		folded[key] = rel
		fi, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case rel == "go.mod" && fi.Size() > maxGoMod:
			return fmt.Errorf("go.mod is larger than %d bytes", maxGoMod)
		case rel == "LICENSE" && fi.Size() > maxLicense:
			return fmt.Errorf("LICENSE is larger than %d bytes", maxLicense)
		}
		total += fi.Size()
		if total > maxZipFile {
			return fmt.Errorf("the module's files exceed %d bytes uncompressed, the module zip limit", maxZipFile)
		}
		files = append(files, rel)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !slices.Contains(files, "go.mod") {
		return nil, errors.New("no go.mod at the module root")
	}
	slices.Sort(files)
	return files, nil
}

// checkFilePath applies golang.org/x/mod/module.CheckFilePath: clean, relative,
// slash-separated, every element non-empty, not only dots, without a trailing dot, of
// allowed characters, and no Windows reserved name (CON, NUL, COM1, ...) before its first dot.
func checkFilePath(p string) error {
	if !utf8.ValidString(p) || path.Clean(p) != p || path.IsAbs(p) || strings.Contains(p, `\`) {
		return fmt.Errorf("%q: invalid file path", p)
	}
	for _, elem := range strings.Split(p, "/") {
		if elem == "" || strings.Count(elem, ".") == len(elem) || strings.HasSuffix(elem, ".") {
			return fmt.Errorf("%q: invalid path element %q", p, elem)
		}
		for _, r := range elem {
			if !fileNameOK(r) {
				return fmt.Errorf("%q: invalid character %q", p, r)
			}
		}
		short, _, _ := strings.Cut(elem, ".")
		for _, bad := range []string{"CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9"} {
			if strings.EqualFold(short, bad) {
				return fmt.Errorf("%q: %q is a reserved file name on Windows", p, elem)
			}
		}
	}
	return nil
}

// fileNameOK is golang.org/x/mod/module's set of characters allowed in file names.
func fileNameOK(r rune) bool {
	if r < utf8.RuneSelf {
		const allowed = "!#$%&()+,-.=@[]^_{}~ "
		return '0' <= r && r <= '9' || 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || strings.ContainsRune(allowed, r)
	}
	return unicode.IsLetter(r)
}

// escape is the proxy protocol's case encoding: an upper-case letter becomes '!' followed
// by its lower case, so that paths stay distinct on case-insensitive file systems.
func escape(s string) (string, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '!' || r >= utf8.RuneSelf:
			return "", fmt.Errorf("%q cannot be escaped for a module proxy", s)
		case 'A' <= r && r <= 'Z':
			b.WriteByte('!')
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), nil
}

// writeZip writes the module zip: files in sorted order, deflated, without timestamps or
// modes (the go command ignores both), so that the same input gives the same bytes.
func writeZip(dst, prefix, src string, files []string) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".modproxy-*.zip")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	zw := zip.NewWriter(tmp)
	for _, name := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: prefix + name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		f, err := os.Open(filepath.Join(src, filepath.FromSlash(name)))
		if err != nil {
			return err
		}
		_, err = io.Copy(w, f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil { // CreateTemp makes it private
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

func writeFile(dst string, data []byte) error {
	return os.WriteFile(dst, data, 0o644)
}

// addToList adds version to the proxy's list of versions, keeping the ones already
// published there (several releases may share one proxy tree).
func addToList(list, version string) error {
	var versions []string
	old, err := os.ReadFile(list)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	for _, v := range strings.Fields(string(old)) {
		if v != version {
			versions = append(versions, v)
		}
	}
	versions = append(versions, version)
	slices.Sort(versions) // any order is valid; sorted keeps the file stable
	return writeFile(list, []byte(strings.Join(versions, "\n")+"\n"))
}
