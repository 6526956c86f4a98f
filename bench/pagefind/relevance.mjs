#!/usr/bin/env node
// Pagefind, the static-search peer, on cong's relevance suite.
//
//   node bench/pagefind/relevance.mjs SITE_DIR QUERIES_YAML [--variant default|tuned]
//                                     [--keep DIR] [--json FILE] [--cong http://127.0.0.1:PORT]
//                                     [--index-only]
//
// 1. Indexes SITE_DIR with Pagefind through its Node API (createIndex → addDirectory / addHTMLFile
//    → writeFiles) into a temporary folder, timing the wall clock of the whole indexing (service
//    start included), and measures the written bundle (du -sb).
// 2. Serves SITE_DIR, with the bundle at /pagefind/, on 127.0.0.1, and opens a blank page
//    (<html lang="vi">) in headless Debian Chromium (playwright-core). There, for every query,
//    `const pf = await import('/pagefind/pagefind.js'); const r = await pf.search(q);` and the
//    `url` of the first 10 results (`r.results.slice(0, 10).map(x => x.data())`): Pagefind's own
//    browser runtime (pagefind.js + its wasm), with its default options.
// 3. Ranks each query's `expect` among those 10 URLs (paths compared after decoding and dropping a
//    trailing index.html) and prints success@1 and MRR (reciprocal rank within the first 10, 0 when
//    absent), overall and per kind — the same measures as tests/relevance.rs — then the misses.
//
// Variants:
//   default  Pagefind out of the box: every *.html file of SITE_DIR, whole <body> (Pagefind's own
//            exclusions only), no configuration. What a site owner gets from `npx pagefind --site`.
//   tuned    What Pagefind's docs recommend: `data-pagefind-body` on the <main> of the content
//            pages only (procedures, news articles, documents, the three static pages of each
//            portal — the same 2,772 documents cong's index holds), so list, tag, year and home
//            pages are left out and header, menus and footer are not indexed. The attribute is
//            added on the fly (addHTMLFile); SITE_DIR is not changed.
//
// --cong BASE also sends the same queries to a running `cong search-server` (GET BASE/api/search),
// scores its hits with the same code, and prints the two side by side.
//
// Nothing outside 127.0.0.1 is requested: the page blocks every other address.

import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import * as pagefind from 'pagefind';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const pkgVersion = (name) => JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules', name, 'package.json'), 'utf8')).version;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const TOP = 10;
const BLANK = '/__pagefind_bench__.html';

const USAGE = `usage: node relevance.mjs SITE_DIR QUERIES_YAML [--variant default|tuned] [--keep DIR] [--json FILE]
                        [--cong http://127.0.0.1:PORT] [--index-only]
  --variant  default (Pagefind out of the box, every page) or tuned (data-pagefind-body on the
             <main> of content pages only); default: default
  --keep     write the Pagefind bundle to DIR (must not exist) and keep it, instead of a temp dir
  --json     also write every query's ranked URLs and the figures to FILE
  --cong     also run the queries against a running \`cong search-server\` at this loopback
             address (its /api/search), score them the same way and print both side by side
  --index-only  index and report time and size only (QUERIES_YAML is still read); no queries`;

function parseArgs(argv) {
  const o = { site: null, queries: null, variant: 'default', keep: null, json: null, cong: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!v) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '-h' || a === '--help') o.help = true;
    else if (a.startsWith('--variant')) o.variant = val();
    else if (a.startsWith('--keep')) o.keep = val();
    else if (a.startsWith('--json')) o.json = val();
    else if (a.startsWith('--cong')) o.cong = val();
    else if (a === '--index-only') o.indexOnly = true;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else if (!o.site) o.site = a;
    else if (!o.queries) o.queries = a;
    else throw new Error(`unexpected argument ${a}`);
  }
  if (!['default', 'tuned'].includes(o.variant)) throw new Error(`unknown variant ${o.variant}`);
  return o;
}

// ---------------------------------------------------------------- site files

function walkHtml(root) {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && e.name.endsWith('.html')) out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

