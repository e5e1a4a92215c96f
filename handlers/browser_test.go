package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"qianfa/demo"
	"qianfa/report"
)

const chromiumPath = "/usr/bin/chromium"

// newBrowser starts a headless Chromium with a fresh profile. Without Chromium the
// test is skipped, except on CI where it must fail.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium is required on CI: %v", err)
		}
		t.Skip("chromium is not installed (apt-get install -y chromium fonts-wqy-microhei)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath), chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-quic", true), chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// browse runs steps, failing the test with what it was doing.
func browse(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// waitFor polls a JavaScript condition in the page. A form post navigates away while
// the poll runs, which ends it with an error; the poll then starts again on the new page.
func waitFor(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		deadline := time.Now().Add(10 * time.Second)
		for {
			_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(time.Until(deadline))))
			if err == nil {
				return nil
			}
			if ctx.Err() != nil || time.Now().After(deadline) {
				return fmt.Errorf("waiting for %s: %w", expr, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

func textOf(sel string) string {
	return "((document.querySelector(" + jsString(sel) + ")||{}).textContent||'')"
}

// clearField empties an input or textarea, so that typing replaces its text.
func clearField(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.getElementById(`+jsString(id)+`).value = "", true)`))
		return err
	})
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// signIn logs in through the form, from a signed-out browser.
func signIn(base, username string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), demo.Password),
		chromedp.Click(chromedp.CSS(`main button[type="submit"]`)),
		waitFor(`document.querySelector("header .who") !== null`),
	)
}

func signOut() chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Click(chromedp.CSS(`form.logout button`)),
		waitFor(`location.pathname === "/login" && document.querySelector("header .who") === null`),
	)
}

// screenshot writes a PNG to $QIANFA_SCREENSHOTS/name when that is set: the full page,
// or only the viewport (a phone screen).
func screenshot(t *testing.T, name string, full bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		dir := os.Getenv("QIANFA_SCREENSHOTS")
		if dir == "" {
			return nil
		}
		shot := chromedp.CaptureScreenshot()
		if full {
			shot = chromedp.FullScreenshot(100)
		}
		png, err := chromedp.Run(ctx, shot)
		if err != nil {
			return err
		}
		if !filepath.IsAbs(dir) {
			dir = filepath.Join("..", dir) // tests run in handlers/, paths are given from the repository root
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		t.Logf("screenshot %s", filepath.Join(dir, name))
		return os.WriteFile(filepath.Join(dir, name), png, 0o644)
	})
}

// typeCell replaces a cell's value by typing, so the page sees real input events.
func typeCell(path, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		clearField(cellID(path)),
		chromedp.SendKeys(chromedp.ID(cellID(path)), value),
	)
}

// TestBrowserWorkflow walks one report from the drafter's typo to the public page.
func TestBrowserWorkflow(t *testing.T) {
	p := newPageSite(t)
	ctx := newBrowser(t)
	base := p.srv.URL
	seed, err := report.Decode(demoSeed(t))
	if err != nil {
		t.Fatal(err)
	}
	const totalCell = "t3.r3_7_total.natural_person"
	good, _ := seed.Value(totalCell)
	totalID := cellID(totalCell)

	browse(t, ctx, "drafter types a wrong total", signIn(base, "drafter"),
		chromedp.Navigate(base+"/reports/1/edit"),
		typeCell(totalCell, "9999"),
		waitFor(`document.getElementById("`+totalID+`").classList.contains("invalid") && `+
			`document.getElementById("`+totalID+`").getAttribute("aria-invalid") === "true"`),
		waitFor(textOf("#findings")+`.includes("T3-R1")`),
		waitFor(`document.querySelector('button[value="submit"]').disabled`),
		chromedp.Click(chromedp.CSS(`#findings .finding.error button[data-focus="`+totalID+`"]`)),
		waitFor(`document.activeElement.id === "`+totalID+`"`),
		screenshot(t, "editor.png", true),
	)
	browse(t, ctx, "drafter fixes it and submits",
		typeCell(totalCell, good.String()),
		waitFor(`!document.getElementById("`+totalID+`").classList.contains("invalid") && !`+textOf("#findings")+`.includes("T3-R1")`),
		waitFor(`!document.querySelector('button[value="submit"]').disabled`),
		chromedp.Click(chromedp.CSS(`button[value="submit"]`)),
		waitFor(textOf(".flash")+` === "已保存并提交保密审查"`),
		signOut(),
	)
	browse(t, ctx, "reviewer returns it", signIn(base, "reviewer"),
		chromedp.Navigate(base+"/reports/1"),
		chromedp.SendKeys(chromedp.ID("comment"), "请核对表三的办理结果总计"),
		chromedp.Click(chromedp.CSS(`button[value="return"]`)),
		waitFor(textOf(".flash")+` === "已退回。"`),
		signOut(),
	)
	browse(t, ctx, "drafter reads the comment, edits and resubmits", signIn(base, "drafter"),
		chromedp.Navigate(base+"/reports/1/edit"),
		waitFor(textOf(".comments")+`.includes("请核对表三的办理结果总计")`),
		chromedp.SendKeys(chromedp.ID("s-problems"), "已核对表三。"),
		chromedp.Click(chromedp.CSS(`button[value="submit"]`)),
		waitFor(textOf(".flash")+` === "已保存并提交保密审查"`),
		signOut(),
	)
	browse(t, ctx, "reviewer sees the change and approves", signIn(base, "reviewer"),
		chromedp.Navigate(base+"/reports/1"),
		waitFor(textOf("#diff-h")+`.includes("第 1 版") && `+textOf("main")+`.includes("已核对表三。")`),
		chromedp.Click(chromedp.CSS(`button[value="approve"]`)),
		waitFor(textOf(".flash")+` === "已通过。"`),
		signOut(),
	)
	browse(t, ctx, "leader approves on a phone", signIn(base, "leader"),
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(base+"/reports/1"),
		waitFor(`document.documentElement.scrollWidth <= 390`),
		chromedp.SendKeys(chromedp.ID("reauth"), demo.Password),
		screenshot(t, "review-phone.png", false),
		chromedp.Click(chromedp.CSS(`button[value="approve"]`)),
		waitFor(textOf(".status-line .state")+` === "已签发"`),
		chromedp.EmulateViewport(1280, 900),
		signOut(),
	)
	browse(t, ctx, "publisher publishes", signIn(base, "publisher"),
		chromedp.Navigate(base+"/reports/1"),
		chromedp.Click(chromedp.CSS(`button[value="publish"]`)),
		waitFor(textOf(".status-line .state")+` === "已公开"`),
		signOut(),
	)
	cell := "t3.r1_new_received.natural_person"
	want, _ := seed.Value(cell)
	browse(t, ctx, "a visitor reads the public report",
		chromedp.Navigate(base+"/public/reports"),
		chromedp.Click(chromedp.CSS(`a[href="/public/reports/`+demo.AgencyCode+`/2020"]`)),
		waitFor(`(document.querySelector('[data-path="`+cell+`"]')||{}).textContent === "`+want.String()+`"`),
		waitFor(`document.querySelector("header .who") === null`),
		screenshot(t, "public.png", true),
	)
	checkPublicJSON(t, p)
}

func demoSeed(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../demo/haiyan-minzheng-2020.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkPublicJSON compares the interchange download with the stored
// publication: the same document, in the interchange form (stored compact).
func checkPublicJSON(t *testing.T, p *pageSite) {
	t.Helper()
	res, err := http.Get(p.srv.URL + "/public/reports/" + demo.AgencyCode + "/2020.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	pubs, err := p.store.Publications(context.Background(), 1)
	if err != nil || len(pubs) != 1 {
		t.Fatalf("publications: %d %v", len(pubs), err)
	}
	doc, err := report.Decode([]byte(pubs[0].Content))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := doc.Encode()
	if res.StatusCode != http.StatusOK || string(body) != string(want) || len(pubs[0].Content) >= len(want) {
		t.Fatalf("public JSON: %d, the publication's interchange form: %v, stored %d bytes against %d",
			res.StatusCode, string(body) == string(want), len(pubs[0].Content), len(want))
	}
}

// TestBrowserStaleSaveKeepsTheText saves over a version someone else replaced.
func TestBrowserStaleSaveKeepsTheText(t *testing.T) {
	p := newPageSite(t)
	ctx := newBrowser(t)
	base := p.srv.URL
	const mine = "我写的总体情况，不能丢失。"
	browse(t, ctx, "open the editor", signIn(base, "drafter"), chromedp.Navigate(base+"/reports/1/edit"))
	otherSave(t, p, "他人保存的总体情况。")
	browse(t, ctx, "save over the other version",
		clearField("s-overview"),
		chromedp.SendKeys(chromedp.ID("s-overview"), mine),
		chromedp.Click(chromedp.CSS(`button[value="save"]`)),
		waitFor(`document.querySelector(".conflict") !== null`),
		waitFor(`document.getElementById("s-overview").value === `+jsString(mine)),
		waitFor(textOf(".conflict")+`.includes("他人保存的总体情况。")`),
		chromedp.Click(chromedp.CSS(`button[value="save"]`)),
		waitFor(textOf(".flash")+` === "已保存"`),
	)
	r, err := p.store.ReportByID(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := report.Decode([]byte(r.Content))
	if err != nil || doc.Sections.Overview != mine {
		t.Fatalf("stored overview %q (%v), want %q", doc.Sections.Overview, err, mine)
	}
}

// otherSave stores a new overview as the drafter would from another browser.
func otherSave(t *testing.T, p *pageSite, overview string) {
	t.Helper()
	ctx := context.Background()
	r, err := p.store.ReportByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := report.Decode([]byte(r.Content))
	if err != nil {
		t.Fatal(err)
	}
	doc.Sections.Overview = overview
	b, err := doc.Encode()
	if err != nil {
		t.Fatal(err)
	}
	u, err := p.store.UserByUsername(ctx, "drafter")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.store.SaveContent(ctx, u.AuditActor(), 1, r.Version, string(b), r.ErrorCount, r.WarningCount); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserScriptTextIsInert shows a comment holding a script, which must not run.
func TestBrowserScriptTextIsInert(t *testing.T) {
	p := newPageSite(t)
	ctx := newBrowser(t)
	base := p.srv.URL
	attack := `<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>`
	otherSave(t, p, attack)
	browse(t, ctx, "view the narrative", signIn(base, "drafter"),
		chromedp.Navigate(base+"/reports/1"),
		waitFor(textOf(".preview")+`.includes(`+jsString(attack)+`)`),
		chromedp.Navigate(base+"/reports/1/edit"),
		waitFor(`document.getElementById("s-overview").value === `+jsString(attack)),
		waitFor(`window.pwned === undefined && document.querySelectorAll("main img, main script").length === 0`),
	)
}

// TestBrowserCorrection corrects a published report: the drafter gives the reason, the
// report goes through review and sign-off again, and the public page then shows the new
// numbers with the 更正说明 listing both publications.
func TestBrowserCorrection(t *testing.T) {
	p := newPageSite(t)
	ctx := newBrowser(t)
	base := p.srv.URL
	p.agency("330424-jyj", "海盐县教育局")
	wjw := p.agency("330424-wjw", "海盐县卫生健康局")
	p.importReport(wjw, "330424-wjw-d", seedWith(t, 3))
	p.clock.set(time.Now().Add(-50 * time.Hour))
	p.publishAs(1, "drafter", "reviewer", []string{"leader"}, "publisher")
	p.clock.set(time.Time{})

	browse(t, ctx, "the supervisor sees the region", signIn(base, "supervisor"),
		chromedp.Navigate(base+"/dashboard?year=2020"),
		waitFor(`Array.from(document.querySelectorAll("table.dashboard tbody tr")).map(r => r.dataset.agency).join(" ") === "330424-jyj 330424-wjw 330424-mzj"`),
		screenshot(t, "dashboard.png", true),
		signOut(),
	)
	const reason = "表三申请数量录入有误，予以更正"
	browse(t, ctx, "drafter starts a correction", signIn(base, "drafter"),
		chromedp.Navigate(base+"/reports/1"),
		chromedp.SendKeys(chromedp.ID("comment"), reason),
		chromedp.Click(chromedp.CSS(`button[value="correct"]`)),
		waitFor(textOf(".status-line .state")+` === "起草中"`),
		chromedp.Navigate(base+"/reports/1/edit"),
	)
	var fix []chromedp.Action[chromedp.Void]
	for _, row := range []string{"r1_new_received", "r3_1_disclosed", "r3_7_total"} {
		fix = append(fix, typeCell("t3."+row+".natural_person", "2"), typeCell("t3."+row+".total", "2"))
	}
	fix = append(fix,
		waitFor(`!document.querySelector('button[value="submit"]').disabled`),
		chromedp.Click(chromedp.CSS(`button[value="submit"]`)),
		waitFor(textOf(".flash")+` === "已保存并提交保密审查"`),
		signOut())
	browse(t, ctx, "drafter corrects the numbers and submits", fix...)
	browse(t, ctx, "reviewer approves the correction", signIn(base, "reviewer"),
		chromedp.Navigate(base+"/reports/1"),
		chromedp.Click(chromedp.CSS(`button[value="approve"]`)),
		waitFor(textOf(".flash")+` === "已通过。"`),
		signOut(),
	)
	browse(t, ctx, "leader signs it off", signIn(base, "leader"),
		chromedp.Navigate(base+"/reports/1"),
		chromedp.SendKeys(chromedp.ID("reauth"), demo.Password),
		chromedp.Click(chromedp.CSS(`button[value="approve"]`)),
		waitFor(textOf(".status-line .state")+` === "已签发"`),
		signOut(),
	)
	browse(t, ctx, "publisher publishes the correction", signIn(base, "publisher"),
		chromedp.Navigate(base+"/reports/1"),
		chromedp.Click(chromedp.CSS(`button[value="publish"]`)),
		waitFor(textOf(".status-line .state")+` === "已公开"`),
		signOut(),
	)
	pubs, err := p.store.Publications(context.Background(), 1)
	if err != nil || len(pubs) != 2 {
		t.Fatalf("publications: %d %v", len(pubs), err)
	}
	first, second := publicTime(pubs[0].PublishedAt), publicTime(pubs[1].PublishedAt)
	browse(t, ctx, "a visitor reads the corrected report",
		chromedp.Navigate(base+"/public/reports/"+demo.AgencyCode+"/2020"),
		waitFor(`(document.querySelector('.public-report [data-path="t3.r1_new_received.natural_person"]')||{}).textContent === "2"`),
		waitFor(`Array.from(document.querySelectorAll(".versions time")).map(e => e.textContent).join("|") === `+jsString(first+"|"+second)),
		waitFor(textOf("#version-2 .correction-reason")+` === `+jsString(reason)),
		waitFor(textOf(`#version-2 [data-change="t3.r1_new_received.natural_person"]`)+`.includes("0 → 2")`),
		screenshot(t, "public-correction.png", true),
		chromedp.Click(chromedp.CSS(`#version-1 a`)),
		waitFor(`(document.querySelector('.public-report [data-path="t3.r1_new_received.natural_person"]')||{}).textContent === "0"`),
	)
	if first == second {
		t.Fatalf("both publications at %s", first)
	}
}

// TestBrowserCarriedCellAsksForAReason changes a value carried over from last year: the
// page asks for the reason at once, and the save goes through only with one.
func TestBrowserCarriedCellAsksForAReason(t *testing.T) {
	p := newPageSite(t)
	ctx := newBrowser(t)
	base := p.srv.URL
	p.publishAs(1, "drafter", "reviewer", []string{"leader"}, "publisher")
	const cell = "t3.r2_carried_over_in.natural_person"
	reason := "#" + cellID(cell) + "-reason"
	browse(t, ctx, "drafter starts 2021 from 2020", signIn(base, "drafter"),
		chromedp.Navigate(base+"/reports"),
		chromedp.SetValue(chromedp.ID("new-year"), "2021"),
		chromedp.Click(chromedp.ID("new-from-previous")),
		chromedp.Click(chromedp.CSS(`#new-report ~ form button[type="submit"]`)),
		waitFor(textOf(".flash")+` === "已新建2021年度报告草稿，已从上一年度已公开报告结转"`),
		waitFor(`document.querySelector(`+jsString(reason)+`).closest(".carry-reason").hidden`),
		typeCell(cell, "2"),
		waitFor(`!document.querySelector(`+jsString(reason)+`).closest(".carry-reason").hidden`),
		chromedp.Click(chromedp.CSS(`button[value="save"]`)),
		waitFor(textOf(".flash")+` === "修改了上年结转的数值，请在标出的单元格下填写修改原因，尚未保存"`),
		waitFor(`document.getElementById(`+jsString(cellID(cell))+`).value === "2" && `+
			`document.querySelector(`+jsString(reason)+`).getAttribute("aria-invalid") === "true"`),
		chromedp.SendKeys(chromedp.CSS(reason), "两件申请已撤回"),
		chromedp.Click(chromedp.CSS(`button[value="save"]`)),
		waitFor(textOf(".flash")+` === "已保存"`),
		waitFor(`document.querySelector(`+jsString(reason)+`).value === "两件申请已撤回"`),
	)
}
