package server

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"github.com/sharecard/sharecard/internal/report"
	"github.com/sharecard/sharecard/internal/share"
)

// takedownWords are the report form's and its thank-you page's words.
type takedownWords struct {
	Title, Heading, Intro        string
	About                        string // "Det gælder kortet til %s."
	Reasons                      map[report.Reason]string
	ReasonLegend                 string
	Detail, Contact, ContactHint string
	Optional, Send, NoTrace      string
	Problems                     map[report.Problem]string
	TooMany, Full, FullContact   string // FullContact has one %s: the campaign's address
	SentTitle, SentHeading       string
	Sent                         []string
	Back                         string
}

var takedownText = map[string]takedownWords{
	"da": {
		Title:   "Rapportér eller fjern kortet",
		Heading: "Rapportér eller fjern dette kort",
		Intro:   "Er kortet krænkende, handler det om dig, og vil du ikke stå på det, eller bliver kampagnen misbrugt? Fortæl kampagnens team det her, så ser de på det.",
		About:   "Det gælder kortet til %s.",
		Reasons: map[report.Reason]string{
			report.Offensive: "Kortet er krænkende eller stødende",
			report.AboutMe:   "Kortet handler om mig, og jeg vil have det fjernet",
			report.Misuse:    "Nogen udgiver sig for at være en anden eller misbruger kampagnen",
			report.Other:     "Noget andet",
		},
		ReasonLegend: "Hvorfor rapporterer du kortet?",
		Detail:       "Fortæl gerne mere",
		Contact:      "Din e-mail eller dit telefonnummer",
		ContactHint:  "Kun hvis du vil have svar. Vi bruger det kun til at svare dig om denne rapport.",
		Optional:     "(valgfri)",
		Send:         "Send rapporten",
		NoTrace:      "Vi gemmer ikke din IP-adresse, din browser eller andet om dig – kun det, du skriver her.",
		Problems: map[report.Problem]string{
			report.NoReason:     "Vælg, hvorfor du rapporterer kortet.",
			report.DetailLong:   fmt.Sprintf("Beskrivelsen er for lang: højst %s tegn.", danishThousands(report.MaxDetail)),
			report.DetailChars:  "Beskrivelsen indeholder usynlige tegn eller kontroltegn. Skriv den uden dem.",
			report.ContactLong:  fmt.Sprintf("Kontaktoplysningen er for lang: højst %d tegn.", report.MaxContact),
			report.ContactWrong: "Skriv en e-mailadresse (navn@eksempel.dk) eller et telefonnummer – eller lad feltet stå tomt.",
		},
		TooMany:     "Der er sendt flere rapporter herfra på kort tid. Vent et minut, og prøv igen.",
		Full:        "Kampagnens team har lige nu mange rapporter, de ikke har nået at se, og kan ikke tage imod flere. Prøv igen senere.",
		FullContact: "Kampagnens team har lige nu mange rapporter, de ikke har nået at se, og kan ikke tage imod flere. Prøv igen senere, eller skriv til %s.",
		SentTitle:   "Tak for din rapport",
		SentHeading: "Tak for din rapport",
		Sent: []string{
			"Kampagnens team ser på kortet så hurtigt som muligt.",
			"Krænker kortet nogen, eller bliver det misbrugt, trækker teamet linket tilbage. Så viser linket ikke længere kortet – heller ikke for dem, der allerede har fået det.",
			"Har du skrevet en e-mail eller et telefonnummer, bruges det kun til at svare dig om denne rapport.",
			"Vi har ikke gemt din IP-adresse eller andet om dig.",
		},
		Back: "Til kampagnens side",
	},
	"en": {
		Title:   "Report or remove the card",
		Heading: "Report or remove this card",
		Intro:   "Is the card offensive, is it about you and you do not want to be on it, or is the campaign being misused? Tell the campaign team here and they will look into it.",
		About:   "This is about the card for %s.",
		Reasons: map[report.Reason]string{
			report.Offensive: "The card is offensive or hurtful",
			report.AboutMe:   "The card is about me and I want it removed",
			report.Misuse:    "Someone is impersonating another person or misusing the campaign",
			report.Other:     "Something else",
		},
		ReasonLegend: "Why are you reporting the card?",
		Detail:       "Tell us more if you like",
		Contact:      "Your e-mail or phone number",
		ContactHint:  "Only if you want an answer. We use it only to reply to you about this report.",
		Optional:     "(optional)",
		Send:         "Send the report",
		NoTrace:      "We do not store your IP address, your browser or anything else about you – only what you write here.",
		Problems: map[report.Problem]string{
			report.NoReason:     "Choose why you are reporting the card.",
			report.DetailLong:   fmt.Sprintf("The description is too long: at most %s characters.", englishThousands(report.MaxDetail)),
			report.DetailChars:  "The description contains invisible or control characters. Please write it without them.",
			report.ContactLong:  fmt.Sprintf("The contact is too long: at most %d characters.", report.MaxContact),
			report.ContactWrong: "Write an e-mail address (name@example.com) or a phone number – or leave the field empty.",
		},
		TooMany:     "Several reports have been sent from here in a short time. Please wait a minute and try again.",
		Full:        "The campaign team has many reports it has not yet looked at and cannot take more right now. Please try again later.",
		FullContact: "The campaign team has many reports it has not yet looked at and cannot take more right now. Please try again later, or write to %s.",
		SentTitle:   "Thank you for your report",
		SentHeading: "Thank you for your report",
		Sent: []string{
			"The campaign team will look at the card as soon as they can.",
			"If the card hurts someone or is being misused, the team withdraws the link. The link then no longer shows the card – not even to people who already have it.",
			"If you gave an e-mail address or phone number, it is used only to reply to you about this report.",
			"We have not stored your IP address or anything else about you.",
		},
		Back: "To the campaign page",
	},
}

