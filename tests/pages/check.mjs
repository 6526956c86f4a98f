#!/usr/bin/env node
// Page-quality gate for the site that `cong build` writes.
//
//   node tests/pages/check.mjs SITE_DIR [REL_PATH ...] [--max N] [--jobs N]
//   node tests/pages/check.mjs --self-test
//
// For each page it runs:
//   [axe]    axe-core, WCAG 2.0/2.1 level A and AA rules, in headless Chromium (1280x800);
//   [reflow] at a 320 CSS px wide viewport the page must not scroll sideways (WCAG 1.4.10);
//   [load]   every request the page makes must be to this site and must succeed, and the page
//            must throw no uncaught script error;
//   [vnu]    the Nu Html Checker (one JVM for all pages), errors only.
// A page passes when none of them reports a problem. The last line is
// `pages: N passed, M failed`; the exit code is 0 when all passed, 1 when any failed, 2 when the
// checker itself could not run. See README.md beside this file.

import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const DESKTOP = { width: 1280, height: 800 };
const NARROW = { width: 320, height: 640 };
const NAV_TIMEOUT_MS = 30_000;

class UsageError extends Error {}

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const opts = { site: null, pages: [], max: 200, jobs: 2, selfTest: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1) {
        throw new UsageError(`${a.split('=')[0]} needs a positive whole number`);
      }
      return Number(v);
    };
    if (a === '--self-test') opts.selfTest = true;
    else if (a === '--max' || a.startsWith('--max=')) opts.max = value();
    else if (a === '--jobs' || a.startsWith('--jobs=')) opts.jobs = value();
    else if (a === '-h' || a === '--help') opts.help = true;
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else if (opts.site === null) opts.site = a;
    else opts.pages.push(a);
  }
  return opts;
}

const USAGE = `usage: node check.mjs SITE_DIR [REL_PATH ...] [--max N] [--jobs N]
       node check.mjs --self-test
REL_PATH is a page's path under SITE_DIR (index.html, so-y-te/tin-tuc/index.html, or
so-y-te/tin-tuc/). Without REL_PATHs, up to --max (default 200) pages spread evenly over
all *.html files under SITE_DIR are checked. --jobs (default 2) pages are open at once.`;

// ---------------------------------------------------------------- page list

function walkHtml(root) {
  const out = [];
  const walk = (dir) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && e.name.endsWith('.html')) out.push(path.relative(root, full));
    }
  };
  walk(root);
  return out.map((p) => p.split(path.sep).join('/')).sort();
}

// Every page when there are at most `max`; otherwise `max` pages at an even stride over the
// sorted list, so every part of the tree is sampled and the choice is the same on every run.
function spread(all, max) {
  if (all.length <= max) return all;
  const picked = [];
  for (let i = 0; i < max; i++) picked.push(all[Math.floor((i * all.length) / max)]);
  return picked;
}

function normalisePage(site, rel) {
  let p = rel.replace(/\\/g, '/').replace(/^\.?\/+/, '');
  if (p === '' || p.endsWith('/')) p += 'index.html';
  else if (!p.endsWith('.html')) {
    const full = path.join(site, p);
    if (fs.existsSync(full) && fs.statSync(full).isDirectory()) p += '/index.html';
  }
  return p;
}

// The URL a page is served at: so-y-te/index.html -> /so-y-te/, a/b.html -> /a/b.html.
function pageUrl(base, rel) {
  const urlPath = rel === 'index.html' ? '' : rel.endsWith('/index.html') ? rel.slice(0, -10) : rel;
  return base + '/' + urlPath.split('/').map(encodeURIComponent).join('/');
}

// ---------------------------------------------------------------- static server

const MIME = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
  '.gif': 'image/gif', '.webp': 'image/webp', '.avif': 'image/avif', '.ico': 'image/x-icon',
  '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.otf': 'font/otf',
  '.pdf': 'application/pdf', '.webmanifest': 'application/manifest+json',
};