// a/b/index.html -> /a/b/ ; index.html -> / ; a/b.html -> /a/b.html
function relToUrl(rel) {
  if (rel === 'index.html') return '/';
  return '/' + (rel.endsWith('/index.html') ? rel.slice(0, -'index.html'.length) : rel);
}

// The pages cong's search index holds (src/search/index.rs: news, pages, documents, procedures),
// recognised by their URL shape in the built site:
//   /thu-tuc/<code>/                         procedure
//   [/<portal>]/tin-tuc/<slug>/              news article   (not /tin-tuc/the/<tag>/)
//   [/<portal>]/van-ban/<slug>/              document       (not van-ban/nam|loai|co-quan-ban-hanh/…)
//   [/<portal>]/(gioi-thieu|lien-he|co-cau-to-chuc)/   static page
const CONTENT_URL = /^(?:\/thu-tuc\/[^/]+\/|(?:\/[^/]+)?\/tin-tuc\/(?!the\/)[^/]+\/|(?:\/[^/]+)?\/van-ban\/(?!(?:nam|loai|co-quan-ban-hanh)\/)[^/]+\/|(?:\/[^/]+)?\/(?:gioi-thieu|lien-he|co-cau-to-chuc)\/)$/;

// ---------------------------------------------------------------- indexing

function duBytes(dir) {
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split(/\s+/)[0]);
}

async function buildIndex(site, outputPath, variant) {
  const t0 = performance.now();
  const { errors, index } = await pagefind.createIndex({});
  if (errors.length || !index) throw new Error(`pagefind createIndex: ${errors.join('; ')}`);
  let pages = 0, fed = 0;
  if (variant === 'default') {
    const r = await index.addDirectory({ path: site });
    if (r.errors.length) throw new Error(`pagefind addDirectory: ${r.errors.join('; ')}`);
    pages = r.page_count;
  } else {
    for (const rel of walkHtml(site)) {
      const url = relToUrl(rel);
      let html = fs.readFileSync(path.join(site, rel), 'utf8');
      if (CONTENT_URL.test(url)) {
        const before = html;
        html = html.replace(/<main\b/, '<main data-pagefind-body');
        if (html === before) throw new Error(`no <main> in ${rel}`);
        fed++;
      }
      const r = await index.addHTMLFile({ url, content: html });
      if (r.errors.length) throw new Error(`pagefind addHTMLFile ${rel}: ${r.errors.join('; ')}`);
    }
    pages = fed;
  }
  const w = await index.writeFiles({ outputPath });
  if (w.errors.length) throw new Error(`pagefind writeFiles: ${w.errors.join('; ')}`);
  await pagefind.close();
  const secs = (performance.now() - t0) / 1000;
  return { secs, pages, bytes: duBytes(outputPath) };
}

// ---------------------------------------------------------------- static server

const MIME = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml',
};

