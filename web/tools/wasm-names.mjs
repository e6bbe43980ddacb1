// A wasm module's function names (its custom "name" section): what stack traces print, and what
// web/tools/split.mjs reads to keep what no profile can see. The site ships without them
// (web/tools/post-build.mjs, web/tools/split.mjs): 6.2 MB of the engine's 46.3 MB, 1.1 MB brotli.

/** The wasm module without its custom "name" section (everything else byte for byte). */
export function withoutNameSection(bytes) {
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
