/**
 * serverless.yml, as CloudFormation: the template `osls package` makes of it (offline), checked against the
 * code it deploys. The tables match src/store/tables.ts; every HTTP route reaches a route of the ingress
 * router; every environment variable is one src/config knows, and no secret is a plain parameter; each
 * function's IAM role allows what that function does and nothing broader.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_FUNCTION_NAMES } from '../../scripts/build-lambda.js';
import { CONFIG_VARIABLES } from '../../src/config/index.js';
import { TABLE_DEFINITIONS, TABLE_IDS, TTL_ATTRIBUTE, type TableId } from '../../src/store/tables.js';
import { startHikeshi, type TestHikeshi } from '../helpers/hikeshi.js';
import {
  asList,
  grantedTables,
  packageServerless,
  roleOf,
  roleStatements,
  tableResourceId,
  type CfnResource,
  BROKER_PARAMS,
  type CfnTemplate,
  type PackagedStack,
} from '../helpers/serverless.js';
import { malformedArns, resolveIntrinsics } from '../helpers/cloudformation.js';
import { isoAt, lines, requestIds } from '../helpers/cloudwatch-logs.js';

/** serverless.yml's default `logFilterPattern`. */
const LOG_FILTER_PATTERN = '%ERROR|Error|Exception|Traceback|FATAL|CRITICAL|panic|Task.timed.out%';

const PARAMS = {
  secretsId: 'hikeshi/prod',
  connectInstanceRegion: 'ap-northeast-1',
  connectInstanceId: 'inst-0f2d',
  connectContactFlowId: 'flow-9c1b',
  connectSourcePhone: '+815012345678',
  bedrockAgentId: 'AGENT12345',
  bedrockAgentAliasId: 'ALIAS67890',
  mqBrokerArn: 'arn:aws:mq:ap-northeast-1:123456789012:broker:hikeshi:b-1234',
  mqSecretArn: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:hikeshi/mq-AbCdEf',
  logGroupToWatch: '/aws/lambda/orders-api',
};

/** The functions whose slow work (an opened incident's notice, analyses, reports) goes to the worker. */
const DEFERS_TO_WORKER = ['slack', 'ingress', 'logs'];

/** Issue 17: a deploy with the defaults, i.e. without phone escalation or a Bedrock agent. */
const DEFAULT_PARAMS = { secretsId: 'hikeshi/prod', ...BROKER_PARAMS };

let template: CfnTemplate;
let withoutPhone: CfnTemplate;
/** What osls said when asked to package bad parameters. */
let refusal: string;
let dryRun: CfnTemplate;
/** logGroupToWatch set to the `logs` function's own log group. */
let watchingItself: CfnTemplate;
let h: TestHikeshi;

