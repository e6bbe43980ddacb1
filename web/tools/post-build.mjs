// Trunk's post-build hook (Trunk.toml). It works on the staged site in $TRUNK_STAGING_DIR:
// 1. bundles the code editors (web/editor/index.js, CodeMirror 6 from npm) into editor.js;
// 2. moves the inline module script Trunk writes into index.html to its own file, so the page's
//    Content-Security-Policy can forbid inline scripts (script-src 'self' 'wasm-unsafe-eval');
// 3. copies the engine's worker script, web/worker.js, as engine-worker-<hash>.js (it runs the
//    page's own wasm module, see crates/app/src/worker/) and names it in index.html with
//    <link rel="prefetch" data-engine-worker data-glue>, data-glue being the app's JS glue it imports;
// 4. in a release build, drops the wasm's "name" section (function names for stack traces: 5.5 MB
//    of 31.6 MB, about 1.1 MB brotli) and updates the wasm's integrity hash in index.html.
import { readFile, writeFile, readdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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

const glue = (await readdir(staging)).find((f) => /^dataflow-app-.*\.js$/.test(f));
if (!glue) throw new Error('post-build: no dataflow-app-*.js in the staged site');
const worker = await readFile(join(web, 'worker.js'));
const workerName = `engine-worker-${createHash('sha256').update(worker).digest('hex').slice(0, 16)}.js`;
await writeFile(join(staging, workerName), worker);
html = html.replace('</head>', `<link rel="prefetch" href="./${workerName}" data-engine-worker data-glue="./${glue}"></head>`);

if (process.env.TRUNK_PROFILE === 'release') {
  for (const name of await readdir(staging)) {
    if (!name.endsWith('_bg.wasm')) continue;
    const path = join(staging, name);
    const bytes = await readFile(path);
    const stripped = withoutNameSection(bytes);
    if (stripped.length === bytes.length) continue;
    const sri = (b) => `sha384-${createHash('sha384').update(b).digest('base64')}`;
    html = html.replaceAll(sri(bytes), sri(stripped));
    await writeFile(path, stripped);
    console.log(`post-build: ${name}: name section dropped, ${bytes.length} -> ${stripped.length} bytes`);
  }
}
const count = moved.length;
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html)) throw new Error('post-build: index.html still has an inline script');
await writeFile(indexPath, html);
console.log(`post-build: editor.js bundled, ${count} inline script(s) moved to files, ${workerName} written`);

/** The wasm module without its custom "name" section (everything else byte for byte). */
function withoutNameSection(bytes) {
  const parts = [bytes.subarray(0, 8)];
  let i = 8;
  const leb = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[i++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(byte & 0x80)) return value;
    }
  };
  while (i < bytes.length) {
    const start = i;
    const id = bytes[i++];
    const length = leb();
    const body = i;
    let drop = false;
    if (id === 0) {
      const nameLength = leb();
      drop = bytes.subarray(i, i + nameLength).toString() === 'name';
    }
    i = body + length;
    if (!drop) parts.push(bytes.subarray(start, i));
  }
  return Buffer.concat(parts);
}