function startServer(root) {
  const rootReal = fs.realpathSync(root);
  const server = createServer((req, res) => {
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    let urlPath;
    try {
      urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return send(400, 'bad request\n');
    }
    if (urlPath.includes('\0')) return send(400, 'bad request\n');
    let file = path.join(rootReal, path.normalize(urlPath));
    if (file !== rootReal && !file.startsWith(rootReal + path.sep)) return send(403, 'forbidden\n');
    let st;
    try {
      st = fs.statSync(file);
      if (st.isDirectory()) {
        if (!urlPath.endsWith('/')) {
          const u = new URL(req.url, 'http://x');
          return send(301, '', { location: u.pathname + '/' + u.search });
        }
        file = path.join(file, 'index.html');
        st = fs.statSync(file);
      }
    } catch {
      return send(404, 'not found\n');
    }
    if (!st.isFile()) return send(404, 'not found\n');
    const type = MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'content-length': st.size, 'cache-control': 'no-store' });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, base: `http://127.0.0.1:${server.address().port}` });
    });
  });
}

// ---------------------------------------------------------------- vnu

function findJava() {
  if (process.env.JAVA_HOME) {
    const j = path.join(process.env.JAVA_HOME, 'bin', 'java');
    if (fs.existsSync(j)) return j;
  }
  return 'java';
}