beforeAll(async () => {
  let packaged: PackagedStack;
  let plain: PackagedStack;
  let local: PackagedStack;
  let itself: PackagedStack;
  [packaged, plain, refusal, local, itself, h] = await Promise.all([
    packageServerless({ stage: 'prod', params: PARAMS }),
    packageServerless({ stage: 'prod', params: DEFAULT_PARAMS }),
    // The placeholder broker of the defaults, an instance without its flow and phone, an agent without its alias.
    packageServerless({
      stage: 'prod',
      params: { connectInstanceId: 'inst-0f2d', bedrockAgentId: 'AGENT12345' },
    })
      .then(() => 'packaged')
      .catch((error: Error) => error.message),
    packageServerless({ stage: 'local' }),
    packageServerless({
      stage: 'prod',
      params: { ...DEFAULT_PARAMS, logGroupToWatch: '/aws/lambda/hikeshi-prod-logs' },
    }),
    startHikeshi(),
  ]);
  template = packaged.template;
  withoutPhone = plain.template;
  dryRun = local.template;
  watchingItself = itself.template;
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const resources = (type: string): [string, CfnResource][] =>
  Object.entries(template.Resources).filter(([, r]) => r.Type === type);
const fnResource = (fn: string) =>
  template.Resources[`${fn.charAt(0).toUpperCase()}${fn.slice(1)}LambdaFunction`];
const props = (r: CfnResource | undefined) => (r?.Properties ?? {}) as Record<string, unknown>;
const environmentOf = (fn: string) =>
  ((props(fnResource(fn))['Environment'] as { Variables?: Record<string, unknown> }).Variables ??
    {}) as Record<string, unknown>;
const statementsWith = (role: string, action: string, from: CfnTemplate = template) =>
  roleStatements(from, role).filter((s) => asList(s.Action).includes(action));

describe('serverless.yml packaged by osls', () => {
  it('declares every table of src/store/tables.ts: keys, TTL, on-demand, point-in-time recovery, retained', () => {
    expect(
      resources('AWS::DynamoDB::Table')
        .map(([id]) => id)
        .sort(),
    ).toEqual(TABLE_IDS.map(tableResourceId).sort());
    for (const id of TABLE_IDS) {
      const def = TABLE_DEFINITIONS[id];
      const table = template.Resources[tableResourceId(id)]!;
      expect(table.DeletionPolicy).toBe('Retain');
      expect(props(table)).toMatchObject({
        TableName: `hikeshi-prod-${def.defaultName}`,
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
      const keys = [def.partitionKey, ...(def.sortKey === undefined ? [] : [def.sortKey])];
      expect(props(table)['KeySchema']).toEqual(
        keys.map((name, i) => ({ AttributeName: name, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
      );
      const index = def.index;
      expect(props(table)['AttributeDefinitions']).toEqual([
        ...keys.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        ...(index === undefined
          ? []
          : [
              { AttributeName: index.partitionKey, AttributeType: 'S' },
              { AttributeName: index.sortKey, AttributeType: 'N' },
            ]),
      ]);
      // Issue 19: the Escalations table's sparse due index, as src/store/table-setup.ts creates it.
      expect(props(table)['GlobalSecondaryIndexes']).toEqual(
        index === undefined
          ? undefined
          : [
              {
                IndexName: index.name,
                KeySchema: [
                  { AttributeName: index.partitionKey, KeyType: 'HASH' },
                  { AttributeName: index.sortKey, KeyType: 'RANGE' },
                ],
                Projection: { ProjectionType: 'ALL' },
              },
            ],
      );
      expect(props(table)['TimeToLiveSpecification']).toEqual(
        def.ttlAttribute === undefined ? undefined : { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      );
      for (const fn of LAMBDA_FUNCTION_NAMES)
        expect(environmentOf(fn)[def.envVar]).toEqual({ Ref: tableResourceId(id) });
    }
  });

  it('ships each function as its prebuilt bundle, on Node.js 22 arm64, with its own role', () => {
    for (const fn of LAMBDA_FUNCTION_NAMES) {
      const p = props(fnResource(fn));
      expect(p).toMatchObject({
        Handler: `${fn}.handler`,
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        FunctionName: `hikeshi-prod-${fn}`,
        Role: { 'Fn::GetAtt': [roleOf(fn), 'Arn'] },
      });
      expect(String((p['Code'] as { S3Key: string }).S3Key)).toMatch(new RegExp(`/${fn}\\.zip$`));
    }
    expect(props(fnResource('connectFlow'))['Timeout']).toBe(8);
    expect(props(template.Resources['WorkerLambdaEvConf'])).toMatchObject({ MaximumRetryAttempts: 0 });
  });

  it('routes POST /slack/events to slack and every other path to a route of the ingress router', async () => {
    const routes = resources('AWS::ApiGatewayV2::Route').map(([, r]) => props(r));
    const keys = routes.map((r) => String(r['RouteKey']));
    expect(keys).toContain('POST /slack/events');
    for (const route of routes) {
      const target = JSON.stringify(route['Target']);
      expect(target).toContain(
        route['RouteKey'] === 'POST /slack/events' ? 'HttpApiIntegrationSlack' : 'HttpApiIntegrationIngress',
      );
    }
    for (const key of keys.filter((k) => k !== 'POST /slack/events')) {
      const [method = '', pattern = ''] = key.split(' ');
      const path = pattern.replace('{jobKey}', 'nightly').replace('{file}', 'INC-1.html');
      const response = await h.app.ingress({
        method,
        path,
        query: new URLSearchParams(),
        headers: {},
        rawBody: Buffer.alloc(0),
        requestId: 'template-test',
      });
      expect(response.status, key).not.toBe(405);
      expect(response.body, key).not.toEqual({ error: 'not found', code: 'NOT_FOUND' });
    }
  });

  it('ticks every minute, consumes tasks from Amazon MQ, and lets Connect invoke connectFlow', () => {
    const [[, rule] = []] = resources('AWS::Events::Rule');
    expect(props(rule)['ScheduleExpression']).toBe('rate(1 minute)');
    expect(JSON.stringify(props(rule)['Targets'])).toContain('TickLambdaFunction');

    const [[, mapping] = []] = resources('AWS::Lambda::EventSourceMapping');
    expect(props(mapping)).toMatchObject({
      FunctionName: { 'Fn::GetAtt': ['TasksLambdaFunction', 'Arn'] },
      EventSourceArn: PARAMS.mqBrokerArn,
      Queues: ['hikeshi.tasks'],
      SourceAccessConfigurations: [{ Type: 'BASIC_AUTH', URI: PARAMS.mqSecretArn }],
    });

    const permission = props(template.Resources['ConnectFlowInvokedByConnect']);
    expect(permission).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'connect.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': ['ConnectFlowLambdaFunction', 'Arn'] },
    });
    expect(JSON.stringify(permission['SourceArn'])).toContain(`instance/${PARAMS.connectInstanceId}`);
  });

  it('lets CloudWatch Logs of this account and region invoke logs, and subscribes logGroupToWatch (only it, never logs itself)', () => {
    expect(props(template.Resources['LogsInvokedByCloudWatchLogs'])).toEqual({
      FunctionName: { 'Fn::GetAtt': ['LogsLambdaFunction', 'Arn'] },
      Action: 'lambda:InvokeFunction',
      Principal: 'logs.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: { 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*' },
    });
    const filter = template.Resources['LogsSubscriptionFilter'];
    expect(filter?.DependsOn).toEqual(['LogsInvokedByCloudWatchLogs']);
    expect(props(filter)).toEqual({
      LogGroupName: PARAMS.logGroupToWatch,
      FilterPattern: LOG_FILTER_PATTERN,
      DestinationArn: { 'Fn::GetAtt': ['LogsLambdaFunction', 'Arn'] },
    });
    // Without logGroupToWatch (the default), or pointed at its own log group: the permission, no subscription.
    for (const other of [withoutPhone, watchingItself]) {
      expect(other.Resources['LogsSubscriptionFilter']).toBeUndefined();
      expect(other.Resources['LogsInvokedByCloudWatchLogs']).toBeDefined();
    }
    expect(props(fnResource('logs'))['Timeout']).toBe(60);
    expect(JSON.stringify(template.Outputs?.['LogsFunctionArn'])).toContain('LogsLambdaFunction');
  });

  it("the default filter pattern is a CloudWatch regex pattern that lets every runtime's error line through", () => {
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/regex-expressions.html: within `%…%`, only
    // alphanumerics, the symbols :_#=@/;,- and the operators ^$?[]{}|\*+. (no spaces, no parentheses).
    const match = /^%([A-Za-z0-9:_#=@/;,\-^$?[\]{}|\\*+.]+)%$/.exec(LOG_FILTER_PATTERN);
    expect(match, LOG_FILTER_PATTERN).not.toBeNull();
    const regex = new RegExp(match![1]!);
    const [id = ''] = requestIds;
    const errorLines = [
      lines.nodeInvokeError(id, isoAt(0)),
      lines.nodeConsoleError(id, isoAt(0)),
      lines.pythonUncaught(),
      lines.pythonLogging(id, isoAt(0), 1),
      lines.javaUncaught(),
      lines.timedOut(id, isoAt(0)),
      lines.runtimeExited(id),
    ];
    for (const line of errorLines) expect(regex.test(line), line).toBe(true);
    expect(regex.test(lines.start(id))).toBe(false);
    expect(regex.test(lines.nodeInfo(id, isoAt(0)))).toBe(false);
  });

  it('sets only variables src/config knows, takes secrets from SECRETS_ID, and names the worker where slow work starts', () => {
    const known = new Map(CONFIG_VARIABLES.map((v) => [v.env, v]));
    for (const fn of LAMBDA_FUNCTION_NAMES) {
      const env = environmentOf(fn);
      expect(
        Object.keys(env).filter((name) => !known.has(name)),
        fn,
      ).toEqual([]);
      expect(
        Object.keys(env).filter((name) => known.get(name)?.secret === true),
        fn,
      ).toEqual([]);
      expect(env['SECRETS_ID']).toBe(PARAMS.secretsId);
      expect(env['WORKER_FUNCTION_NAME']).toBe(
        DEFERS_TO_WORKER.includes(fn) ? 'hikeshi-prod-worker' : undefined,
      );
    }
  });

  it('gives each role only its tables, the one secret, and the calls its function makes', () => {
    const expectedTables: Record<string, TableId[]> = {
      slack: [
        'incidents',
        'dedup',
        'responders',
        'callStatus',
        'inProgress',
        'callHistory',
        'jobReports',
        'oncall',
        'escalations',
        'contacts',
        'silences',
      ],
      ingress: [
        'incidents',
        'dedup',
        'jobReports',
        'responders',
        'callStatus',
        'inProgress',
        'callHistory',
        'oncall',
        'escalations',
        'silences',
      ],
      worker: ['incidents', 'dedup', 'callStatus', 'callHistory'],
      tick: [
        'incidents',
        'dedup',
        'jobReports',
        'responders',
        'callStatus',
        'inProgress',
        'callHistory',
        'oncall',
        'escalations',
        'contacts',
        'silences',
      ],
      tasks: ['dedup'],
      connectFlow: [
        'incidents',
        'dedup',
        'responders',
        'callStatus',
        'inProgress',
        'callHistory',
        'escalations',
      ],
      logs: ['incidents', 'dedup', 'escalations', 'silences'],
    };
    const secretArn = `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${PARAMS.secretsId}-??????`;
    for (const fn of LAMBDA_FUNCTION_NAMES) {
      const role = roleOf(fn);
      const trust = props(template.Resources[role])['AssumeRolePolicyDocument'];
      expect(trust).toEqual({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      });
      expect(grantedTables(template, role).sort(), fn).toEqual([...expectedTables[fn]!].sort());

      const statements = roleStatements(template, role);
      for (const s of statements) {
        expect(
          asList(s.Action).filter((a) => String(a).endsWith('*')),
          `${fn}: wildcard action`,
        ).toEqual([]);
        if (asList(s.Resource).includes('*'))
          expect(
            asList(s.Action).every((a) => String(a).startsWith('ec2:')),
            fn,
          ).toBe(true);
      }
      expect(statementsWith(role, 'secretsmanager:GetSecretValue').map((s) => s.Resource)).toContainEqual({
        'Fn::Sub': secretArn,
      });
      const logs = statementsWith(role, 'logs:PutLogEvents').map((s) => JSON.stringify(s.Resource));
      expect(logs, fn).toEqual([expect.stringContaining(`/aws/lambda/hikeshi-prod-${fn}:*`)]);

      const invokes = statementsWith(role, 'lambda:InvokeFunction').map((s) => s.Resource);
      expect(invokes, fn).toEqual(
        DEFERS_TO_WORKER.includes(fn) ? [{ 'Fn::GetAtt': ['WorkerLambdaFunction', 'Arn'] }] : [],
      );
      const calls = statementsWith(role, 'connect:StartOutboundVoiceContact').flatMap((s) =>
        asList(s.Resource),
      );
      expect(calls.length > 0, fn).toBe(['ingress', 'tick', 'connectFlow'].includes(fn));
      for (const call of calls)
        expect(JSON.stringify(call)).toContain(`instance/${PARAMS.connectInstanceId}/`);
      const agents = statementsWith(role, 'bedrock:InvokeAgent').map((s) => JSON.stringify(s.Resource));
      expect(agents, fn).toEqual(
        fn === 'worker'
          ? [expect.stringContaining(`agent-alias/${PARAMS.bedrockAgentId}/${PARAMS.bedrockAgentAliasId}`)]
          : [],
      );
    }
    // Issue 18: the Oncall table, with only the calls each function makes on it.
    const oncallActions = (role: string) =>
      roleStatements(template, role)
        .filter((s) => JSON.stringify(s.Resource).includes('OncallTable'))
        .flatMap((s) => asList(s.Action))
        .sort();
    expect(oncallActions('SlackRole')).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(oncallActions('IngressRole')).toEqual(['dynamodb:GetItem']);
    expect(oncallActions('TickRole')).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    // Issue 20: the Silences table, with only the calls each function makes on it.
    const silenceActions = (role: string) =>
      roleStatements(template, role)
        .filter((s) => JSON.stringify(s.Resource).includes('SilencesTable'))
        .flatMap((s) => asList(s.Action))
        .sort();
    const makes = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:UpdateItem'];
    expect(silenceActions('SlackRole')).toEqual(makes);
    expect(silenceActions('IngressRole')).toEqual(makes);
    expect(silenceActions('TickRole')).toEqual(['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:UpdateItem']);
    expect(silenceActions('LogsRole')).toEqual(['dynamodb:Scan']);
    expect(statementsWith('TasksRole', 'mq:DescribeBroker').map((s) => s.Resource)).toEqual([
      PARAMS.mqBrokerArn,
    ]);
    expect(statementsWith('TasksRole', 'secretsmanager:GetSecretValue').map((s) => s.Resource)).toContain(
      PARAMS.mqSecretArn,
    );
  });
});

describe('serverless.yml deploy parameters (issue 17)', () => {
  it('with the defaults (no phone, no Bedrock agent): no Connect or Bedrock permission, no Connect region, no malformed ARN', () => {
    for (const fn of LAMBDA_FUNCTION_NAMES) {
      for (const action of ['connect:StartOutboundVoiceContact', 'bedrock:InvokeAgent'])
        expect(statementsWith(roleOf(fn), action, withoutPhone), `${fn} ${action}`).toEqual([]);
      const env = resolveIntrinsics(
        (
          props(withoutPhone.Resources[`${fn.charAt(0).toUpperCase()}${fn.slice(1)}LambdaFunction`])[
            'Environment'
          ] as { Variables: unknown }
        ).Variables,
        withoutPhone,
        { region: 'ap-northeast-1', accountId: '123456789012', stackName: 'hikeshi-prod' },
      ) as Record<string, string>;
      // All four Connect settings empty: the all-or-none rule of the configuration holds, phone escalation is off.
      for (const name of ['CONNECT_INSTANCE_REGION', 'CONNECT_INSTANCE_ID', 'CONNECT_CONTACT_FLOW_ID'])
        expect(env[name], `${fn} ${name}`).toBe('');
    }
    expect(withoutPhone.Resources['ConnectFlowInvokedByConnect']).toBeUndefined();
    expect(malformedArns(withoutPhone)).toEqual([]);
    expect(malformedArns(template)).toEqual([]);
  });

  it('with phone escalation: the Connect region goes to the functions with the ids', () => {
    expect(environmentOf('tick')['CONNECT_INSTANCE_REGION']).toBe(PARAMS.connectInstanceRegion);
  });

  it('npm run package refuses, by name, parameters that would make malformed ARNs', () => {
    const named = refusal
      .split('\n')
      .map((line) => /^ {2}- (\w+): /.exec(line)?.[1])
      .filter((name) => name !== undefined);
    expect(named.sort(), refusal).toEqual(
      [
        'bedrockAgentAliasId',
        'connectContactFlowId',
        'connectSourcePhone',
        'mqBrokerArn',
        'mqSecretArn',
      ].sort(),
    );
    expect(refusal).toContain('--stage local packages without this check');
  });

  it('--stage local is a dry run: the defaults package, placeholder broker and all', () => {
    const [[, mapping] = []] = Object.entries(dryRun.Resources).filter(
      ([, r]) => r.Type === 'AWS::Lambda::EventSourceMapping',
    );
    expect(props(mapping)['EventSourceArn']).toContain(':000000000000:broker:');
  });
});
