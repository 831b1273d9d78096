import type { Store } from '../store/index.js';

/** The use cases the listeners and routes call. Grows with each feature; built only in app.ts. */
export interface Services {
  store: Store;
}
