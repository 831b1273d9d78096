import { describe, expect, it } from 'vitest';
import {
  cloudWatchFragment,
  consoleHost,
  isRegion,
  logStreamConsoleUrl,
} from '../../src/domain/aws-console.js';

/** How the console reads a fragment name back: `$` → `%`, then URI-decoded twice. */
const consoleDecodes = (fragment: string) =>
  decodeURIComponent(decodeURIComponent(fragment.replace(/\$/g, '%')));

describe('CloudWatch console links', () => {
  it("encodes names as the console's address bar does: URI-encoded twice, % written as $", () => {
    expect(cloudWatchFragment('/aws/lambda/orders-api')).toBe('$252Faws$252Flambda$252Forders-api');
    // A Lambda log stream: `[`, `$` and `]` as the console writes them ($255B, $2524, $255D).
    expect(cloudWatchFragment('2026/01/14/[$LATEST]0f3c9a7d2b1e4c5f8a6d7e9b0c1d2e3f')).toBe(
      '2026$252F01$252F14$252F$255B$2524LATEST$255D0f3c9a7d2b1e4c5f8a6d7e9b0c1d2e3f',
    );
    expect(cloudWatchFragment('app#blue green')).toBe('app$2523blue$2520green');
    // Characters encodeURIComponent leaves alone are escaped too (the console writes `!` as $2521).
    expect(cloudWatchFragment("a!b'c(d)e*f")).toBe('a$2521b$2527c$2528d$2529e$252Af');
  });

  it('round-trips every name through the console decoding', () => {
    for (const name of [
      '/aws/lambda/orders-api',
      '2026/01/14/[$LATEST]0f3c9a7d2b1e4c5f8a6d7e9b0c1d2e3f',
      '/ecs/web/app#1',
      'ログ/グループ',
      "weird !'()*~._- name",
    ]) {
      expect(consoleDecodes(cloudWatchFragment(name))).toBe(name);
      expect(cloudWatchFragment(name)).toMatch(/^[A-Za-z0-9$._~-]*$/);
    }
  });

  it('links the log stream in the region console', () => {
    expect(
      logStreamConsoleUrl(
        'ap-northeast-1',
        '/aws/lambda/orders-api',
        '2026/01/14/[$LATEST]0f3c9a7d2b1e4c5f8a6d7e9b0c1d2e3f',
      ),
    ).toBe(
      'https://ap-northeast-1.console.aws.amazon.com/cloudwatch/home?region=ap-northeast-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Forders-api/log-events/2026$252F01$252F14$252F$255B$2524LATEST$255D0f3c9a7d2b1e4c5f8a6d7e9b0c1d2e3f',
    );
    expect(logStreamConsoleUrl('us-east-1', 'CloudTrail')).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/CloudTrail',
    );
    expect(URL.canParse(logStreamConsoleUrl('eu-west-1', '/a b/c', '[x]'))).toBe(true);
  });

  it('uses the China and GovCloud consoles there', () => {
    expect(consoleHost('cn-north-1')).toBe('cn-north-1.console.amazonaws.cn');
    expect(consoleHost('us-gov-west-1')).toBe('us-gov-west-1.console.amazonaws-us-gov.com');
    expect(consoleHost('eu-central-2')).toBe('eu-central-2.console.aws.amazon.com');
  });

  it('knows a region name from anything else', () => {
    for (const region of ['ap-northeast-1', 'us-gov-west-1', 'cn-northwest-1', 'eu-central-2'])
      expect(isRegion(region)).toBe(true);
    for (const other of ['', 'local', 'evil.example.com/x', 'ap-northeast-1.evil', 'AP-NORTHEAST-1'])
      expect(isRegion(other)).toBe(false);
  });
});
