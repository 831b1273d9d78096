/**
 * esbuild plugins for the Lambda bundles (scripts/lambda-bundle-plugins.ts lists them all) that keep Node's own
 * modules out of a cold start: each was found in a `--cpu-prof` of a function's import, where loading a built-in
 * that nothing uses yet took milliseconds.
 */
import type { Plugin } from 'esbuild';

/**
 * Node's http2 takes about 11 ms to load here, a tenth of the worker's cold start, and only two things in any
 * bundle use it: the Bedrock Agent Runtime client (its default handler speaks HTTP/2) and axios's optional
 * HTTP/2 transport (confluence.js, which never asks for it). Both import it by default import and touch it only
 * when they open a connection, so the bundles get a stand-in whose properties load the real module on first
 * use (`process.getBuiltinModule`, Node 20.16+ and 22). `constants` is a stand-in of its own: the SDK's HTTP/2
 * handler reads it at load (`const { constants } = http2`), which loaded http2 in every worker cold start (a
 * `--cpu-prof` of the init, issue 22), though it reads the header names only when it sends a request. The bundle
 * tests run an analysis through the built worker against the Bedrock fake over HTTP/2.
 */
export const http2OnFirstUse: Plugin = {
  name: 'http2-on-first-use',
  setup(build) {
    build.onResolve({ filter: /^(node:)?http2$/ }, () => ({
      path: 'http2',
      namespace: 'http2-on-first-use',
    }));
    build.onLoad({ filter: /.*/, namespace: 'http2-on-first-use' }, () => ({
      contents: [
        'let http2;',
        "const load = () => (http2 ??= process.getBuiltinModule('node:http2'));",
        'const constants = new Proxy({}, { get: (_target, name) => load().constants[name] });',
        "export default new Proxy({}, { get: (_target, name) => (name === 'constants' ? constants : load()[name]) });",
      ].join('\n'),
      loader: 'js',
    }));
  },
};

/**
 * `import { env } from 'node:process'` (the AWS SDK's user agent) makes Node build the ES module facade of the
 * built-in, which reads every export once, `process.stdout` and `process.stderr` included: creating the two
 * stdio streams took 2-10 ms of each cold start's import (a `--cpu-prof` of the init: `getStdout` under
 * `syncExports`), for streams our JSON logs never use (pino writes to fd 1 through sonic-boom). The global
 * `process` is the same object, so the bundles read it instead. A name not listed here fails the build.
 */
const PROCESS_EXPORTS = [
  'env',
  'versions',
  'version',
  'platform',
  'arch',
  'argv',
  'cwd',
  'hrtime',
  'nextTick',
];
export const processFromGlobal: Plugin = {
  name: 'process-from-global',
  setup(build) {
    build.onResolve({ filter: /^(node:)?process$/ }, () => ({
      path: 'process',
      namespace: 'process-from-global',
    }));
    build.onLoad({ filter: /.*/, namespace: 'process-from-global' }, () => ({
      contents: [
        'const p = globalThis.process;',
        'export default p;',
        ...PROCESS_EXPORTS.map((name) => `export const ${name} = p.${name};`),
      ].join('\n'),
      loader: 'js',
    }));
  },
};

/**
 * sonic-boom (pino's destination) requires node:assert for one check of its file descriptor; loading node:assert
 * took about 1.5 ms of every cold start (`--cpu-prof` of the init, issue 22). Its importer gets Node's own
 * `assert.ok` semantics without the module: a falsy value throws an AssertionError-like error with the message.
 */
export const assertForSonicBoom: Plugin = {
  name: 'assert-for-sonic-boom',
  setup(build) {
    build.onResolve({ filter: /^(node:)?assert$/ }, (args) =>
      /[\\/]node_modules[\\/]sonic-boom[\\/]/.test(args.importer)
        ? { path: 'assert', namespace: 'assert-for-sonic-boom' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'assert-for-sonic-boom' }, () => ({
      contents: [
        'module.exports = function assert(value, message) {',
        "  if (!value) throw Object.assign(new Error(message), { name: 'AssertionError', code: 'ERR_ASSERTION' });",
        '};',
      ].join('\n'),
      loader: 'js',
    }));
  },
};
