import { describe, expect, it } from 'vitest';
import { analyseLocally, classifyErrorText, createLocalAnalysis } from '../../src/domain/local-analyser.js';

const ids = (text: string) => classifyErrorText(text).map((rule) => rule.id);

describe('local analyser', () => {
  it.each([
    ['Task timed out after 30.03 seconds', 'timeout'],
    ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', 'oom'],
    ['container killed: OOMKilled (exit code 137)', 'oom'],
    ["ENOSPC: no space left on device, write '/var/log/app.log'", 'disk_full'],
    ['connect ECONNREFUSED 10.0.3.12:5432', 'connection'],
    ['getaddrinfo ENOTFOUND db.internal', 'connection'],
    ['AccessDeniedException: User is not authorized to perform bedrock:InvokeAgent', 'auth'],
    ['HTTP 429 Too Many Requests from payments API', 'rate_limit'],
    ['upstream returned 502 Bad Gateway', 'upstream_5xx'],
    ["TypeError: Cannot read properties of undefined (reading 'id')", 'null_reference'],
    ['Error: Cannot find module ./config/production.json', 'deploy_config'],
    ['certificate has expired (CERT_HAS_EXPIRED)', 'certificate'],
  ])('classifies %j as %s', (text, id) => {
    expect(ids(text)).toContain(id);
  });

  it('says plainly that it is not an LLM, and gives next steps', () => {
    const { text, findings } = analyseLocally('connect ECONNREFUSED 127.0.0.1:6379');
    expect(text.startsWith('*Local rule-based analysis (not an LLM).*')).toBe(true);
    expect(findings[0]?.id).toBe('connection');
    expect(text).toContain('• Check that the target service is running');
  });

  it('answers generically when nothing matches', () => {
    const { text, findings } = analyseLocally('the widget is purple');
    expect(findings).toEqual([]);
    expect(text).toContain('No known pattern matched');
  });

  it('lists at most three findings', () => {
    const { findings } = analyseLocally('timeout ECONNREFUSED 429 502 ENOSPC OOMKilled access denied');
    expect(findings).toHaveLength(3);
  });

  it('streams as an AnalysisPort in a couple of chunks', async () => {
    const chunks: string[] = [];
    for await (const chunk of createLocalAnalysis().analyze({
      sessionId: 'INC-1',
      inputText: 'Task timed out',
    })) {
      chunks.push(chunk);
    }
    expect(chunks).toHaveLength(2);
    expect(chunks.join('')).toBe(analyseLocally('Task timed out').text);
  });
});
