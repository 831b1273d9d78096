/** The SilenceAnnouncer port over the Slack Web API: a silence's end summary in the alert channel. */
import type { WebClient } from '@slack/web-api';
import { buildSilenceSummary } from '../blocks/silences.js';
import type { SilenceAnnouncer } from '../services/ports/silence-announcer.js';

export function createSlackSilenceAnnouncer(deps: { client: WebClient; channel: string }): SilenceAnnouncer {
  return {
    async postSummary(silence, incidents) {
      const message = buildSilenceSummary(silence, incidents);
      const posted = await deps.client.chat.postMessage({
        channel: deps.channel,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
      });
      if (posted.channel === undefined || posted.ts === undefined) {
        throw new Error('chat.postMessage answered without channel and ts');
      }
      return { channel: posted.channel, ts: posted.ts };
    },
  };
}
