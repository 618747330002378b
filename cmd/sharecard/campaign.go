package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// runCampaign serves `sharecard campaign list|pull|push`: the campaign
// store's admin API from the command line, against a running service
// (--url or SHARECARD_BASE_URL, with SHARECARD_ADMIN_TOKEN).
func runCampaign(ctx context.Context, args []string, e env) int {
	usage := func(w io.Writer) {
		fmt.Fprintln(w, `usage: sharecard campaign <list|pull|push> [flags]

  list                    every campaign with its current version
  pull ID [-o FILE]       the campaign's current YAML (to stdout, or FILE)
  pull --all DIR          every campaign with all its versions and assets (a backup)
  push FILE.yaml          publish a campaign file (its id: the file's name, or --id)
  push DIR                restore a backup made by pull --all

flags (before the arguments): --url (default SHARECARD_BASE_URL), --token
(default SHARECARD_ADMIN_TOKEN), --id, -o, --all`)
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		usage(e.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	sub := args[0]
	fl := flag.NewFlagSet("sharecard campaign "+sub, flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	base := fl.String("url", e.getenv("SHARECARD_BASE_URL"), "the service's base URL")
	token := fl.String("token", e.getenv("SHARECARD_ADMIN_TOKEN"), "the admin token")
	id := fl.String("id", "", "the campaign id (push of a file)")
	out := fl.String("o", "", "write the YAML here (pull)")
	all := fl.Bool("all", false, "every campaign, every version and asset (pull)")
	if err := fl.Parse(args[1:]); err != nil {
		fmt.Fprintf(e.stderr, "sharecard campaign %s: %v\n", sub, err)
		return 2
	}
	if *base == "" || *token == "" {
		fmt.Fprintln(e.stderr, "sharecard campaign: set --url (or SHARECARD_BASE_URL) and --token (or SHARECARD_ADMIN_TOKEN)")
		return 2
	}
	c := &apiClient{base: strings.TrimRight(*base, "/"), token: *token, http: &http.Client{Timeout: time.Minute}}
	var err error
	switch {
	case sub == "list" && fl.NArg() == 0:
		err = c.list(ctx, e.stdout)
	case sub == "pull" && *all && fl.NArg() == 1:
		err = c.pullAll(ctx, fl.Arg(0), e.stdout)
	case sub == "pull" && !*all && fl.NArg() == 1:
		err = c.pull(ctx, fl.Arg(0), *out, e.stdout)
	case sub == "push" && fl.NArg() == 1:
		err = c.push(ctx, fl.Arg(0), *id, e.stdout)
	default:
		usage(e.stderr)
		return 2
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "sharecard campaign %s: %v\n", sub, err)
		return 1
	}
	return 0
}

// apiClient calls the admin API.
type apiClient struct {
	base, token string
	http        *http.Client
}

// apiError is a refusal from the service, with a campaign's problems.
type apiError struct {
	Status int
	Error_ string `json:"error"`
	Errors []struct {
		Line    int    `json:"line"`
		Column  int    `json:"column"`
		Message string `json:"message"`
	} `json:"errors"`
}

func (e *apiError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d: %s", e.Status, e.Error_)
	for _, p := range e.Errors {
		fmt.Fprintf(&b, "\n  line %d, column %d: %s", p.Line, p.Column, p.Message)
	}
	return b.String()
}

// do sends one request; a status outside 2xx is an *apiError. into, when
// set, receives the JSON answer.
func (c *apiClient) do(ctx context.Context, method, path, contentType string, body []byte, into any) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, resp.StatusCode, err
	}
	if resp.StatusCode/100 != 2 {
		ae := &apiError{Status: resp.StatusCode}
		if json.Unmarshal(raw, ae) != nil || ae.Error_ == "" {
			ae.Error_ = strings.TrimSpace(string(raw))
		}
		return nil, resp.StatusCode, ae
	}
	if into != nil {
		if err := json.Unmarshal(raw, into); err != nil {
			return nil, resp.StatusCode, fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return raw, resp.StatusCode, nil
}

type cliHead struct {
	ID       string `json:"id"`
	Version  string `json:"version"`
	Archived bool   `json:"archived"`
}

type cliAsset struct {
	SHA  string `json:"sha256"`
	Size int64  `json:"size"`
}

type cliVersion struct {
	Version string              `json:"version"`
	Parent  string              `json:"parent,omitempty"`
	Created time.Time           `json:"created"`
	Assets  map[string]cliAsset `json:"assets"`
}

// backup is one campaign in a pull --all directory: DIR/<id>/campaign.json
// beside versions/<version>.yaml and blobs/<sha256>.
type backup struct {
	ID       string       `json:"id"`
	Current  string       `json:"current"`
	Archived bool         `json:"archived"`
	Versions []cliVersion `json:"versions"`
}

func (c *apiClient) heads(ctx context.Context) ([]cliHead, error) {
	var list struct {
		Campaigns []cliHead `json:"campaigns"`
	}
	_, _, err := c.do(ctx, "GET", "/api/v1/campaigns", "", nil, &list)
	return list.Campaigns, err
}

func (c *apiClient) list(ctx context.Context, w io.Writer) error {
	heads, err := c.heads(ctx)
	if err != nil {
		return err
	}
	for _, h := range heads {
		state := ""
		if h.Archived {
			state = "\tarchived"
		}
		fmt.Fprintf(w, "%s\t%s%s\n", h.ID, h.Version, state)
	}
	return nil
}

func (c *apiClient) pull(ctx context.Context, id, out string, stdout io.Writer) error {
	var doc struct {
		YAML string `json:"yaml"`
	}
	if _, _, err := c.do(ctx, "GET", "/api/v1/campaigns/"+url.PathEscape(id), "", nil, &doc); err != nil {
		return err
	}
	if out == "" {
		_, err := io.WriteString(stdout, doc.YAML)
		return err
	}
	return os.WriteFile(out, []byte(doc.YAML), 0o644)
}

// pullAll writes every campaign, every version and every asset under dir.
func (c *apiClient) pullAll(ctx context.Context, dir string, stdout io.Writer) error {
	heads, err := c.heads(ctx)
	if err != nil {
		return err
	}
	for _, h := range heads {
		id := url.PathEscape(h.ID)
		var vs struct {
			Current  string       `json:"current"`
			Archived bool         `json:"archived"`
			Versions []cliVersion `json:"versions"`
		}
		if _, _, err := c.do(ctx, "GET", "/api/v1/campaigns/"+id+"/versions", "", nil, &vs); err != nil {
			return err
		}
		cdir := filepath.Join(dir, h.ID)
		for _, v := range vs.Versions {
			var doc struct {
				YAML string `json:"yaml"`
			}
			q := "?version=" + url.QueryEscape(v.Version)
			if _, _, err := c.do(ctx, "GET", "/api/v1/campaigns/"+id+q, "", nil, &doc); err != nil {
				return err
			}
			if err := writeBackupFile(filepath.Join(cdir, "versions", v.Version+".yaml"), []byte(doc.YAML)); err != nil {
				return err
			}
			for name, a := range v.Assets {
				blob := filepath.Join(cdir, "blobs", a.SHA)
				if _, err := os.Stat(blob); err == nil {
					continue
				}
				data, _, err := c.do(ctx, "GET", "/api/v1/campaigns/"+id+"/assets/"+url.PathEscape(name)+q, "", nil, nil)
				if err != nil {
					return err
				}
				if err := writeBackupFile(blob, data); err != nil {
					return err
				}
			}
		}
		b := backup{ID: h.ID, Current: vs.Current, Archived: vs.Archived, Versions: vs.Versions}
		raw, _ := json.MarshalIndent(b, "", "  ")
		if err := writeBackupFile(filepath.Join(cdir, "campaign.json"), raw); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s\t%d version(s)\n", h.ID, len(vs.Versions))
	}
	return nil
}

func writeBackupFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// push publishes a campaign file, or restores a pull --all directory.
func (c *apiClient) push(ctx context.Context, path, id string, stdout io.Writer) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if st.IsDir() {
		return c.restore(ctx, path, stdout)
	}
	if id == "" {
		id = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	yaml, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var res struct {
		Version  string   `json:"version"`
		Warnings []string `json:"warnings"`
	}
	if _, _, err := c.do(ctx, "PUT", "/api/v1/campaigns/"+url.PathEscape(id), "application/yaml", yaml, &res); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s\t%s\n", id, res.Version)
	for _, w := range res.Warnings {
		fmt.Fprintf(stdout, "  warning: %s\n", w)
	}
	return nil
}

// restore publishes every version of every campaign in a backup, oldest
// first (each gets a new version id: versions are the store's), then
// makes current the one that was current, and archives what was archived.
func (c *apiClient) restore(ctx context.Context, dir string, stdout io.Writer) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var ids []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(dir, e.Name(), "campaign.json")); e.IsDir() && err == nil {
			ids = append(ids, e.Name())
		}
	}
	if len(ids) == 0 {
		return fmt.Errorf("%s holds no campaigns (<id>/campaign.json, as pull --all writes them)", dir)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if err := c.restoreOne(ctx, filepath.Join(dir, id), id, stdout); err != nil {
			return fmt.Errorf("%s: %w", id, err)
		}
	}
	return nil
}

