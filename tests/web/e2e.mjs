// End-to-end test of the browser dashboard in headless Chromium (driven by playwright-core).
//
//   node tests/web/e2e.mjs --dist DIR --expected SUMMARY_JSON [--seed 2022] [--shots docs]
//
// Serves DIR (scripts/web-build's output) on 127.0.0.1, loads the page, clicks Run (at the
// position the app reports), waits for the default scenario to finish, and checks that the summary
// the browser produced is byte-identical to `drsim run`'s summary.json (EXPECTED), both from the
// app's run and from the run_scenario hook; takes a screenshot that must not be blank; with
// --shots, also a screenshot of each panel into that folder.
import { chromium } from "playwright-core";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { serve } from "./serve.mjs";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const dist = opt("--dist");
const expectedPath = opt("--expected");
const seed = Number(opt("--seed", "2022"));
const shots = opt("--shots", "");
if (!dist || !expectedPath) {
  console.error("usage: e2e.mjs --dist DIR --expected SUMMARY_JSON [--seed N] [--shots DIR]");
  process.exit(2);
}

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  console.log(`${ok ? "ok" : "FAIL"} - ${name}${detail ? ` (${detail})` : ""}`);
  if (ok) passed++;
  else failed++;
}

function firstDifference(a, b) {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return `lengths ${a.length} vs ${b.length}, first difference at byte ${i}: ` +
    `${JSON.stringify(a.slice(Math.max(0, i - 40), i + 40))} vs ${JSON.stringify(b.slice(Math.max(0, i - 40), i + 40))}`;
}

const expected = await readFile(expectedPath, "utf8");
const { server, url } = await serve(dist);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.on("console", (m) => {
  if (m.type() === "error") console.log(`[page] ${m.text()}`);
});
page.on("pageerror", (e) => console.log(`[page error] ${e.message}`));

const state = () => page.evaluate(() => JSON.parse(window.drsim.app_state()));

async function waitState(pred, what, timeoutMs = 600_000) {
  const t0 = Date.now();
  for (;;) {
    const s = await state();
    if (pred(s)) return s;
    if (Date.now() - t0 > timeoutMs) {
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(s).slice(0, 600)}`);
    }
    await page.waitForTimeout(200);
  }
}

// egui draws on input or when a run asks for it: nudge the pointer until `n` more frames are drawn.
async function waitFrames(n) {
  const f0 = (await state()).frames;
  const t0 = Date.now();
  for (let i = 0; ; i++) {
    const s = await state();
    if (s.frames >= f0 + n) return s;
    if (Date.now() - t0 > 120_000) throw new Error(`timed out waiting for ${n} frames`);
    await page.mouse.move(2 + (i % 2), 890);
    await page.waitForTimeout(150);
  }
}

async function click(target) {
  const s = await waitState((x) => x.targets && x.targets[target], `target ${target}`, 120_000);
  const [x, y] = s.targets[target];
  await page.mouse.click(x, y);
  await waitFrames(2);
}

async function load(fragment = "") {
  // A new document each time (a change of fragment alone would not reload the app).
  await page.goto("about:blank");
  await page.goto(url + fragment);
  await page.waitForFunction(() => window.drsimReady === true, null, { timeout: 180_000 });
  await waitState((s) => s.started && s.targets && s.targets.run, "the app's first frame", 180_000);
}

// Luminance variance of a PNG, computed in the page (a blank page has about 0).
async function variance(png) {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext("2d");
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let n = 0, sum = 0, sq = 0;
    for (let i = 0; i < d.length; i += 4) {
      const y = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
      n++;
      sum += y;
      sq += y * y;
    }
    const mean = sum / n;
    return sq / n - mean * mean;
  }, png.toString("base64"));
}

async function shot(name) {
  if (!shots) return;
  await waitFrames(3);
  await page.screenshot({ path: join(shots, `${name}.png`) });
  console.log(`  wrote ${join(shots, `${name}.png`)}`);
}

try {
  if (shots) await mkdir(shots, { recursive: true });
  await load();
  check("the page loads and the app draws", true);

  // Run the default scenario to the end, as a person would: click Run.
  const t0 = Date.now();
  await click("run");
  const done = await waitState((s) => s.main && s.main.finished, "the default run to finish");
  const wallS = (Date.now() - t0) / 1000;
  check("the default scenario runs to the end in the app", done.main.step === done.main.steps_total,
    `${done.main.steps_total} steps`);

  const appSummary = await page.evaluate(() => window.drsim.app_summary());
  check("the app's summary is byte-identical to drsim run's summary.json", appSummary === expected,
    appSummary === expected ? `${expected.length} bytes` : firstDifference(appSummary, expected));

  const hook = await page.evaluate((seed) => {
    const text = window.drsim.shipped_scenario("default.toml");
    const t = performance.now();
    const summary = window.drsim.run_scenario(text, seed);
    return { summary, ms: performance.now() - t };
  }, seed);
  check("run_scenario(toml, seed) returns drsim run's summary.json bytes", hook.summary === expected,
    hook.summary === expected ? "" : firstDifference(hook.summary, expected));

  const png = await page.screenshot();
  const v = await variance(png);
  check("the screenshot is not blank", v > 100, `luminance variance ${v.toFixed(0)}`);

  console.log(`timing: default scenario in the browser: ${(hook.ms / 1000).toFixed(2)} s (run_scenario, ` +
    `blocking); in the app ${(done.main.compute_ms / 1000).toFixed(2)} s of stepping, ` +
    `${wallS.toFixed(1)} s from click to done while drawing`);
  await writeFile(join(dist, "timing.json"), JSON.stringify({
    browser_run_scenario_s: hook.ms / 1000,
    browser_app_compute_s: done.main.compute_ms / 1000,
    browser_app_wall_s: wallS,
  }, null, 2));

  if (shots) {
    await shot("scenario");
    for (const [tab, name] of [["Grid", "grid"], ["Programs", "programs"], ["Customers", "customers"],
      ["Settlement", "settlement"]]) {
      await click(`tab:${tab}`);
      await shot(name);
    }
    // Teach: walk into the evening.
    await click("tab:Teach");
    await click("teach:start");
    await waitState((s) => s.teach_notes > 0, "the walk to reach 2 p.m.");
    for (let i = 0; i < 3; i++) {
      const n = (await state()).teach_notes;
      await click("teach:next60");
      await waitState((s) => s.teach_notes > n, "a status note");
    }
    for (let i = 0; i < 4; i++) {
      const n = (await state()).teach_notes;
      await click("teach:seek");
      await waitState((s) => s.teach_notes > n, "the next happening", 120_000);
    }
    await shot("teach");
    // Edit the book through a link (a third of homes apply to SDP A/C cycling), then Compare.
    await load("#s=default.toml&seed=2022&o=population.0.enrolment.SDP%3D0.33");
    const st = await state();
    check("a link restores the edit", st.overrides.includes("population.0.enrolment.SDP=0.33"),
      JSON.stringify(st.overrides));
    await click("tab:Program editor");
    await click("program:SDP");
    await shot("editor");
    await click("tab:Compare");
    await click("compare:run");
    await waitState((s) => s.compare && s.compare.every((j) => j.finished), "A and B to finish");
    await shot("compare");
    // Market and aggregators: the third-party scenario, run to the end.
    await load("#s=third-party-2022.toml&seed=24");
    await click("run");
    await waitState((s) => s.main && s.main.finished, "the third-party run to finish", 300_000);
    await click("tab:Market");
    await shot("market");
  }
} catch (e) {
  check("the end-to-end run completes", false, e.message);
} finally {
  await browser.close();
  server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
