// dynalite ships no types; this covers the part Hikeshi uses (index.js, dynalite 4).
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** LevelDB directory; omitted = in memory. */
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    verbose?: boolean;
    debug?: boolean;
    ssl?: boolean;
  }

  /** Returns an unstarted http.Server whose close() also closes the database. */
  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
