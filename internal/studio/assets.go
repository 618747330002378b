package studio

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/campaign"
)

// MaxUpload bounds an asset upload's body: one asset
// (campaign.MaxAssetBytes, 5 MiB) and the multipart framing and fields
// around it. The asset's own bound is checked after, with a message that
// names it.
const MaxUpload = "5184KiB"

// assetRow is one of a campaign's files as the studio lists it.
type assetRow struct {
	Name string `json:"name"`
	Kind string `json:"kind"` // "Billede" or "Skrift"
	Size string `json:"size"`
}

// assetRows lists campaign id's uploads by name.
func (h *Handlers) assetRows(c echo.Context, id string) ([]assetRow, error) {
	pool, err := h.d.Library.Assets(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	out := make([]assetRow, 0, len(pool))
	for name, a := range pool {
		kind := "Billede"
		switch strings.ToLower(path.Ext(name)) {
		case ".ttf", ".otf":
			kind = "Skrift"
		}
		out = append(out, assetRow{Name: name, Kind: kind, Size: byteSize(a.Size)})
	}
	slices.SortFunc(out, func(a, b assetRow) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// uploadJSON is what the script learns from an upload.
type uploadJSON struct {
	Name    string     `json:"name"`
	Version string     `json:"version,omitempty"` // the new current version; empty while kept for a first publish
	Message string     `json:"message"`
	Assets  []assetRow `json:"assets"`
}

// Upload serves POST /admin/studio/:id/asset (multipart: file, and name
// to store it under, the file's own name when empty): the same checked
// upload as PUT /api/v1/campaigns/{id}/assets/{name}. A published
// campaign gets a new version with its current file and the asset, so
// the draft in the editor, which the designer has not published, is
// untouched and can name the new file at once.
func (h *Handlers) Upload(c echo.Context) error {
	id := c.Param("id")
	if !h.known(c, id) {
		return fail(c, http.StatusNotFound, "Ukendt kampagne: "+id, nil)
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return h.uploadFailed(c, id, http.StatusBadRequest, "Vælg en fil at lægge op (PNG, JPEG, TTF eller OTF).")
	}
	name := strings.TrimSpace(c.FormValue("name"))
	if name == "" {
		name = path.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
	}
	if err := campaign.CheckAssetName(name); err != nil {
		return h.uploadFailed(c, id, http.StatusUnprocessableEntity, "Navnet „"+name+"“ kan ikke bruges: et filnavn uden mapper, skråstreger eller styretegn, højst 128 bytes, der ender på .png, .jpg, .jpeg, .ttf eller .otf.")
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, campaign.MaxAssetBytes+1))
	if err != nil {
		return err
	}
	if len(data) > campaign.MaxAssetBytes {
		return h.uploadFailed(c, id, http.StatusRequestEntityTooLarge, name+" er for stor: en fil må højst fylde 5 MiB.")
	}
	res, err := h.d.Library.PutAsset(c.Request().Context(), id, name, data)
	if err != nil {
		status, msg := uploadRefusal(name, err)
		return h.assetRefused(c, id, name, "upload", err, status, msg)
	}
	return h.assetsChanged(c, id, name, "uploaded", res,
		" er lagt op og følger med kampagnens første udgivelse.", " er lagt op som version %s; kampagnefilen kan nu bruge den.")
}

// DeleteAsset serves POST /admin/studio/:id/asset/delete (name): the
// API's DELETE of an asset. While the published file names the asset it
// is refused with the place that names it, and nothing changes.
func (h *Handlers) DeleteAsset(c echo.Context) error {
	id := c.Param("id")
	if !h.known(c, id) {
		return fail(c, http.StatusNotFound, "Ukendt kampagne: "+id, nil)
	}
	name := c.FormValue("name")
	res, err := h.d.Library.DeleteAsset(c.Request().Context(), id, name)
	if err != nil {
		var inv *campaign.InvalidError
		status, msg := uploadRefusal(name, err)
		switch {
		case errors.As(err, &inv):
			status, msg = http.StatusUnprocessableEntity, "Kampagnefilen bruger stadig "+name+" ("+err.Error()+"). Fjern den fra filen og udgiv, før filen slettes."
		case errors.Is(err, campaign.ErrNoAsset):
			status, msg = http.StatusNotFound, "Kampagnen har ingen fil ved navn „"+name+"“; listen er måske forældet. Genindlæs siden."
		}
		return h.assetRefused(c, id, name, "delete", err, status, msg)
	}
	return h.assetsChanged(c, id, name, "deleted", res, " er slettet.", " er slettet i version %s; tidligere versioner har den stadig.")
}

// assetRefused answers an upload or delete the library refused, and logs
// what was the service's fault.
func (h *Handlers) assetRefused(c echo.Context, id, name, action string, err error, status int, msg string) error {
	if status >= 500 {
		h.d.Log.Error("studio: "+action+" an asset", "campaign", id, "asset", name, "err", err)
	}
	return h.uploadFailed(c, id, status, msg)
}

// assetsChanged answers an upload or a delete (done, "uploaded" or
// "deleted"): back to the studio for a form post; for the script, the
// new version, what happened (the name and staged, or published with
// the version for its %s) and the campaign's files.
func (h *Handlers) assetsChanged(c echo.Context, id, name, done string, res campaign.Result, staged, published string) error {
	msg := name + staged
	if !res.Staged {
		msg = name + fmt.Sprintf(published, res.Version)
	}
	h.d.Log.Info("campaign asset "+done+" in the studio", "campaign", id, "asset", name, "version", res.Version)
	if !wantsJSON(c) {
		return c.Redirect(http.StatusSeeOther, "/admin/studio/"+url.PathEscape(id)+"?"+done+"="+url.QueryEscape(name)+fromQuery(c))
	}
	rows, err := h.assetRows(c, id)
	if err != nil {
		return err
	}
	v := ""
	if !res.Staged {
		v = res.Version
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, uploadJSON{Name: name, Version: v, Message: msg, Assets: rows})
}

// fromQuery carries a new campaign's source across the redirect.
func fromQuery(c echo.Context) string {
	if from := c.FormValue("from"); from != "" {
		return "&from=" + url.QueryEscape(from)
	}
	return ""
}

// uploadRefusal is the status and message for an upload the library
// refused, in the studio's language; the library's own words follow
// where they name the detail (the font's parse error, the image's size).
func uploadRefusal(name string, err error) (int, string) {
	var tl *campaign.TooLargeError
	var inv *campaign.InvalidError
	switch {
	case errors.As(err, &tl):
		return http.StatusRequestEntityTooLarge, name + " er for stor: " + tl.Error() + "."
	case errors.Is(err, campaign.ErrInvalidAssetName):
		return http.StatusUnprocessableEntity, "Navnet „" + name + "“ kan ikke bruges: " + err.Error() + "."
	case errors.Is(err, campaign.ErrUnsupportedAsset):
		return http.StatusUnsupportedMediaType, name + " er hverken et PNG- eller JPEG-billede eller en TTF- eller OTF-skrift."
	case errors.Is(err, campaign.ErrBadAsset):
		return http.StatusUnprocessableEntity, name + " kan ikke læses: " + err.Error() + "."
	case errors.As(err, &inv):
		return http.StatusUnprocessableEntity, name + " ville give kampagnen fejl, så intet er lagt op: " + err.Error()
	case errors.Is(err, campaign.ErrConflict), errors.Is(err, campaign.ErrVersionMismatch):
		return http.StatusConflict, "Kampagnen blev ændret samtidig; intet er lagt op. Prøv igen."
	case errors.Is(err, campaign.ErrArchived):
		return http.StatusConflict, "Kampagnen er arkiveret; der kan ikke lægges filer op."
	}
	return http.StatusServiceUnavailable, "Filen kunne ikke gemmes (" + err.Error() + "). Intet er lagt op; prøv igen."
}

// uploadFailed answers a refused upload (see refused).
func (h *Handlers) uploadFailed(c echo.Context, id string, status int, msg string) error {
	return h.refused(c, id, nil, status, msg, nil)
}

// refused answers a post the studio could not carry out: JSON for the
// script, else the studio page with the message and yaml as the draft
// (nil: the published file).
func (h *Handlers) refused(c echo.Context, id string, yaml []byte, status int, msg string, problems []problemJSON) error {
	if wantsJSON(c) {
		return fail(c, status, msg, problems)
	}
	v, err := h.view(c, id, yaml)
	if err != nil {
		return err
	}
	v.Error = msg
	return h.render(c, status, "studio", v)
}
