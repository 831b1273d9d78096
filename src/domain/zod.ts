/**
 * The one way into zod for everything that runs on Lambda: zod/mini with English messages.
 *
 * zod/mini is functional (`z.optional(x)`, `x.check(z.minLength(1))`), so esbuild keeps only the schemas and
 * checks we call; classic zod's chainable classes cannot be tree-shaken and cost every bundle ~190 KB. Unlike
 * classic zod, zod/mini installs no locale ("Invalid input" only), and our 400 reasons and config errors
 * quote zod's English messages, so English is installed here, before any schema can parse.
 *
 * Import it as a namespace (`import * as z from './zod.js'`): esbuild tree-shakes property accesses on a
 * namespace import, whereas a namespace re-exported as a value (`export { z }`) keeps all of zod/mini, its
 * JSON Schema and compile support included. The emulator page's browser client keeps classic zod.
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());

export * from 'zod/mini';
