import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../src/domain/alert.js';
import { eventsV2Invalid, eventsV2Success, parseEventsV2 } from '../../src/domain/sources/events-v2.js';
import { fixture } from '../fixtures/index.js';

describe('parseEventsV2', () => {
  it("maps PagerDuty's documented trigger example", () => {
    expect(parseEventsV2(fixture('events-v2-trigger.json'))).toEqual({
      ok: true,
      routingKey: 'e93facc04764012d7bfb002500d5d1a6',
      signal: {
        action: 'trigger',
        title: 'DISK at 99% on machine prod-datapipe03.example.com',
        severity: 'critical',
        source: 'prod-datapipe03.example.com',
        dedupKey: 'srv01/mysql',
        occurredAt: '2015-07-17T08:42:58.315Z',
        details: {
          component: 'mysql',
          group: 'prod-datapipe',
          class: 'disk',
          'free space': '1%',
          'ping time': '1500ms',
          'load avg': 0.75,
        },
        links: [
          { title: 'An example link.', url: 'http://pagerduty.example.com' },
          { title: 'Sample Monitoring Service', url: 'https://monitoring.service.com' },
        ],
      },
    });
  });

  it('maps acknowledge and resolve onto the same fingerprint as the trigger', () => {
    const trigger = parseEventsV2(fixture('events-v2-trigger.json'));
    const ack = parseEventsV2(fixture('events-v2-acknowledge.json'));
    const resolve = parseEventsV2(fixture('events-v2-resolve.json'));
    if (!trigger.ok || !ack.ok || !resolve.ok) throw new Error('fixture did not parse');
    // No severity: an acknowledge or resolve changes nothing but the status.
    expect(ack.signal).toEqual({
      action: 'acknowledge',
      title: 'srv01/mysql',
      dedupKey: 'srv01/mysql',
      links: [],
    });
    expect(resolve.signal.action).toBe('resolve');
    expect(fingerprintOf(ack.signal)).toBe(fingerprintOf(trigger.signal));
    expect(fingerprintOf(resolve.signal)).toBe(fingerprintOf(trigger.signal));
  });

  it('folds a trigger without dedup_key by source and summary', () => {
    const result = parseEventsV2({
      routing_key: 'k',
      event_action: 'trigger',
      payload: { summary: 'CPU 97% on host', source: 'host', severity: 'warning' },
    });
    if (!result.ok) throw new Error(result.reason);
    expect(result.signal).not.toHaveProperty('dedupKey');
    expect(result.signal).not.toHaveProperty('details');
    const again = parseEventsV2({
      routing_key: 'k',
      event_action: 'trigger',
      payload: { summary: 'CPU 98% on host', source: 'host', severity: 'warning' },
    });
    if (!again.ok) throw new Error(again.reason);
    expect(fingerprintOf(again.signal)).toBe(fingerprintOf(result.signal));
  });

  it('keeps non-object custom_details under their own key', () => {
    const result = parseEventsV2({
      routing_key: 'k',
      event_action: 'trigger',
      payload: { summary: 's', source: 'h', severity: 'info', custom_details: 'free text' },
    });
    expect(result).toMatchObject({ ok: true, signal: { details: { custom_details: 'free text' } } });
  });

  it.each([
    [{ event_action: 'trigger' }, 'routing_key'],
    [{ routing_key: 'k' }, 'event_action'],
    [{ routing_key: 'k', event_action: 'snooze' }, 'event_action'],
    [{ routing_key: 'k', event_action: 'trigger' }, 'payload'],
    [
      { routing_key: 'k', event_action: 'trigger', payload: { source: 'h', severity: 'info' } },
      'payload.summary',
    ],
    [
      { routing_key: 'k', event_action: 'trigger', payload: { summary: 's', severity: 'info' } },
      'payload.source',
    ],
    [
      { routing_key: 'k', event_action: 'trigger', payload: { summary: 's', source: 'h' } },
      'payload.severity',
    ],
    [
      {
        routing_key: 'k',
        event_action: 'trigger',
        payload: { summary: 's', source: 'h', severity: 'fatal' },
      },
      'payload.severity',
    ],
    [{ routing_key: 'k', event_action: 'acknowledge' }, 'dedup_key'],
    [{ routing_key: 'k', event_action: 'resolve', dedup_key: '' }, 'dedup_key'],
    [
      {
        routing_key: 'k',
        event_action: 'trigger',
        payload: { summary: 's', source: 'h', severity: 'info' },
        links: [{ href: 'not a url' }],
      },
      'links.0.href',
    ],
  ])('refuses %j naming %s', (body, field) => {
    expect(parseEventsV2(body)).toMatchObject({ ok: false, field });
  });
});

describe('Events v2 responses', () => {
  it("mirror PagerDuty's bodies", () => {
    expect(eventsV2Success('srv01/mysql')).toEqual({
      status: 'success',
      message: 'Event processed',
      dedup_key: 'srv01/mysql',
    });
    expect(eventsV2Invalid({ ok: false, field: 'payload.summary', reason: 'is required' })).toEqual({
      status: 'invalid event',
      message: 'Event object is invalid',
      errors: ["'payload.summary' is required"],
    });
  });
});
