// Drives headless Chromium over the DevTools protocol (a pipe: no WebSocket, no npm package):
// opens the page from file:// with the network shut off, gives it files through its file
// input (the same handler as a drop), waits until they are checked and prints what the page
// shows as JSON. Used by tests/browser.rs; also the in-browser timing for docs/performance.md.
//
//   node tests/browser/check.mjs <chromium> <page.html> <screenshot.png> [<file>...]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [chromium, page, shot, ...files] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), 'nblint-chromium-'));
const browser = spawn(chromium, [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND', '--proxy-server=127.0.0.1:9', // no network
  `--user-data-dir=${profile}`, '--remote-debugging-pipe', 'about:blank',
], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });

let seq = 0, buf = '';
const waiting = new Map(), listeners = [];
browser.stdio[4].on('data', (chunk) => {
  buf += chunk.toString('utf8');
  let i;
  while ((i = buf.indexOf('\0')) >= 0) {
    const msg = JSON.parse(buf.slice(0, i));
    buf = buf.slice(i + 1);
    if (msg.id && waiting.has(msg.id)) {
      const { ok, fail } = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (msg.error) fail(new Error(`${JSON.stringify(msg.error)}`)); else ok(msg.result);
    } else listeners.forEach((l) => l(msg));
  }
});
function send(method, params = {}, sessionId) {
  const id = ++seq;
  browser.stdio[3].write(JSON.stringify({ id, method, params, sessionId }) + '\0');
  return new Promise((ok, fail) => waiting.set(id, { ok, fail }));
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const { targetInfos } = await send('Target.getTargets');
  const pageTarget = targetInfos.find((t) => t.type === 'page');
  const { sessionId: s } = await send('Target.attachToTarget', { targetId: pageTarget.targetId, flatten: true });
  const errors = [];
  listeners.push((m) => {
    if (m.sessionId === s && m.method === 'Runtime.exceptionThrown') errors.push(m.params.exceptionDetails.text);
  });
  await send('Runtime.enable', {}, s);
  await send('Page.enable', {}, s);
  await send('Emulation.setDeviceMetricsOverride', { width: 1400, height: 900, deviceScaleFactor: 1, mobile: false }, s);
  const loaded = new Promise((ok) => listeners.push((m) => { if (m.sessionId === s && m.method === 'Page.loadEventFired') ok(); }));
  await send('Page.navigate', { url: pathToFileURL(resolve(page)).href }, s);
  await loaded;
  const evaluate = async (expression) => (await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, s)).result.value;
  if (files.length) { // the page: check the files; a report (no files) shows what it has
    const { root } = await send('DOM.getDocument', {}, s);
    const { nodeId } = await send('DOM.querySelector', { nodeId: root.nodeId, selector: '#pick' }, s);
    await send('DOM.setFileInputFiles', { nodeId, files: files.map((f) => resolve(f)) }, s);
    for (let i = 0; i < 600 && (await evaluate('document.body.dataset.checked')) !== String(files.length); i++) await sleep(50);
  }
  // Every file, as the page shows it: select its card, then read the summary and the marks.
  const shown = await evaluate(`(async () => {
    const out = [];
    const cards = document.querySelectorAll('#files .card');
    for (let i = 0; i < cards.length; i++) {
      document.querySelectorAll('#files .card')[i].click();
      const f = window.nblint.state.files[i];
      const n = (sel) => document.querySelectorAll(sel).length;
      out.push({
        path: f.path, counts: f.counts,
        card: document.querySelectorAll('#files .card')[i].innerText,
        findings: [...document.querySelectorAll('#findings .finding')].map((e) => {
          const d = f.diagnostics[+e.dataset.f];
          return { code: d.code, severity: d.severity, message: d.message, line: d.line, where: e.querySelector('.where').innerText };
        }),
        doc_cells_hit: [...document.querySelectorAll('#doc td.hit')].flatMap((e) => e.dataset.d.split(' ').map((i) => [e.innerText, f.diagnostics[+i].code])),
        glance_cells_hit: [...document.querySelectorAll('#glance td.hit')].flatMap((e) => e.dataset.d.split(' ').map((i) => [e.innerText, f.diagnostics[+i].code])),
        marks: n('#doc mark'), tables: n('#doc table'), glance_tables: n('#glance table'),
      });
    }
    return out;
  })()`);
  // From the page's load to the findings of every file (the module compiled and the rules
  // loaded on the way), then per file with the module ready: each file alone, fastest of five.
  const first = await evaluate('window.nblint.state.lastMs');
  const ms = await evaluate(`(async () => {
    const raw = window.nblint.state.raw, out = {};
    for (const r of raw) {
      let best = Infinity;
      for (let k = 0; k < 5; k++) { const t0 = performance.now(); await window.nblint.recheck([r]); best = Math.min(best, performance.now() - t0); }
      out[r.name] = Math.round(best * 10) / 10;
    }
    return out;
  })()`);
  // The screenshot: the first file with a table finding, that finding selected (its cell
  // scrolled to).
  await evaluate(`(() => {
    const fs = window.nblint.state.files, has = (f) => f.diagnostics.some((d) => d.code.startsWith('NB2'));
    const k = Math.max(0, fs.findIndex(has));
    document.querySelectorAll('#files .card')[k].click();
    const f = fs[k], i = f.diagnostics.findIndex((d) => d.code.startsWith('NB2'));
    const e = document.querySelector('#findings .finding[data-f="' + i + '"]') || document.querySelector('#findings .finding');
    if (e) e.click(); })()`);
  await sleep(900);
  const png = await send('Page.captureScreenshot', { format: 'png' }, s);
  writeFileSync(shot, Buffer.from(png.data, 'base64'));
  const size = await evaluate('document.documentElement.outerHTML.length');
  process.stdout.write(JSON.stringify({ files: shown, first_ms: first, ms, errors, html_chars: size }) + '\n');
}

main().then(() => 0, (e) => { process.stderr.write(`${e.stack || e}\n`); return 1; }).then(async (code) => {
  // Chromium's helper processes may still write to the profile for a moment after the main
  // one is gone (an rmdir then fails with ENOTEMPTY): wait for the exit, retry the removal,
  // and never let a leftover temporary directory decide the result.
  const exited = browser.exitCode !== null || browser.signalCode !== null
    ? Promise.resolve()
    : new Promise((done) => browser.once('exit', done));
  browser.kill();
  await Promise.race([exited, sleep(5000)]);
  try {
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  } catch (e) {
    process.stderr.write(`note: could not remove ${profile}: ${e.code || e}\n`);
  }
  process.exit(code);
});