func danishThousands(n int) string  { return thousands(n, ".") }
func englishThousands(n int) string { return thousands(n, ",") }

func thousands(n int, sep string) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	return s
}

type reasonChoice struct {
	Value, Label, ID string
	Checked          bool
}

// takedownData is what takedown.html shows: the form, or (Sent) the
// thank-you page.
type takedownData struct {
	Lang, Title, StyleURL, Event string
	Heading, Intro, About        string
	Sent                         bool
	FormURL                      string
	Error, ErrorField            string
	Reasons                      []reasonChoice
	Form                         report.Input
	W                            takedownWords
	BackURL                      string
	Footer                       footer
	Bar                          langBar
}

func (a *app) renderTakedown(c echo.Context, status int, inv share.Invitation, sent bool, in report.Input, problem string, field string) error {
	camp := inLanguage(c, inv.Camp)
	lg := camp.Lang()
	w := wordsFor(takedownText, lg)
	d := takedownData{
		Lang: lg, Title: w.Title, StyleURL: a.assets.styleURL(camp), Event: camp.Texts.Event,
		Heading: w.Heading, Intro: w.Intro, About: fmt.Sprintf(w.About, inv.Name),
		Sent: sent, FormURL: reportPath(inv.Token) + navLang(camp), Error: problem, ErrorField: field,
		Form: in, W: w, BackURL: "/c/" + camp.ID + navLang(camp), Bar: a.langBarOf(camp, takedownPath(inv.Token, sent)),
		Footer: footerFor(camp, lg, inv.Token),
	}
	if sent {
		d.Title, d.Heading = w.SentTitle, w.SentHeading
	}
	for _, r := range report.Reasons {
		d.Reasons = append(d.Reasons, reasonChoice{Value: string(r), Label: w.Reasons[r], ID: "reason-" + string(r), Checked: in.Reason == string(r)})
	}
	var buf bytes.Buffer
	if err := a.pages.ExecuteTemplate(&buf, "takedown.html", d); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// reportForm serves GET /i/:token/report.
func (a *app) reportForm() echo.HandlerFunc {
	return func(c echo.Context) error {
		inv, err := a.invitation(c)
		if err != nil {
			return err
		}
		return a.renderTakedown(c, http.StatusOK, inv, false, report.Input{}, "", "")
	}
}

// reportSent serves GET /i/:token/report/sent, the thank-you page the
// form's post leads to (a reload does not send the report again).
func (a *app) reportSent() echo.HandlerFunc {
	return func(c echo.Context) error {
		inv, err := a.invitation(c)
		if err != nil {
			return err
		}
		return a.renderTakedown(c, http.StatusOK, inv, true, report.Input{}, "", "")
	}
}

// reportsPerMinute bounds the reports one client may send: enough for a
// person who reports a few cards, not for a script filling the list.
const reportsPerMinute = 5

func newReportLimiter() *middleware.RateLimiterMemoryStore {
	return middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: rate.Limit(float64(reportsPerMinute) / 60), Burst: reportsPerMinute, ExpiresIn: 3 * time.Minute,
	})
}

