/** Small helpers for the alert ingress tests: post a body the way a sender does, read what Slack shows. */
import type { StoredMessage } from '@hikeshi/slack-emulator';
import type { TestHikeshi } from './hikeshi.js';

export const ALERT_CHANNEL = 'C0ALERTS1';
export const BUTTON_LABELS = ['Watching', 'To Bedrock Agent', 'Reporting', 'Acknowledge', 'Resolve'];

export interface Posted {
  status: number;
  body: Record<string, unknown>;
}

export async function post(
  url: string,
  body: unknown,
  options: { token?: string; contentType?: string; headers?: Record<string, string> } = {},
): Promise<Posted> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...options.headers,
    },
    body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** The top-level messages in the alert channel. */
export const alertMessages = (h: TestHikeshi): StoredMessage[] =>
  h.emulator.workspace.messages(ALERT_CHANNEL);

/** The labels of every button on a message, in order. */
export function buttonLabels(message: StoredMessage): string[] {
  const labels: string[] = [];
  for (const block of message.blocks) {
    if (block['type'] !== 'actions' || !Array.isArray(block['elements'])) continue;
    for (const element of block['elements'] as Record<string, unknown>[]) {
      const text = element['text'] as { text?: unknown } | undefined;
      if (element['type'] === 'button' && typeof text?.text === 'string') labels.push(text.text);
    }
  }
  return labels;
}

export const rendered = (m: StoredMessage | undefined): string => JSON.stringify([m?.text, m?.blocks]);

/** Waits until an incident's message has been posted; returns it. */
export async function postedMessage(h: TestHikeshi, incidentId: string): Promise<StoredMessage> {
  for (let i = 0; i < 100; i += 1) {
    const slack = (await h.app.services.incidents.get(incidentId))?.slack;
    const message = slack ? h.emulator.workspace.message(slack.channel, slack.ts) : undefined;
    if (message) return message;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no Slack message for ${incidentId}`);
}
