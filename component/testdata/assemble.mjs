// Assembles the component text forms of the spec conformance tests with the
// wast parser bundled in jco (the function behind `jco parse`), in one node
// process for all of them.
//
//   node assemble.mjs <npm global root> <dir>
//
// For every <dir>/*.wat it writes <dir>/*.wasm, or <dir>/*.err with the
// parser's message. Used by TestConformance; writes nothing else.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, dir] = process.argv.slice(2);
const url = pathToFileURL(join(root, '@bytecodealliance/jco/node_modules/@bytecodealliance/jco-transpile/vendor/wasm-tools.js')).href;

async function load(u) {
  const m = await import(u);
  await m.$init;
  return m.tools;
}

let tools = await load(url);
let fresh = 0;
for (const f of readdirSync(dir).filter((f) => f.endsWith('.wat')).sort()) {
  const base = join(dir, f.slice(0, -4));
  try {
    writeFileSync(base + '.wasm', tools.parse(readFileSync(join(dir, f), 'utf8')));
  } catch (e) {
    writeFileSync(base + '.err', String((e && e.message) || e));
    // A Rust panic poisons the wasm instance: load a fresh copy.
    tools = await load(url + '?n=' + ++fresh);
  }
}
