// Trunk's post-build hook (Trunk.toml). It works on the staged site in $TRUNK_STAGING_DIR:
// 1. bundles the code editors (web/editor/index.js, CodeMirror 6 from npm) into editor.js;
// 2. moves the inline module script Trunk writes into index.html to its own file, so the page's
//    Content-Security-Policy can forbid inline scripts (script-src 'self' 'wasm-unsafe-eval').
import { readFile, writeFile } from 'node:fs/promises';
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
const count = moved.length;
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html)) throw new Error('post-build: index.html still has an inline script');
await writeFile(indexPath, html);
console.log(`post-build: editor.js bundled, ${count} inline script(s) moved to files`);
