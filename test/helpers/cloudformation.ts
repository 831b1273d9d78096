/**
 * What CloudFormation makes of a packaged template, for tests: the Conditions evaluated (a resource whose condition
 * is false is not created; `Fn::If` picks its branch; `AWS::NoValue` removes the property or list item), and the
 * intrinsic functions a value uses resolved to what a stack in a given region and account would give. Anything
 * this does not know throws, so a template that starts to use a new intrinsic fails the test instead of passing it
 * a value nobody looked at.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
import type { CfnResource, CfnTemplate } from './serverless.js';

export interface StackContext {
  region: string;
  accountId: string;
  stackName: string;
}

/** Removed by `resolveConditions` wherever it stands (`{ Ref: AWS::NoValue }`). */
const NO_VALUE = Symbol('AWS::NoValue');

function isIntrinsic(value: unknown, name: string): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && name in value;
}

function evaluateCondition(
  expression: unknown,
  conditions: Record<string, unknown>,
  seen: string[],
): boolean {
  const fn = (name: string) => (expression as Record<string, unknown[]>)[name] ?? [];
  const literal = (value: unknown): string => {
    if (typeof value === 'string') return value;
    throw new Error(`condition operand is not a literal: ${JSON.stringify(value)}`);
  };
  if (isIntrinsic(expression, 'Fn::Equals')) {
    const [a, b] = fn('Fn::Equals');
    return literal(a) === literal(b);
  }
  if (isIntrinsic(expression, 'Fn::Not')) return !evaluateCondition(fn('Fn::Not')[0], conditions, seen);
  if (isIntrinsic(expression, 'Fn::And'))
    return fn('Fn::And').every((c) => evaluateCondition(c, conditions, seen));
  if (isIntrinsic(expression, 'Fn::Or'))
    return fn('Fn::Or').some((c) => evaluateCondition(c, conditions, seen));
  if (isIntrinsic(expression, 'Condition'))
    return conditionValue(String(expression['Condition']), conditions, seen);
  throw new Error(`unknown condition function: ${JSON.stringify(expression)}`);
}

function conditionValue(name: string, conditions: Record<string, unknown>, seen: string[] = []): boolean {
  if (seen.includes(name)) throw new Error(`condition ${name} refers to itself`);
  if (!(name in conditions)) throw new Error(`no condition ${name}`);
  return evaluateCondition(conditions[name], conditions, [...seen, name]);
}

function pickBranches(value: unknown, truth: (name: string) => boolean): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => pickBranches(item, truth)).filter((item) => item !== NO_VALUE);
  }
  if (typeof value !== 'object' || value === null) return value;
  if (isIntrinsic(value, 'Fn::If')) {
    const [name, whenTrue, whenFalse] = value['Fn::If'] as [string, unknown, unknown];
    return pickBranches(truth(name) ? whenTrue : whenFalse, truth);
  }
  if (isIntrinsic(value, 'Ref') && value['Ref'] === 'AWS::NoValue') return NO_VALUE;
  const entries = Object.entries(value)
    .map(([key, item]) => [key, pickBranches(item, truth)] as const)
    .filter(([, item]) => item !== NO_VALUE);
  return Object.fromEntries(entries);
}

/** The template as the stack would have it: conditions applied, no `Fn::If`, no `Condition` left. */
export function resolveConditions(template: CfnTemplate): CfnTemplate {
  const conditions = (template['Conditions'] ?? {}) as Record<string, unknown>;
  const truth = (name: string) => conditionValue(name, conditions);
  const resources: Record<string, CfnResource> = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    const { Condition: condition, ...rest } = resource;
    if (condition !== undefined && !truth(String(condition))) continue;
    resources[id] = pickBranches(rest, truth) as CfnResource;
  }
  const outputs = Object.fromEntries(
    Object.entries(template.Outputs ?? {}).filter(([, output]) => {
      const condition = (output as { Condition?: string }).Condition;
      return condition === undefined || truth(condition);
    }),
  );
  const { Conditions: _dropped, ...rest } = template;
  return { ...rest, Resources: resources, Outputs: pickBranches(outputs, truth) as Record<string, unknown> };
}

/** What `Ref` gives for a resource of the stack: its physical name or id. */
function physicalId(id: string, resource: CfnResource | undefined, stack: StackContext): string {
  const props = resource?.Properties ?? {};
  switch (resource?.Type) {
    case 'AWS::DynamoDB::Table':
      return String(props['TableName'] ?? `${stack.stackName}-${id}`);
    case 'AWS::Lambda::Function':
      return String(props['FunctionName'] ?? `${stack.stackName}-${id}`);
    case 'AWS::IAM::Role':
      return String(props['RoleName'] ?? `${stack.stackName}-${id}`);
    default:
      throw new Error(`no Ref for ${id} (${resource?.Type ?? 'not a resource of the template'})`);
  }
}

