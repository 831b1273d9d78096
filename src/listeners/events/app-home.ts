import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { buildAppHome } from '../../blocks/app-home.js';
import type { KnownBlock } from '../../blocks/kit.js';
import { appHomeOncallBlocks } from '../../blocks/schedules.js';
import { silenceListBlocks } from '../../blocks/silences.js';
import { userShiftsIn } from '../../services/schedules.js';
import type { ListenerDeps } from '../types.js';

/** Blocks the schedules may take on the Home tab (a view holds 100; incidents and jobs need theirs). */
const HOME_ONCALL_BLOCKS_MAX = 40;

/** App Home: open incidents, the on-call list and (when job monitoring provides them) the latest job results. */
export function createAppHomeOpened(deps: ListenerDeps, jobBlocks?: () => Promise<KnownBlock[]>) {
  return async ({
    event,
    client,
  }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== undefined && event.tab !== 'home') return;
    const { schedules, feeds } = deps.services;
    const now = deps.clock.now();
    const [openIncidents, oncall, jobs, views, silences] = await Promise.all([
      deps.services.incidents.listOpen(),
      deps.services.oncall.list(),
      jobBlocks ? jobBlocks() : Promise.resolve(undefined),
      schedules.views(now, 3),
      deps.services.silences.current(),
    ]);
    // With schedules (issue 18): "You are on call for … until …", every schedule's now and next, its feed.
    const oncallBlocks =
      views.length === 0
        ? undefined
        : appHomeOncallBlocks({
            viewerShifts: userShiftsIn(views, event.user),
            views: views.map((v) => ({ ...v, next: v.next.slice(0, 2) })),
            responders: oncall,
            now,
            feedUrl: (id) => feeds.url(id),
            maxBlocks: HOME_ONCALL_BLOCKS_MAX,
          });
    await client.views.publish({
      user_id: event.user,
      view: buildAppHome({
        openIncidents,
        oncall,
        ...(oncallBlocks ? { oncallBlocks } : {}),
        ...(jobs ? { jobBlocks: jobs } : {}),
        silenceBlocks: silenceListBlocks(silences, now),
      }),
    });
  };
}
