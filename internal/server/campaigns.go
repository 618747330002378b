package server

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/campaign"
)

// The campaign store's admin API: publish a campaign's YAML, upload its
// assets, read it back, list and roll back versions, archive it. The
// rules (validation, bounds, compare-and-set) are package campaign's; this
// file only reads requests and writes answers.

// campaignJSON is one campaign in a list.
type campaignJSON struct {
	ID       string `json:"id"`
	Version  string `json:"version"`
	Archived bool   `json:"archived"`
}

// campaignDoc is one campaign version with its file.
type campaignDoc struct {
	ID       string                    `json:"id"`
	Version  string                    `json:"version"`
	Current  string                    `json:"current"`
	Archived bool                      `json:"archived"`
	Created  time.Time                 `json:"created"`
	YAML     string                    `json:"yaml"`
	Assets   map[string]campaign.Asset `json:"assets"`
}

type versionsDoc struct {
	ID       string             `json:"id"`
	Current  string             `json:"current"`
	Archived bool               `json:"archived"`
	Versions []campaign.Version `json:"versions"`
}

type rollbackRequest struct {
	Version string `json:"version"`
}

// libraryOr returns the campaign store, or a 404 where the service runs
// without one.
func (a *app) libraryOr() (*campaign.Library, error) {
	if a.library == nil {
		return nil, echo.NewHTTPError(http.StatusNotFound, "this service has no campaign store")
	}
	return a.library, nil
}

// readLimited reads a request body of at most limit bytes: a
// *campaign.TooLargeError past it, before reading further.
func readLimited(c echo.Context, limit int64, what string) ([]byte, error) {
	r := c.Request()
	tooLarge := &campaign.TooLargeError{What: what, Limit: limit}
	if r.ContentLength > limit {
		return nil, tooLarge
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest, "the body could not be read: "+err.Error())
	}
	if int64(len(b)) > limit {
		return nil, tooLarge
	}
	return b, nil
}

// yamlTypes are the media types a campaign file may be sent as.
var yamlTypes = map[string]bool{"application/yaml": true, "application/x-yaml": true, "text/yaml": true, "text/x-yaml": true}

// putCampaign serves PUT /api/v1/campaigns/:id: the body is the
// campaign's YAML; it is validated and published as a new version (201
// for a new campaign, 200 for a new version). If-Match, when sent, must
// name the current version.
func (a *app) putCampaign() echo.HandlerFunc {
	return func(c echo.Context) error {
		lib, err := a.libraryOr()
		if err != nil {
			return err
		}
		id := c.Param("id")
		if !campaign.ValidID(id) {
			return campaign.ErrInvalidID
		}
		if mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType)); !yamlTypes[mt] {
			return echo.NewHTTPError(http.StatusUnsupportedMediaType, "send the campaign file as YAML, with Content-Type: application/yaml")
		}
		body, err := readLimited(c, campaign.MaxFileBytes, "a campaign file")
		if err != nil {
			return err
		}
		res, err := lib.Publish(c.Request().Context(), id, body, ifMatch(c))
		if err != nil {
			return err
		}
		a.log.Info("campaign published", "campaign", id, "version", res.Version)
		status := http.StatusOK
		if res.Created {
			status = http.StatusCreated
		}
		c.Response().Header().Set("ETag", `"`+res.Version+`"`)
		return c.JSON(status, res)
	}
}

// ifMatch is the version an If-Match header names, without quotes.
func ifMatch(c echo.Context) string {
	v := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	return strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(v, "W/"), `"`), `"`)
}

// assetName is the :name path parameter, unescaped (a %2F must not pass
// for a plain name), and checked.
func assetName(c echo.Context) (string, error) {
	name, err := url.PathUnescape(c.Param("name"))
	if err != nil {
		return "", campaign.ErrInvalidAssetName
	}
	if err := campaign.CheckAssetName(name); err != nil {
		return "", err
	}
	return name, nil
}

// putAsset serves PUT /api/v1/campaigns/:id/assets/:name: a PNG, JPEG,
// TTF or OTF file, parsed before it is stored. With a published campaign
// it makes a new version (200); before the first publish it is kept for
// it (201).
func (a *app) putAsset() echo.HandlerFunc {
	return func(c echo.Context) error {
		lib, err := a.libraryOr()
		if err != nil {
			return err
		}
		id := c.Param("id")
		if !campaign.ValidID(id) {
			return campaign.ErrInvalidID
		}
		name, err := assetName(c)
		if err != nil {
			return err
		}
		body, err := readLimited(c, campaign.MaxAssetBytes, "an asset")
		if err != nil {
			return err
		}
		res, err := lib.PutAsset(c.Request().Context(), id, name, body)
		if err != nil {
			return err
		}
		a.log.Info("campaign asset stored", "campaign", id, "asset", name, "version", res.Version)
		if res.Staged {
			return c.JSON(http.StatusCreated, res)
		}
		return c.JSON(http.StatusOK, res)
	}
}

