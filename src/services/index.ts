import type { Store } from '../store/index.js';
import type { IncidentService } from './incidents.js';
import type { IncidentPublisher } from './ports/incident-publisher.js';

/** The use cases the listeners and routes call. Grows with each feature; built only in app.ts. */
export interface Services {
  store: Store;
  incidents: IncidentService;
  publisher: IncidentPublisher;
}
