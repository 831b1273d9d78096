import { describe, expect, it } from 'vitest';
import {
  createMetricsRegistry,
  mergeFamilies,
  renderFamilies,
} from '../../src/integrations/prometheus-metrics.js';
import { slackMethodOf } from '../../src/integrations/slack-metrics.js';
import { sourceKind } from '../../src/services/metered.js';

describe('the Prometheus registry', () => {
  it('counts one series whatever the order of its labels, and keeps look-alike label sets apart', () => {
    const m = createMetricsRegistry();
    const requests = m.counter('hikeshi_test_requests_total', 'Requests.');
    requests.inc({ route: '/api/alerts', method: 'POST' });
    requests.inc({ method: 'POST', route: '/api/alerts' });
    expect(m.value('hikeshi_test_requests_total', { route: '/api/alerts', method: 'POST' })).toBe(2);
    // Values that run into each other when joined must stay separate series.
    requests.inc({ a: '1b', b: '' });
    requests.inc({ a: '1', b: 'b' });
    expect(m.value('hikeshi_test_requests_total', { a: '1b', b: '' })).toBe(1);
    expect(m.value('hikeshi_test_requests_total', { a: '1', b: 'b' })).toBe(1);
    // An invalid label name is refused every time, not only the first.
    for (let i = 0; i < 2; i += 1)
      expect(() => requests.inc({ __reserved: 'x' })).toThrow(/invalid metric label/);
  });

  it('renders HELP and TYPE once per metric, then one line per series, labels sorted and escaped', async () => {
    const m = createMetricsRegistry();
    const alerts = m.counter('hikeshi_alerts_total', 'Alert signals by outcome.');
    alerts.inc({ action: 'opened' });
    alerts.inc({ action: 'folded' }, 49);
    alerts.inc({ action: 'opened' });
    m.counter('hikeshi_odd_total', 'Back\\slash and\nnewline.').inc({ z: '1', a: 'quote " back\\ nl\n' });
    m.gauge('hikeshi_backlog', 'Waiting.').set(3);
    m.collect('hikeshi_incidents', 'Open incidents by status.', async () => [
      { labels: { status: 'triggered' }, value: 2 },
      { labels: { status: 'acknowledged' }, value: 0 },
    ]);
    expect(await m.render()).toBe(
      [
        '# HELP hikeshi_alerts_total Alert signals by outcome.',
        '# TYPE hikeshi_alerts_total counter',
        'hikeshi_alerts_total{action="opened"} 2',
        'hikeshi_alerts_total{action="folded"} 49',
        '# HELP hikeshi_odd_total Back\\\\slash and\\nnewline.',
        '# TYPE hikeshi_odd_total counter',
        'hikeshi_odd_total{a="quote \\" back\\\\ nl\\n",z="1"} 1',
        '# HELP hikeshi_backlog Waiting.',
        '# TYPE hikeshi_backlog gauge',
        'hikeshi_backlog 3',
        '# HELP hikeshi_incidents Open incidents by status.',
        '# TYPE hikeshi_incidents gauge',
        'hikeshi_incidents{status="triggered"} 2',
        'hikeshi_incidents{status="acknowledged"} 0',
        '',
      ].join('\n'),
    );
    expect(m.value('hikeshi_alerts_total', { action: 'folded' })).toBe(49);
  });

  it('declares a series at zero with inc(labels, 0), and shares a metric registered twice', async () => {
    const m = createMetricsRegistry();
    m.counter('hikeshi_x_total', 'X.').inc({ result: 'failed' }, 0);
    m.counter('hikeshi_x_total', 'X.').inc({ result: 'ok' });
    expect(await m.render()).toContain(
      'hikeshi_x_total{result="failed"} 0\nhikeshi_x_total{result="ok"} 1\n',
    );
  });

  it('refuses what Prometheus would refuse: bad names, a counter without _total, going down', () => {
    const m = createMetricsRegistry();
    expect(() => m.counter('hikeshi-x_total', 'x')).toThrow(/invalid metric name/);
    expect(() => m.counter('hikeshi_x', 'x')).toThrow(/_total/);
    expect(() => m.counter('hikeshi_y_total', 'y').inc(undefined, -1)).toThrow(/only go up/);
    expect(() => m.counter('hikeshi_z_total', 'z').inc({ 'bad-label': 'v' })).toThrow(/label/);
    m.gauge('hikeshi_g', 'g');
    expect(() => m.counter('hikeshi_g', 'g')).toThrow();
  });

  it('leaves out a scrape-time gauge whose read fails, keeping the rest of the scrape', async () => {
    const m = createMetricsRegistry();
    m.collect('hikeshi_broken', 'Broken.', () => Promise.reject(new Error('store down')));
    m.counter('hikeshi_ok_total', 'Ok.').inc();
    const text = await m.render();
    expect(text).toContain('# TYPE hikeshi_broken gauge\n# HELP hikeshi_ok_total');
    expect(text).toContain('hikeshi_ok_total 1');
  });
});

describe('bounded label values', () => {
  it('names Slack methods from the URL, anything else is other', () => {
    expect(slackMethodOf('http://127.0.0.1:1/api/chat.postMessage')).toBe('chat.postMessage');
    expect(slackMethodOf(new URL('https://slack.com/api/views.publish?x=1'))).toBe('views.publish');
    expect(slackMethodOf('https://hooks.slack.com/actions/T0/123/abc')).toBe('other');
  });

  it('maps alert sources to a few kinds', () => {
    expect(sourceKind({ source: 'alertmanager:team-a' })).toBe('alertmanager');
    expect(sourceKind({ source: 'job:nightly-backup' })).toBe('job');
    expect(sourceKind({ source: 'my-own-tool' })).toBe('other');
    expect(sourceKind({})).toBe('other');
  });
});

describe('a cluster’s figures, added up (WEB_CONCURRENCY)', () => {
  it('sums each series over the processes, keeps one HELP and TYPE, and leaves scrape-time gauges to one', async () => {
    const primary = createMetricsRegistry();
    const worker = createMetricsRegistry();
    for (const registry of [primary, worker]) {
      registry.counter('hikeshi_alerts_total', 'Alerts.').inc({ action: 'folded' }, 3);
      registry.collect('hikeshi_incidents', 'Open incidents.', () => [
        { labels: { status: 'triggered' }, value: 7 },
      ]);
    }
    worker.counter('hikeshi_alerts_total', 'Alerts.').inc({ action: 'opened' });
    const text = renderFamilies(
      mergeFamilies([await primary.snapshot(), await worker.snapshot({ collected: false })]),
    );
    expect(text).toBe(
      [
        '# HELP hikeshi_alerts_total Alerts.',
        '# TYPE hikeshi_alerts_total counter',
        'hikeshi_alerts_total{action="folded"} 6',
        'hikeshi_alerts_total{action="opened"} 1',
        '# HELP hikeshi_incidents Open incidents.',
        '# TYPE hikeshi_incidents gauge',
        'hikeshi_incidents{status="triggered"} 7',
        '',
      ].join('\n'),
    );
  });
});
