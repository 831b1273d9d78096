import type { Store } from '../store/index.js';
import type { IncidentService } from './incidents.js';
import type { Defer, DeferredHandlers } from './ports/defer.js';
import type { IncidentPublisher } from './ports/incident-publisher.js';

/** The use cases the listeners and routes call. Grows with each feature; built only in app.ts. */
export interface Services {
  store: Store;
  incidents: IncidentService;
  publisher: IncidentPublisher;
  defer: Defer;
  /** Named slow-work handlers `defer` dispatches to; each service registers its own. */
  deferredHandlers: DeferredHandlers;
}
