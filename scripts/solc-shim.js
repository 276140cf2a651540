#!/usr/bin/env node
// A stand-in for the native `solc` binary, backed by npm's solc-js (the same compiler
// release built to WebAssembly). py-solc-x and Brownie only ever call the binary in two
// ways, and this answers exactly those:
//   solc --version
//   solc --standard-json [--allow-paths a,b] [--base-path p] [--include-path p]  (JSON on stdin)
// Imports are read from disk: relative to the working directory, the base/include/allowed
// paths, and the project's node_modules (for remapped OpenZeppelin imports).
'use strict';
const fs = require('fs');
const path = require('path');

const projectRoot = path.resolve(__dirname, '..');
const solc = require(path.join(projectRoot, 'node_modules', 'solc'));

function fail(message) {
  process.stderr.write(`solc-shim: ${message}\n`);
  process.exit(1);
}

const args = process.argv.slice(2);
if (args.includes('--version')) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
  process.exit(0);
}
if (!args.includes('--standard-json')) {
  fail(`only --version and --standard-json are supported (got: ${args.join(' ') || 'nothing'})`);
}

const searchRoots = [process.cwd()];
for (let i = 0; i < args.length; i++) {
  const flag = args[i];
  if (['--allow-paths', '--base-path', '--include-path'].includes(flag) && i + 1 < args.length) {
    for (const p of args[++i].split(',')) if (p) searchRoots.push(path.resolve(p));
  }
}
searchRoots.push(projectRoot, path.join(projectRoot, 'node_modules'));

function findImports(importPath) {
  const candidates = path.isAbsolute(importPath)
    ? [importPath]
    : searchRoots.map((root) => path.join(root, importPath));
  for (const candidate of candidates) {
    try {
      return { contents: fs.readFileSync(candidate, 'utf8') };
    } catch (_) {
      // try the next root
    }
  }
  return { error: `File not found: ${importPath} (searched ${searchRoots.join(', ')})` };
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  process.stdout.write(solc.compile(input, { import: findImports }));
});
