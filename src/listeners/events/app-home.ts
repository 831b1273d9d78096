import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { buildAppHome } from '../../blocks/app-home.js';
import type { KnownBlock } from '../../blocks/kit.js';
import type { ListenerDeps } from '../types.js';

/** App Home: open incidents, the on-call list and (when job monitoring provides them) the latest job results. */
export function createAppHomeOpened(deps: ListenerDeps, jobBlocks?: () => Promise<KnownBlock[]>) {
  return async ({
    event,
    client,
  }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== undefined && event.tab !== 'home') return;
    const [openIncidents, oncall, jobs] = await Promise.all([
      deps.services.incidents.listOpen(),
      deps.services.oncall.list(),
      jobBlocks ? jobBlocks() : Promise.resolve(undefined),
    ]);
    await client.views.publish({
      user_id: event.user,
      view: buildAppHome({ openIncidents, oncall, ...(jobs ? { jobBlocks: jobs } : {}) }),
    });
  };
}