// deleteAsset serves DELETE /api/v1/campaigns/:id/assets/:name: a new
// version of the current file without the asset (422 with the file's
// problems while it still names it); before the first publish, out of
// the files kept for it.
func (a *app) deleteAsset() echo.HandlerFunc {
	return func(c echo.Context) error {
		lib, err := a.libraryOr()
		if err != nil {
			return err
		}
		id := c.Param("id")
		name, err := assetName(c)
		if err != nil {
			return err
		}
		res, err := lib.DeleteAsset(c.Request().Context(), id, name)
		if err != nil {
			return err
		}
		a.log.Info("campaign asset deleted", "campaign", id, "asset", name, "version", res.Version)
		return c.JSON(http.StatusOK, res)
	}
}

// listCampaigns serves GET /api/v1/campaigns.
func (a *app) listCampaigns() echo.HandlerFunc {
	return func(c echo.Context) error {
		lib, err := a.libraryOr()
		if err != nil {
			return err
		}
		heads, err := lib.List(c.Request().Context())
		if err != nil {
			return err
		}
		out := make([]campaignJSON, 0, len(heads))
		for _, h := range heads {
			if h.Current != "" {
				out = append(out, campaignJSON{ID: h.ID, Version: h.Current, Archived: h.Archived})
			}
		}
		return c.JSON(http.StatusOK, map[string]any{"campaigns": out})
	}
}

// getCampaign serves GET /api/v1/campaigns/:id (?version= for an earlier
// one).
func (a *app) getCampaign() echo.HandlerFunc {
	return func(c echo.Context) error {
		lib, err := a.libraryOr()
		if err != nil {
			return err
		}
		head, v, yaml, err := lib.Get(c.Request().Context(), c.Param("id"), c.QueryParam("version"))
		if err != nil {
			return err
		}
		assets := v.Assets
		if assets == nil {
			assets = map[string]campaign.Asset{}
		}
		c.Response().Header().Set("ETag", `"`+v.ID+`"`)
		return c.JSON(http.StatusOK, campaignDoc{ID: head.ID, Version: v.ID, Current: head.Current, Archived: head.Archived,
			Created: v.Created, YAML: string(yaml), Assets: assets})
	}
}

// getAsset serves GET /api/v1/campaigns/:id/assets/:name (?version=).
func (a *app) getAsset() echo.HandlerFunc {
	return func(c echo.Context) error {
		lib, err := a.libraryOr()
		if err != nil {
			return err
		}
		name, err := assetName(c)
		if err != nil {
			return err
		}
		_, v, _, err := lib.Get(c.Request().Context(), c.Param("id"), c.QueryParam("version"))
		if err != nil {
			return err
		}
		data, err := lib.Asset(c.Request().Context(), c.Param("id"), v, name)
		if err != nil {
			return echo.NewHTTPError(http.StatusNotFound, "the campaign version has no asset "+name)
		}
		ct := map[string]string{".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".ttf": "font/ttf", ".otf": "font/otf"}[strings.ToLower(path.Ext(name))]
		return c.Blob(http.StatusOK, ct, data)
	}
}

// campaignVersions serves GET /api/v1/campaigns/:id/versions.
func (a *app) campaignVersions() echo.HandlerFunc {
	return func(c echo.Context) error {
		lib, err := a.libraryOr()
		if err != nil {
			return err
		}
		head, vs, err := lib.Versions(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		for i := range vs {
			if vs[i].Assets == nil {
				vs[i].Assets = map[string]campaign.Asset{}
			}
		}
		return c.JSON(http.StatusOK, versionsDoc{ID: head.ID, Current: head.Current, Archived: head.Archived, Versions: vs})
	}
}

// rollbackCampaign serves POST /api/v1/campaigns/:id/rollback {version}.
func (a *app) rollbackCampaign() echo.HandlerFunc {
	return func(c echo.Context) error {
		lib, err := a.libraryOr()
		if err != nil {
			return err
		}
		var req rollbackRequest
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		if req.Version == "" {
			return echo.NewHTTPError(http.StatusUnprocessableEntity, "name the version to make current again: {\"version\": \"...\"}")
		}
		res, err := lib.Rollback(c.Request().Context(), c.Param("id"), req.Version)
		if errors.Is(err, campaign.ErrNoVersion) {
			return echo.NewHTTPError(http.StatusUnprocessableEntity, "campaign "+c.Param("id")+" has no version "+req.Version)
		}
		if err != nil {
			return err
		}
		a.log.Info("campaign rolled back", "campaign", res.ID, "version", res.Version)
		return c.JSON(http.StatusOK, res)
	}
}

// archiveCampaign serves DELETE /api/v1/campaigns/:id: the campaign's
// links answer 410 from then on; its versions stay in the store.
func (a *app) archiveCampaign() echo.HandlerFunc {
	return func(c echo.Context) error {
		lib, err := a.libraryOr()
		if err != nil {
			return err
		}
		if err := lib.Archive(c.Request().Context(), c.Param("id")); err != nil {
			return err
		}
		a.log.Info("campaign archived", "campaign", c.Param("id"))
		return c.NoContent(http.StatusNoContent)
	}
}
