/**
 * The deploy parameter check serverless.yml runs before packaging (scripts/serverless-deploy-params.mjs): the
 * parameters of a sound stack pass, and each one that would make a malformed ARN, or functions that fail at their
 * first invocation, is named. The plugin inside osls is exercised by test/integration/serverless-template.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  deployParameterProblems,
  formatProblems,
  resolveStageParams,
} from '../../scripts/serverless-deploy-params.mjs';

const SOUND = {
  secretsId: 'hikeshi/prod',
  connectInstanceRegion: 'ap-northeast-1',
  connectInstanceId: '',
  connectContactFlowId: '',
  connectSourcePhone: '',
  bedrockAgentId: '',
  bedrockAgentAliasId: '',
  mqBrokerArn: 'arn:aws:mq:ap-northeast-1:123456789012:broker:hikeshi:b-1234abcd-56ef-78ab-90cd-ef1234567890',
  mqSecretArn: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:hikeshi/mq-AbCdEf',
};
const PHONE = {
  connectInstanceId: '0f2d6b1e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
  connectContactFlowId: '9c1b7a2e-3d4c-4b5a-9e8f-7a6b5c4d3e2f',
  connectSourcePhone: '+815012345678',
};
const named = (params: Record<string, unknown>) => deployParameterProblems(params).map((p) => p.param);

describe('deployParameterProblems', () => {
  it('passes a stack without phone and Bedrock, and one with both', () => {
    expect(deployParameterProblems(SOUND)).toEqual([]);
    expect(
      deployParameterProblems({
        ...SOUND,
        ...PHONE,
        bedrockAgentId: 'AGENT12345',
        bedrockAgentAliasId: 'TSTALIASID',
      }),
    ).toEqual([]);
  });

  it('names the missing Connect settings of a partial phone configuration', () => {
    expect(named({ ...SOUND, connectInstanceId: PHONE.connectInstanceId })).toEqual([
      'connectContactFlowId',
      'connectSourcePhone',
    ]);
    expect(named({ ...SOUND, ...PHONE, connectInstanceRegion: '' })).toEqual(['connectInstanceRegion']);
    expect(
      deployParameterProblems({ ...SOUND, connectContactFlowId: PHONE.connectContactFlowId })[0]?.reason,
    ).toBe('empty while connectContactFlowId is set: phone escalation needs all of them');
  });

  it('refuses an ARN where an id goes, and a phone number that is not E.164', () => {
    expect(
      named({
        ...SOUND,
        ...PHONE,
        connectInstanceId: `arn:aws:connect:ap-northeast-1:123456789012:instance/${PHONE.connectInstanceId}`,
        connectSourcePhone: '050-1234-5678',
        connectInstanceRegion: 'tokyo',
      }),
    ).toEqual(['connectInstanceId', 'connectInstanceRegion', 'connectSourcePhone']);
  });

  it('names the missing half of the Bedrock agent', () => {
    expect(named({ ...SOUND, bedrockAgentId: 'AGENT12345' })).toEqual(['bedrockAgentAliasId']);
    expect(named({ ...SOUND, bedrockAgentAliasId: 'TSTALIASID' })).toEqual(['bedrockAgentId']);
  });

  it("refuses serverless.yml's placeholder broker and its secret, and anything that is not their ARN", () => {
    expect(
      named({
        ...SOUND,
        mqBrokerArn:
          'arn:aws:mq:ap-northeast-1:000000000000:broker:hikeshi:b-00000000-0000-0000-0000-000000000000',
        mqSecretArn: 'arn:aws:secretsmanager:ap-northeast-1:000000000000:secret:hikeshi/mq-000000',
      }),
    ).toEqual(['mqBrokerArn', 'mqSecretArn']);
    expect(named({ ...SOUND, mqBrokerArn: '', mqSecretArn: 'hikeshi/mq' })).toEqual([
      'mqBrokerArn',
      'mqSecretArn',
    ]);
  });

  it('wants the secret by name, as the IAM policy builds its ARN from it', () => {
    expect(named({ ...SOUND, secretsId: '' })).toEqual(['secretsId']);
    expect(
      named({
        ...SOUND,
        secretsId: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:hikeshi/prod-AbCdEf',
      }),
    ).toEqual(['secretsId']);
  });
});

describe('deployParameterProblems: logGroupToWatch', () => {
  it('takes a log group name, or nothing, and refuses its ARN', () => {
    expect(named({ ...SOUND, logGroupToWatch: '/aws/lambda/orders-api' })).toEqual([]);
    expect(named({ ...SOUND, logGroupToWatch: '/ecs/web#blue' })).toEqual([]);
    expect(named({ ...SOUND, logGroupToWatch: '' })).toEqual([]);
    expect(
      named({
        ...SOUND,
        logGroupToWatch: 'arn:aws:logs:ap-northeast-1:123456789012:log-group:/aws/lambda/orders-api:*',
      }),
    ).toEqual(['logGroupToWatch']);
  });
});

describe('resolveStageParams', () => {
  it('takes --param, then params.<stage>, then params.default, as osls does', () => {
    const configured = { default: { a: '1', b: '1', c: '1' }, prod: { b: '2', c: '2' } };
    expect(resolveStageParams(configured, 'prod', ['c=3 '])).toEqual({ a: '1', b: '2', c: '3' });
    expect(resolveStageParams(configured, 'dev', ['url=https://x/?a=b'])).toMatchObject({
      url: 'https://x/?a=b',
    });
  });
});

describe('formatProblems', () => {
  it('names each parameter on its own line and says how to skip the check', () => {
    expect(formatProblems('prod', [{ param: 'mqBrokerArn', reason: 'why' }])).toBe(
      'Deploy parameters of stage "prod" that would make a broken stack (malformed ARNs, or functions that fail at their first invocation):\n' +
        '  - mqBrokerArn: why\n' +
        'Set them with --param "name=value" (or under params.prod in serverless.yml); --stage local packages without this check.',
    );
  });
});