// Runs vnu once over all files and returns Map(rel -> [message]) plus messages it could not
// tie to a page. Output lines in --format gnu look like
//   "file:/abs/site/a/index.html":12.3-12.9: error: Element “div” not allowed as child ...
function runVnu(site, pages) {
  const jar = String(require('vnu-jar'));
  const siteReal = fs.realpathSync(site);
  const files = pages.map((p) => path.join(siteReal, p));
  const byPage = new Map(pages.map((p) => [p, []]));
  const unplaced = [];
  return new Promise((resolve) => {
    const child = spawn(findJava(), ['-Xss4m', '-jar', jar, '--errors-only', '--format', 'gnu', ...files],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', (err) => {
      resolve({ byPage, unplaced: [`could not run java: ${err.message}`], ran: false });
    });
    child.on('close', (code) => {
      for (const line of out.split(/\r?\n/)) {
        if (!line.trim() || /^Picked up (JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS)/.test(line)) continue;
        const m = /^"(.*?)":(?:(\d+)\.(\d+)(?:-\d+\.\d+)?:)?\s*(.*)$/.exec(line);
        if (!m) { unplaced.push(line); continue; }
        let file = m[1];
        if (file.startsWith('file:')) {
          try { file = fileURLToPath(file.replace(/^file:\/*/, 'file:///')); } catch { /* keep */ }
        }
        const rel = path.relative(siteReal, file).split(path.sep).join('/');
        const where = m[2] ? `${m[2]}:${m[3]}: ` : '';
        const msg = where + m[4].replace(/^error:\s*/, '').replace(/^fatal:\s*/, 'fatal: ');
        if (byPage.has(rel)) byPage.get(rel).push(msg);
        else unplaced.push(line);
      }
      // vnu exits 1 when it found errors; anything else with no output means it did not run.
      const ran = code === 0 || code === 1;
      if (!ran && unplaced.length === 0) unplaced.push(`java exited with status ${code}`);
      resolve({ byPage, unplaced, ran });
    });
  });
}

// ---------------------------------------------------------------- browser checks

function oneLine(s, max = 160) {
  const t = String(s).replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}

async function openPage(context, url, origin) {
  const page = await context.newPage();
  const problems = [];
  // Nothing outside this site is fetched: the portal must be self-contained, and CI has no
  // network, so an outside request would only hang or fail at random.
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(origin + '/') || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
    problems.push(`request to outside the site blocked: ${oneLine(u, 200)}`);
    return route.abort('blockedbyclient');
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && r.url().startsWith(origin)) {
      problems.push(`HTTP ${r.status()} for ${decodeURI(r.url().slice(origin.length))}`);
    }
  });
  page.on('requestfailed', (r) => {
    const f = r.failure()?.errorText || 'failed';
    if (r.url().startsWith(origin) && !/ERR_ABORTED/.test(f)) {
      problems.push(`request failed (${f}) for ${decodeURI(r.url().slice(origin.length))}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`uncaught script error: ${oneLine(err.message)}`));
  const resp = await page.goto(url, { waitUntil: 'load', timeout: NAV_TIMEOUT_MS });
  if (!resp) problems.push('no response');
  return { page, problems };
}

async function axeCheck(context, url, origin, axePath) {
  const { page, problems: load } = await openPage(context, url, origin);
  try {
    await page.addScriptTag({ path: axePath });
    const result = await page.evaluate(async (tags) => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)), html: n.html })),
      }));
    }, AXE_TAGS);
    const axeProblems = [];
    for (const v of result) {
      for (const n of v.nodes) {
        axeProblems.push(`${v.id} (${v.impact}): ${v.help} — at ${n.target.join(', ')} — ${oneLine(n.html, 120)}`);
      }
    }
    return { axe: axeProblems, load };
  } finally {
    await page.close();
  }
}

async function reflowCheck(context, url, origin) {
  const { page } = await openPage(context, url, origin);
  try {
    return await page.evaluate(() => {
      const de = document.documentElement;
      const cw = de.clientWidth;
      const sw = de.scrollWidth;
      if (sw <= cw) return null;
      // Name the innermost elements that stick out on the right (by their box or by content
      // spilling out of it), skipping any inside a box that scrolls or clips sideways: those
      // do not make the page scroll.
      const describe = (el) => {
        const one = (e) => {
          let s = e.tagName.toLowerCase();
          if (e.id) s += '#' + e.id;
          else if (e.classList.length) s += '.' + [...e.classList].slice(0, 2).join('.');
          return s;
        };
        const p = el.parentElement;
        return p && p !== document.body && p !== de ? `${one(p)} > ${one(el)}` : one(el);
      };
      const clipped = (el) => {
        for (let a = el.parentElement; a && a !== de; a = a.parentElement) {
          if (getComputedStyle(a).overflowX !== 'visible') return true;
        }
        return false;
      };
      const candidates = [];
      for (const el of document.body ? document.body.querySelectorAll('*') : []) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        const right = Math.max(r.right, r.left + el.scrollWidth);
        if (right <= cw + 0.5 || clipped(el)) continue;
        candidates.push({ el, right });
        if (candidates.length === 500) break;
      }
      const culprits = candidates
        .filter((c) => !candidates.some((o) => o !== c && c.el.contains(o.el)))
        .slice(0, 3)
        .map((c) => `${describe(c.el)} (right edge ${Math.round(c.right)}px)`);
      return { sw, cw, culprits };
    });
  } finally {
    await page.close();
  }
}

async function browserChecks(base, pages, jobs, onDone) {
  const { chromium } = await import('playwright-core');
  const axePath = require.resolve('axe-core/axe.min.js');
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const desktop = await browser.newContext({ viewport: DESKTOP, locale: 'vi-VN', serviceWorkers: 'block' });
    const narrow = await browser.newContext({ viewport: NARROW, locale: 'vi-VN', serviceWorkers: 'block' });
    let next = 0;
    const worker = async () => {
      while (next < pages.length) {
        const rel = pages[next++];
        const url = pageUrl(base, rel);
        const found = { axe: [], reflow: [], load: [] };
        try {
          const a = await axeCheck(desktop, url, base, axePath);
          found.axe = a.axe;
          found.load = a.load;
          const r = await reflowCheck(narrow, url, base);
          if (r) {
            found.reflow.push(`scrolls sideways at ${NARROW.width}px: content is ${r.sw}px wide, viewport ${r.cw}px`
              + (r.culprits.length ? ` — sticking out: ${r.culprits.join(', ')}` : ''));
          }
        } catch (err) {
          found.load.push(`could not check: ${oneLine(err.message, 300)}`);
        }
        onDone(rel, found);
      }
    };
    await Promise.all(Array.from({ length: Math.min(jobs, pages.length) }, worker));
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------- main check

async function check(site, requested, { max, jobs, log = console.log }) {
  if (!fs.existsSync(site) || !fs.statSync(site).isDirectory()) {
    throw new UsageError(`site directory ${site} does not exist (run \`cargo run --release -- build\` first?)`);
  }
  let pages;
  if (requested.length) {
    pages = [...new Set(requested.map((r) => normalisePage(site, r)))];
  } else {
    const all = walkHtml(site);
    pages = spread(all, max);
    log(`checking ${pages.length} of ${all.length} pages under ${site}`);
  }
  if (pages.length === 0) throw new UsageError(`no pages to check under ${site}`);

  const results = new Map(pages.map((p) => [p, { axe: [], reflow: [], load: [], vnu: [] }]));
  const present = pages.filter((p) => {
    const full = path.join(site, p);
    if (fs.existsSync(full) && fs.statSync(full).isFile()) return true;
    results.get(p).load.push(`no such page: ${full}`);
    return false;
  });

  const t0 = Date.now();
  const { server, base } = await startServer(site);
  let vnu, browserError = null;
  try {
    // The JVM starts and checks while the browser works.
    const vnuRun = present.length ? runVnu(site, present) : Promise.resolve({ byPage: new Map(), unplaced: [], ran: true });
    const seen = new Set();
    try {
      await browserChecks(base, present, jobs, (rel, found) => {
        seen.add(rel);
        Object.assign(results.get(rel), found);
      });
    } catch (err) {
      browserError = err;
    }
    for (const rel of present) {
      if (!seen.has(rel)) results.get(rel).load.push('not checked in the browser (see below)');
    }
    vnu = await vnuRun;
  } finally {
    server.close();
  }
  for (const [rel, msgs] of vnu.byPage) results.get(rel).vnu = vnu.ran ? msgs : ['not checked by vnu (see below)'];

  let passed = 0, failed = 0;
  const failedPages = [];
  for (const [rel, r] of results) {
    const lines = [];
    for (const kind of ['load', 'vnu', 'axe', 'reflow']) {
      for (const m of new Set(r[kind])) lines.push(`${rel}: [${kind}] ${m}`);
    }
    if (lines.length) { failed++; failedPages.push(rel); lines.forEach((l) => log(l)); } else passed++;
  }
  for (const m of vnu.unplaced) log(`(vnu): ${m}`);
  if (browserError) log(`(browser): ${oneLine(browserError.message, 500)}`);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  log(`checked ${pages.length} pages in ${secs}s (axe-core ${require('axe-core/package.json').version}, `
    + `vnu ${require('vnu-jar/package.json').version}, playwright-core ${require('playwright-core/package.json').version})`);
  const broken = browserError !== null || !vnu.ran || vnu.unplaced.length > 0;
  return { results, passed, failed, failedPages, broken };
}

// ---------------------------------------------------------------- self-test

async function selfTest(jobs) {
  const fixtures = path.join(HERE, 'fixtures');
  const log = (l) => console.log('  ' + l);
  console.log(`self-test: checking the fixtures in ${path.relative(process.cwd(), fixtures) || '.'}`);
  const { results, broken } = await check(fixtures, ['good/index.html', 'bad.html'], { max: 10, jobs, log });
  const good = results.get('good/index.html');
  const bad = results.get('bad.html');
  const count = (r) => r.axe.length + r.vnu.length + r.reflow.length + r.load.length;
  const assertions = [
    ['the checkers ran (browser and java)', !broken],
    ['good/index.html passes every check', count(good) === 0],
    ['bad.html: axe finds the image without alt text (image-alt)', bad.axe.some((m) => m.startsWith('image-alt '))],
    ['bad.html: axe finds the missing lang attribute (html-has-lang)', bad.axe.some((m) => m.startsWith('html-has-lang '))],
    ['bad.html: axe finds the low-contrast text (color-contrast)', bad.axe.some((m) => m.startsWith('color-contrast '))],
    ['bad.html: vnu finds the stray end tag', bad.vnu.some((m) => /end tag/i.test(m))],
    ['bad.html: vnu finds the duplicate id', bad.vnu.some((m) => /duplicate id/i.test(m))],
    ['bad.html: reflow finds the sideways scroll at 320px', bad.reflow.length > 0],
    ['bad.html: load finds the missing stylesheet', bad.load.some((m) => m.includes('404') && m.includes('missing.css'))],
    ['bad.html: load finds the outside request', bad.load.some((m) => m.includes('outside the site'))],
  ];
  let ok = 0, notOk = 0;
  for (const [what, good] of assertions) {
    console.log(`self-test: ${good ? 'ok' : 'NOT OK'} - ${what}`);
    good ? ok++ : notOk++;
  }
  console.log(`self-test: ${ok} passed, ${notOk} failed`);
  return notOk === 0 ? 0 : 1;
}

// ---------------------------------------------------------------- entry

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`check.mjs: ${err.message}\n${USAGE}`);
    return 2;
  }
  if (opts.help) { console.log(USAGE); return 0; }
  if (opts.selfTest) return selfTest(opts.jobs);
  if (!opts.site) { console.error(USAGE); return 2; }
  const { passed, failed, broken } = await check(opts.site, opts.pages, opts);
  console.log(`pages: ${passed} passed, ${failed} failed`);
  if (broken) return 2;
  return failed ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (err) => {
  console.error(`check.mjs: ${err instanceof UsageError ? err.message : err.stack || err}`);
  process.exitCode = 2;
});