func (c *apiClient) restoreOne(ctx context.Context, cdir, id string, stdout io.Writer) error {
	raw, err := os.ReadFile(filepath.Join(cdir, "campaign.json"))
	if err != nil {
		return err
	}
	var b backup
	if err := json.Unmarshal(raw, &b); err != nil {
		return err
	}
	path := "/api/v1/campaigns/" + url.PathEscape(id)
	uploaded := map[string]string{} // name → sha now in the pool
	restored := map[string]string{} // backup version → new version
	var last string
	for _, v := range b.Versions {
		names := make([]string, 0, len(v.Assets))
		for n := range v.Assets {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, name := range names {
			a := v.Assets[name]
			if uploaded[name] == a.SHA {
				continue
			}
			data, err := os.ReadFile(filepath.Join(cdir, "blobs", a.SHA))
			if err != nil {
				return err
			}
			if _, _, err := c.do(ctx, "PUT", path+"/assets/"+url.PathEscape(name), "application/octet-stream", data, nil); err != nil {
				return fmt.Errorf("asset %s: %w", name, err)
			}
			uploaded[name] = a.SHA
		}
		yaml, err := os.ReadFile(filepath.Join(cdir, "versions", v.Version+".yaml"))
		if err != nil {
			return err
		}
		var res struct {
			Version string `json:"version"`
		}
		if _, _, err := c.do(ctx, "PUT", path, "application/yaml", yaml, &res); err != nil {
			return fmt.Errorf("version %s: %w", v.Version, err)
		}
		restored[v.Version] = res.Version
		last = res.Version
	}
	if cur, ok := restored[b.Current]; ok && cur != last {
		body, _ := json.Marshal(map[string]string{"version": cur})
		if _, _, err := c.do(ctx, "POST", path+"/rollback", "application/json", body, nil); err != nil {
			return err
		}
	}
	if b.Archived {
		if _, _, err := c.do(ctx, "DELETE", path, "", nil, nil); err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	fmt.Fprintf(stdout, "%s\t%d version(s) restored\n", id, len(b.Versions))
	return nil
}