// sendReport serves POST /i/:token/report: the report is stored with the
// invitation's fingerprint and token, the reason and what the reporter
// wrote. The client's address is used only, in memory, by the rate limit;
// it is never stored or logged with the report.
func (a *app) sendReport() echo.HandlerFunc {
	return func(c echo.Context) error {
		inv, err := a.invitation(c)
		if err != nil {
			return err
		}
		if _, err := c.FormParams(); err != nil {
			return formError(err)
		}
		inCamp := inLanguage(c, inv.Camp)
		w := wordsFor(takedownText, inCamp.Lang())
		in := report.Input{Reason: c.FormValue("reason"), Detail: c.FormValue("detail"), Contact: c.FormValue("contact")}
		clean, err := report.Clean(in)
		var fe *report.FieldError
		if errors.As(err, &fe) {
			return a.renderTakedown(c, http.StatusUnprocessableEntity, inv, false, in, w.Problems[fe.Problem], fe.Field)
		}
		if ok, _ := a.reportLimit.Allow(c.RealIP()); !ok {
			c.Response().Header().Set("Retry-After", "60")
			return a.renderTakedown(c, http.StatusTooManyRequests, inv, false, in, w.TooMany, "")
		}
		r, err := a.reports.Add(c.Request().Context(), report.Report{
			Campaign: inv.Camp.ID, Fingerprint: inv.Fingerprint, Token: inv.Token,
			Reason: report.Reason(clean.Reason), Detail: clean.Detail, Contact: clean.Contact, CreatedAt: a.now().UTC(),
		})
		if errors.Is(err, report.ErrFull) {
			msg := w.Full
			if inv.Camp.Contact != "" {
				msg = fmt.Sprintf(w.FullContact, inv.Camp.Contact)
			}
			c.Response().Header().Set("Retry-After", "3600")
			return a.renderTakedown(c, http.StatusServiceUnavailable, inv, false, in, msg, "")
		}
		if err != nil {
			return fmt.Errorf("store a report: %w", err)
		}
		a.log.Info("card reported", "campaign", inv.Camp.ID, "report", r.ID, "reason", string(r.Reason))
		return c.Redirect(http.StatusSeeOther, reportPath(inv.Token)+"/sent"+navLang(inCamp))
	}
}

// apiReport is a report as the admin API gives it, with the card's page.
type apiReport struct {
	report.Report
	PageURL string `json:"page_url"`
}

type reportList struct {
	Campaign string      `json:"campaign"`
	Open     int         `json:"open"`
	Reports  []apiReport `json:"reports"`
}

// listReports serves GET /api/v1/campaigns/:id/reports (Bearer): the
// campaign's take-down reports, open ones first, newest first.
func (a *app) listReports() echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Param("id")
		if _, ok := a.share.Campaigns().Lookup(id); !ok {
			return echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("campaign %q not found", id))
		}
		rs, err := a.reports.List(c.Request().Context(), id)
		if err != nil {
			a.log.Error("list reports", "campaign", id, "err", err)
			return echo.NewHTTPError(http.StatusServiceUnavailable, "the report store did not answer; try again shortly")
		}
		out := reportList{Campaign: id, Reports: make([]apiReport, 0, len(rs))}
		for _, r := range rs {
			if r.Status == report.Open {
				out.Open++
			}
			out.Reports = append(out.Reports, apiReport{Report: r, PageURL: a.links.Page(r.Token)})
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.JSON(http.StatusOK, out)
	}
}

// takedownPath is the report form's address, or its thank-you page's.
func takedownPath(token string, sent bool) string {
	if sent {
		return reportPath(token) + "/sent"
	}
	return reportPath(token)
}