function arnOf(id: string, resource: CfnResource | undefined, stack: StackContext): string {
  const name = physicalId(id, resource, stack);
  const at = `${stack.region}:${stack.accountId}`;
  switch (resource?.Type) {
    case 'AWS::DynamoDB::Table':
      return `arn:aws:dynamodb:${at}:table/${name}`;
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${at}:function:${name}`;
    default:
      return `arn:aws:iam::${stack.accountId}:role/${name}`;
  }
}

/**
 * `value` with every intrinsic function resolved as the stack would: `Ref` (resources and pseudo parameters),
 * `Fn::Sub`, `Fn::GetAtt` (`Arn`), `Fn::Join`. Resolve the conditions first (`resolveConditions`).
 */
export function resolveIntrinsics(value: unknown, template: CfnTemplate, stack: StackContext): unknown {
  const pseudo: Record<string, string> = {
    'AWS::Region': stack.region,
    'AWS::AccountId': stack.accountId,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': stack.stackName,
  };
  const ref = (name: string): string => pseudo[name] ?? physicalId(name, template.Resources[name], stack);
  const resolve = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(resolve);
    if (typeof v !== 'object' || v === null) return v;
    const keys = Object.keys(v);
    const [key] = keys;
    if (keys.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::'))) {
      const arg = (v as Record<string, unknown>)[key];
      switch (key) {
        case 'Ref':
          return ref(String(arg));
        case 'Fn::GetAtt': {
          const [id, attribute] = arg as [string, string];
          if (attribute !== 'Arn') throw new Error(`Fn::GetAtt ${id}.${attribute} is not resolved here`);
          return arnOf(id, template.Resources[id], stack);
        }
        case 'Fn::Sub': {
          const [text, vars = {}] = (Array.isArray(arg) ? arg : [arg]) as [string, Record<string, unknown>?];
          return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) =>
            name in vars
              ? String(resolve(vars[name]))
              : name.includes('.')
                ? String(resolve({ 'Fn::GetAtt': name.split('.') }))
                : ref(name),
          );
        }
        case 'Fn::Join': {
          const [separator, items] = arg as [string, unknown[]];
          return items.map((item) => String(resolve(item))).join(separator);
        }
        default:
          throw new Error(`intrinsic function ${key} is not resolved here`);
      }
    }
    return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, resolve(item)]));
  };
  return resolve(value);
}

/** Every ARN the template spells out (plain strings and `Fn::Sub` texts), with `${…}` filled with sample values. */
export function arnsIn(template: CfnTemplate): string[] {
  const arns: string[] = [];
  const fill = (text: string) =>
    text
      .replaceAll('${AWS::Partition}', 'aws')
      .replaceAll('${AWS::Region}', 'ap-northeast-1')
      .replaceAll('${AWS::AccountId}', '123456789012')
      .replace(/\$\{[^}]+\}/g, 'x');
  /** A `Fn::Join` as text: its intrinsic parts as `${…}`, so that `fill` gives them sample values. */
  const joined = ([separator, items]: [string, unknown[]]) =>
    items
      .map((item) => {
        if (typeof item === 'string') return item;
        const ref = (item as { Ref?: unknown }).Ref;
        return typeof ref === 'string' ? `\${${ref}}` : '${value}';
      })
      .join(separator);
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.startsWith('arn:')) arns.push(fill(value));
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      const text =
        typeof record['Fn::Sub'] === 'string'
          ? record['Fn::Sub']
          : Array.isArray(record['Fn::Join'])
            ? joined(record['Fn::Join'] as [string, unknown[]])
            : undefined;
      if (text === undefined) Object.values(value).forEach(visit);
      else if (text.startsWith('arn:')) arns.push(fill(text));
    }
  };
  visit(template.Resources);
  return arns;
}

/** The ARNs of `arnsIn` that cannot name anything: an empty region or account, an empty path segment. */
export function malformedArns(template: CfnTemplate): string[] {
  return arnsIn(template).filter((arn) => {
    const [, partition, service, region, account, ...rest] = arn.split(':');
    const resource = rest.join(':');
    const global = service === 'iam' || service === 's3';
    return (
      !partition ||
      !service ||
      (!global && !region) ||
      (!global && service !== 's3' && !/^\d{12}$/.test(account ?? '')) ||
      resource === '' ||
      /\/\/|\/$|:$|\/:/.test(resource)
    );
  });
}
