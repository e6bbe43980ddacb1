// Trunk's post-build hook (Trunk.toml). It works on the staged site in $TRUNK_STAGING_DIR:
// 1. bundles the code editors (web/editor/index.js, CodeMirror 6 from npm) into editor.js;
// 2. in a release build, drops the wasm modules' "name" section (function names for stack traces:
//    6.2 MB of the engine's 46.3 MB, about 1.1 MB brotli). DATAFLOW_KEEP_NAMES=1 keeps the engine's,
//    for web/tools/split.mjs (which drops them from what it writes) or a readable stack;
// 3. compresses the engine's wasm with brotli into `…_bg.wasm.br` (quality 11 in a release build,
//    3 in a dev build, which favours build time) and replaces Trunk's loading script with
//    web/loader.js, which downloads that file and decodes it in the page (crates/unbrotli): a
//    gzip-only host such as GitHub Pages then sends 6 MB instead of 10 (issue #17). Trunk's
//    preload of the plain wasm goes, or the page would download both;
// 4. moves any other inline script (`trunk serve`'s autoreload) to its own file, so the page's
//    Content-Security-Policy can forbid inline scripts (script-src 'self' 'wasm-unsafe-eval');
// 5. copies the engine's worker script, web/worker.js, as engine-worker-<hash>.js (it runs the
//    page's own wasm module, see crates/app/src/worker/) and names it in index.html with
//    <link rel="prefetch" data-engine-worker data-glue>, data-glue being the app's JS glue it imports.
import { readFile, writeFile, readdir, rename } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { withoutNameSection } from './wasm-names.mjs';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('post-build: TRUNK_STAGING_DIR is not set (run it from trunk)');

await build({
  entryPoints: [join(web, 'editor', 'index.js')],
  bundle: true,
  minify: true,
  format: 'iife',
  globalName: 'DataflowEditor',
  target: 'es2020',
  outfile: join(staging, 'editor.js'),
  logLevel: 'warning',
});

const indexPath = join(staging, 'index.html');
let html = await readFile(indexPath, 'utf8');
const files = await readdir(staging);
const named = (pattern, what) => {
  const found = files.find((f) => pattern.test(f));
  if (!found) throw new Error(`post-build: no ${what} in the staged site`);
  return found;
};
const glue = named(/^dataflow-app-[0-9a-f]+\.js$/, 'dataflow-app-*.js');
const wasm = named(/^dataflow-app-[0-9a-f]+_bg\.wasm$/, 'dataflow-app-*_bg.wasm');
const release = process.env.TRUNK_PROFILE === 'release';

if (release) {
  for (const name of [...(process.env.DATAFLOW_KEEP_NAMES ? [] : [wasm]), 'dataflow-unbrotli_bg.wasm']) {
    const path = join(staging, name);
    const bytes = await readFile(path);
    const stripped = withoutNameSection(bytes);
    if (stripped.length === bytes.length) continue;
    await writeFile(path, stripped);
    console.log(`post-build: ${name}: name section dropped, ${bytes.length} -> ${stripped.length} bytes`);
  }
}

// Trunk names a worker-type module without a hash: the decoder gets one here, so that the
// service worker can serve it cache-first like every hashed file.
named(/^dataflow-unbrotli\.js$/, 'dataflow-unbrotli.js (the brotli decoder)');
const decoderHash = createHash('sha256');
for (const name of ['dataflow-unbrotli.js', 'dataflow-unbrotli_bg.wasm']) decoderHash.update(await readFile(join(staging, name)));
const decoderId = decoderHash.digest('hex').slice(0, 16);
const unbrotliGlue = `dataflow-unbrotli-${decoderId}.js`;
const unbrotliWasm = `dataflow-unbrotli-${decoderId}_bg.wasm`;
await rename(join(staging, 'dataflow-unbrotli.js'), join(staging, unbrotliGlue));
await rename(join(staging, 'dataflow-unbrotli_bg.wasm'), join(staging, unbrotliWasm));

const plain = await readFile(join(staging, wasm));
const brotli = `${wasm}.br`;
const packed = brotliCompressSync(plain, {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: release ? 11 : 3,
    [constants.BROTLI_PARAM_LGWIN]: 24,
    [constants.BROTLI_PARAM_SIZE_HINT]: plain.length,
  },
});
await writeFile(join(staging, brotli), packed);
console.log(`post-build: ${brotli}: ${plain.length} -> ${packed.length} bytes`);

// Trunk's preload of the plain wasm would download it beside the brotli file.
const preload = /<link rel="preload" href="\.\/dataflow-app-[0-9a-f]+_bg\.wasm"[^>]*>/;
if (!preload.test(html)) throw new Error("post-build: Trunk's preload of the wasm is not where it was");
html = html.replace(preload, `<link rel="modulepreload" href="./${unbrotliGlue}">`);

// The loader, with this build's names (web/loader.js); Trunk's own loading script goes.
const FILES = {
  glue: `./${glue}`,
  wasm: `./${wasm}`,
  brotli: `./${brotli}`,
  brotliBytes: packed.length,
  unbrotliGlue: `./${unbrotliGlue}`,
  unbrotliWasm: `./${unbrotliWasm}`,
};
const loaderSource = await readFile(join(web, 'loader.js'), 'utf8');
if (!loaderSource.includes('/* FILES */ {}')) throw new Error('post-build: web/loader.js has no FILES placeholder');
const loader = loaderSource.replace('/* FILES */ {}', JSON.stringify(FILES));
const loaderName = `loader-${createHash('sha256').update(loader).digest('hex').slice(0, 16)}.js`;
await writeFile(join(staging, loaderName), loader);
let replaced = 0;
html = html.replace(/<script type="module">\s*import init, \* as bindings from[\s\S]*?<\/script>/, () => {
  replaced += 1;
  return `<script type="module" src="./${loaderName}" data-engine-wasm="./${wasm}"></script>`;
});
if (replaced !== 1) throw new Error("post-build: Trunk's loading script is not where it was");

// `trunk serve` also injects its autoreload script, whose address and base it fills in when it
// serves index.html; in a file they are worked out in the browser instead.
const forFile = (body) => body
  .replace(/'\{\{__TRUNK_ADDRESS__\}\}'/g, 'window.location.host')
  .replace(/\{\{__TRUNK_WS_BASE__\}\}/g, "' + window.location.pathname.replace(/[^/]*$/, '') + '");
const moved = [];
html = html.replace(/<script( type="module")?>([\s\S]*?)<\/script>/g, (_, module, body) => {
  const text = forFile(body).trim() + '\n';
  const name = `init-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.js`;
  moved.push(writeFile(join(staging, name), text));
  return `<script${module ?? ''} src="./${name}"></script>`;
});
await Promise.all(moved);

const worker = await readFile(join(web, 'worker.js'));
const workerName = `engine-worker-${createHash('sha256').update(worker).digest('hex').slice(0, 16)}.js`;
await writeFile(join(staging, workerName), worker);
html = html.replace('</head>', `<link rel="prefetch" href="./${workerName}" data-engine-worker data-glue="./${glue}"></head>`);

const count = moved.length;
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html)) throw new Error('post-build: index.html still has an inline script');
await writeFile(indexPath, html);
console.log(`post-build: editor.js bundled, ${loaderName} written, ${count} inline script(s) moved to files, ${workerName} written`);