// Serves SITE_DIR, with /pagefind/… from the bundle folder and the blank page at BLANK.
function startServer(site, bundle) {
  const roots = { site: fs.realpathSync(site), bundle: fs.realpathSync(bundle) };
  const server = createServer((req, res) => {
    const send = (status, body, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    let p;
    try { p = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { return send(400, 'bad request\n'); }
    if (p === BLANK) {
      return send(200, '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>bench</title></head><body></body></html>',
        MIME['.html']);
    }
    let root = roots.site, rest = p;
    if (p.startsWith('/pagefind/')) { root = roots.bundle; rest = p.slice('/pagefind'.length); }
    let file = path.join(root, path.normalize(rest));
    if (file !== root && !file.startsWith(root + path.sep)) return send(403, 'forbidden\n');
    try {
      if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      const body = fs.readFileSync(file);
      return send(200, body, MIME[path.extname(file).toLowerCase()] || 'application/octet-stream');
    } catch {
      return send(404, 'not found\n');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${server.address().port}` }));
  });
}

// ---------------------------------------------------------------- querying

async function runQueries(base, queries) {
  const { chromium } = await import('playwright-core');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (apt-get install chromium, or set CHROMIUM_PATH)`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    const outside = [];
    await page.route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith(base + '/') || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
      outside.push(u);
      return route.abort('blockedbyclient');
    });
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(base + BLANK, { waitUntil: 'load' });
    const out = [];
    for (const q of queries) {
      // One query at a time, as a person types them; the timing covers the search and loading
      // the top results' fragments (the first query also loads the wasm and the index entry).
      const r = await page.evaluate(async ({ q, top }) => {
        const t0 = performance.now();
        const pf = await import('/pagefind/pagefind.js');
        const r = await pf.search(q);
        const data = await Promise.all(r.results.slice(0, top).map((x) => x.data()));
        return {
          ms: performance.now() - t0,
          total: r.results.length,
          hits: data.map((d) => ({ url: d.url, title: d.meta?.title ?? '' })),
        };
      }, { q, top: TOP });
      out.push(r);
    }
    if (outside.length) throw new Error(`requests to outside 127.0.0.1 were made: ${outside.slice(0, 3).join(', ')}`);
    if (pageErrors.length) throw new Error(`page errors: ${pageErrors.slice(0, 3).join('; ')}`);
    return out;
  } finally {
    await browser.close();
  }
}

// Compared as paths: decoded, origin and query dropped, trailing index.html dropped, with a
// trailing slash on directory-like paths.
function normUrl(u) {
  let p = u;
  try { p = new URL(u, 'http://x').pathname; } catch { /* keep */ }
  try { p = decodeURIComponent(p); } catch { /* keep */ }
  p = p.replace(/\/index\.html$/, '/');
  if (!p.endsWith('/') && !/\.[a-z0-9]+$/i.test(p)) p += '/';
  return p;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

// Rank of each query's `expect` among its first TOP hits; success@1 and MRR (reciprocal rank within
// the first TOP, 0 when absent), overall and per kind, as tests/relevance.rs computes them.
function score(cases, runs) {
  const byKind = {};
  const misses = [];
  const rows = [];
  let first = 0, rr = 0;
  cases.forEach((c, i) => {
    const want = normUrl(c.expect);
    const hits = runs[i].hits.slice(0, TOP);
    const at = hits.map((h) => normUrl(h.url)).indexOf(want);
    const rank = at < 0 ? null : at + 1;
    const k = (byKind[c.kind] ??= { n: 0, first: 0, rr: 0 });
    k.n++;
    if (rank === 1) { k.first++; first++; } else {
      const top = hits[0];
      misses.push(`  [${c.kind}] ${JSON.stringify(c.q)} → ${c.expect} at rank ${rank ?? '—'} (of ${runs[i].total}); `
        + `first: ${top ? `${normUrl(top.url)} “${top.title}”` : 'nothing'}`);
    }
    const r = rank ? 1 / rank : 0;
    k.rr += r; rr += r;
    rows.push({ ...c, rank, total: runs[i].total, ms: runs[i].ms, hits });
  });
  const n = cases.length;
  const out = { n, first, s1: first / n, mrr: rr / n, byKind: {}, misses, rows };
  for (const kind of Object.keys(byKind).sort()) {
    const k = byKind[kind];
    out.byKind[kind] = { n: k.n, first: k.first, s1: k.first / k.n, mrr: k.rr / k.n };
  }
  return out;
}

function report(label, r) {
  console.log(`${label}: ${r.n} queries, success@1 ${r.s1.toFixed(3)} (${r.first}/${r.n}), MRR ${r.mrr.toFixed(3)}`);
  for (const [kind, k] of Object.entries(r.byKind)) {
    console.log(`  ${kind.padEnd(14)} ${String(k.n).padStart(3)} queries  success@1 ${k.s1.toFixed(3)} (${k.first}/${k.n})  MRR ${k.mrr.toFixed(3)}`);
  }
}

// The same queries against a running `cong search-server` (only 127.0.0.1 / localhost).
async function congQueries(base, queries) {
  const u = new URL(base);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) throw new Error(`--cong must be a loopback address, not ${base}`);
  const out = [];
  for (const q of queries) {
    const t0 = performance.now();
    const res = await fetch(`${base.replace(/\/$/, '')}/api/search?q=${encodeURIComponent(q)}&per_page=${TOP}`);
    if (!res.ok) throw new Error(`cong /api/search ${res.status} for ${JSON.stringify(q)}`);
    const body = await res.json();
    out.push({ ms: performance.now() - t0, total: body.total, hits: body.hits.map((h) => ({ url: h.url, title: h.title })) });
  }
  return out;
}

// ---------------------------------------------------------------- main

async function main() {
  let o;
  try { o = parseArgs(process.argv.slice(2)); } catch (e) { console.error(`relevance.mjs: ${e.message}\n${USAGE}`); return 2; }
  if (o.help) { console.log(USAGE); return 0; }
  if (!o.site || !o.queries) { console.error(USAGE); return 2; }
  const site = path.resolve(o.site);
  if (!fs.existsSync(path.join(site, 'index.html'))) { console.error(`relevance.mjs: no ${site}/index.html (build the site first)`); return 2; }
  const cases = YAML.parse(fs.readFileSync(o.queries, 'utf8'));
  if (!Array.isArray(cases) || !cases.every((c) => c && typeof c.q === 'string' && typeof c.expect === 'string' && c.kind)) {
    console.error(`relevance.mjs: ${o.queries} is not a list of {q, expect, kind}`);
    return 2;
  }

  const pfVersion = pkgVersion('pagefind');
  const pwVersion = pkgVersion('playwright-core');
  let tmp = null, outDir;
  if (o.keep) {
    if (fs.existsSync(o.keep)) { console.error(`relevance.mjs: ${o.keep} exists`); return 2; }
    outDir = path.resolve(o.keep);
  } else {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pagefind-bench-'));
    outDir = path.join(tmp, 'pagefind');
  }
  try {
    const idx = await buildIndex(site, outDir, o.variant);
    console.log(`pagefind ${pfVersion} (variant ${o.variant}): indexed ${idx.pages} pages of ${site} in ${idx.secs.toFixed(2)} s `
      + `(Node API wall clock, service start included); bundle ${idx.bytes} bytes (du -sb ${(idx.bytes / 1048576).toFixed(1)} MiB)`);
    if (o.indexOnly) return 0;

    const { server, base } = await startServer(site, outDir);
    let runs;
    try { runs = await runQueries(base, cases.map((c) => c.q)); } finally { server.close(); }

    const pf = score(cases, runs);
    report(`pagefind (${o.variant})`, pf);
    const ms = runs.map((r) => r.ms);
    console.log(`query time in the browser (search + top ${TOP} fragments): first ${ms[0].toFixed(0)} ms (loads wasm + index entry), `
      + `median of the rest ${median(ms.slice(1)).toFixed(1)} ms, max ${Math.max(...ms.slice(1)).toFixed(0)} ms (playwright-core ${pwVersion})`);
    console.log(`misses (${pf.misses.length}):\n${pf.misses.join('\n')}`);
    let cong = null;
    if (o.cong) {
      cong = score(cases, await congQueries(o.cong, cases.map((c) => c.q)));
      console.log('');
      report(`cong (${o.cong}/api/search)`, cong);
      console.log(`misses (${cong.misses.length}):\n${cong.misses.join('\n')}`);
      console.log('\nside by side (success@1 / MRR):');
      console.log(`  ${'kind'.padEnd(14)} ${'n'.padStart(3)}  ${'pagefind'.padEnd(13)}  cong`);
      const line = (label, n, a, b) => console.log(`  ${label.padEnd(14)} ${String(n).padStart(3)}  `
        + `${a.s1.toFixed(3)} / ${a.mrr.toFixed(3)}  ${b.s1.toFixed(3)} / ${b.mrr.toFixed(3)}`);
      line('all', pf.n, pf, cong);
      for (const kind of Object.keys(pf.byKind)) line(kind, pf.byKind[kind].n, pf.byKind[kind], cong.byKind[kind]);
    }
    if (o.json) {
      const strip = (x) => x && { n: x.n, success_at_1: x.s1, mrr: x.mrr, by_kind: x.byKind, queries: x.rows };
      fs.writeFileSync(o.json, JSON.stringify({
        pagefind_version: pfVersion, variant: o.variant, site, index: idx, pagefind: strip(pf), cong: strip(cong),
      }, null, 2));
    }
    return 0;
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then((code) => { process.exitCode = code; }, (err) => {
  console.error(`relevance.mjs: ${err.stack || err}`);
  process.exitCode = 2;
});
