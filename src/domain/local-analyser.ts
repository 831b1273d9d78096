/**
 * The built-in analyser used when no Bedrock agent is configured, so "To Bedrock Agent" and reporting work
 * offline. It is a small rule table over the error text — honest about being one: every answer starts with
 * "Local rule-based analysis (not an LLM)". Pure apart from the streaming wrapper, which only yields; it has the
 * shape of services/ports/analysis.ts's AnalysisPort without importing it (the domain depends on nothing above it).
 */

export interface LocalRule {
  id: string;
  /** A short name for the finding, e.g. "Timeout". */
  title: string;
  pattern: RegExp;
  cause: string;
  steps: readonly string[];
}

/** Ordered: the first rules are the more specific ones, so they are listed first when several match. */
export const LOCAL_RULES: readonly LocalRule[] = [
  {
    id: 'oom',
    title: 'Out of memory',
    pattern:
      /out of memory|\bOOM\b|OOMKilled|heap out of memory|MemoryError|Cannot allocate memory|ENOMEM|exit code 137|Runtime exited with error: signal: killed/i,
    cause: 'The process ran out of memory and was killed or could not allocate more.',
    steps: [
      'Check memory graphs for the host/container/function around the time of the error.',
      'Raise the memory limit (container, Lambda memory size, `--max-old-space-size`) as a stopgap.',
      'Look for a leak or an unbounded batch/payload in the code path that failed.',
    ],
  },
  {
    id: 'disk_full',
    title: 'Disk full',
    pattern: /no space left on device|ENOSPC|disk (is )?full|quota exceeded for disk|DiskFull/i,
    cause: 'A filesystem ran out of space (or inodes).',
    steps: [
      'Check `df -h` and `df -i` on the affected host or volume.',
      'Remove or rotate large logs, temp files and old artifacts; then expand the volume.',
      'Add an alert on disk usage before it reaches 100%.',
    ],
  },
  {
    id: 'certificate',
    title: 'Certificate problem',
    pattern:
      /certificate (has )?expired|CERT_HAS_EXPIRED|self[- ]signed certificate|unable to verify the first certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|ERR_TLS_CERT|SSL routines|x509|handshake failure/i,
    cause: 'A TLS certificate is expired, untrusted or does not match the host name.',
    steps: [
      'Check the certificate chain and expiry: `openssl s_client -connect host:443 -servername host`.',
      'Renew or redeploy the certificate (ACM, cert-manager, load balancer listener).',
      'Confirm the client trusts the issuing CA and uses the right host name.',
    ],
  },
  {
    id: 'timeout',
    title: 'Timeout',
    pattern:
      /timed? ?out|timeout|ETIMEDOUT|ESOCKETTIMEDOUT|deadline exceeded|504 Gateway|Task timed out|took too long/i,
    cause: 'A call did not finish within its time limit; the dependency may be slow or unreachable.',
    steps: [
      'Find which dependency was being called and check its latency and health.',
      'Check recent traffic spikes, slow queries or locks on the database.',
      'Make sure timeouts and retries are set deliberately (a retry storm makes it worse).',
    ],
  },
  {
    id: 'connection',
    title: 'Connection / DNS failure',
    pattern:
      /ECONNREFUSED|connection refused|ECONNRESET|connection reset|ENOTFOUND|EAI_AGAIN|getaddrinfo|name or service not known|could not resolve host|EHOSTUNREACH|ENETUNREACH|no route to host|socket hang up/i,
    cause:
      'The service could not reach a dependency: it is down, not listening, or its name does not resolve.',
    steps: [
      'Check that the target service is running and listening on the expected host and port.',
      'Verify DNS, security groups / firewall rules and VPC routing between the two.',
      'Look for a recent deploy or config change to the endpoint URL.',
    ],
  },
  {
    id: 'auth',
    title: 'Authentication / permission',
    pattern:
      /\b401\b|\b403\b|unauthori[sz]ed|forbidden|access ?denied|AccessDenied|permission denied|EACCES|not authori[sz]ed|invalid (api )?(token|credentials|signature)|expired ?token|authentication failed/i,
    cause: 'The caller was not authenticated or lacks a permission.',
    steps: [
      'Check which credentials/role made the call and whether they expired or were rotated.',
      'Compare the required permission (IAM action, scope, file mode) with what is granted.',
      'If a secret was rotated, redeploy or restart so the new value is loaded.',
    ],
  },
  {
    id: 'rate_limit',
    title: 'Rate limited',
    pattern:
      /\b429\b|rate ?limit|too many requests|throttl|SlowDown|quota exceeded|ProvisionedThroughputExceeded/i,
    cause: 'A dependency is rejecting calls because of a rate limit or quota.',
    steps: [
      'Check the request rate against the documented limit and current quotas.',
      'Add backoff with jitter, batching or caching; spread scheduled jobs over time.',
      'Request a quota increase if the load is legitimate.',
    ],
  },
  {
    id: 'upstream_5xx',
    title: 'Upstream server error',
    pattern:
      /\b50[0-3]\b|internal server error|bad gateway|service unavailable|upstream|InternalServerError/i,
    cause: 'A dependency answered with a server error (5xx).',
    steps: [
      'Check the status page and logs of the upstream service at the time of the error.',
      'See whether the failures are constant or intermittent; retry idempotent calls with backoff.',
      'Consider a circuit breaker or a fallback if the dependency is flaky.',
    ],
  },
  {
    id: 'null_reference',
    title: 'Null / undefined reference',
    pattern:
      /cannot read propert(y|ies) of (undefined|null)|undefined is not (an object|a function)|is not a function|NullPointerException|NoneType|null reference|AttributeError|TypeError/i,
    cause: 'The code used a value that was null/undefined or of an unexpected type.',
    steps: [
      'Open the stack trace and find the first frame in your own code.',
      'Check the input that reached it (payload, API response, config value) for a missing field.',
      'Add validation at the boundary and a test with the failing input.',
    ],
  },
  {
    id: 'deploy_config',
    title: 'Deploy / configuration',
    pattern:
      /missing (required )?(env|environment|config)|environment variable|config(uration)? (error|invalid|not found)|invalid config|ModuleNotFoundError|Cannot find module|ImportError|ENOENT|no such file|deploy(ment)? failed|rollback|CrashLoopBackOff|ImagePullBackOff/i,
    cause:
      'A deploy or configuration change left something missing or wrong (a file, module, setting or image).',
    steps: [
      'Check what was deployed or changed just before the first error.',
      'Compare environment variables, secrets and config files with the last good release.',
      'Roll back if the change cannot be fixed forward quickly.',
    ],
  },
];

export interface LocalAnalysis {
  /** Matching rules, most specific first; empty when nothing matched. */
  findings: readonly LocalRule[];
  /** The answer, in Slack mrkdwn. */
  text: string;
}

export const LOCAL_ANALYSIS_HEADER =
  '*Local rule-based analysis (not an LLM).* No Bedrock agent is configured, so Hikeshi matched the error ' +
  'text against a small table of known patterns. Treat it as a checklist, not a diagnosis.';

const MAX_FINDINGS = 3;

/** Which rules match this text. Pure. */
export function classifyErrorText(text: string): LocalRule[] {
  return LOCAL_RULES.filter((rule) => rule.pattern.test(text));
}

function describe(rule: LocalRule): string {
  return [`*${rule.title}* — ${rule.cause}`, ...rule.steps.map((step) => `• ${step}`)].join('\n');
}

export function analyseLocally(text: string): LocalAnalysis {
  const findings = classifyErrorText(text).slice(0, MAX_FINDINGS);
  const body =
    findings.length === 0
      ? [
          '*No known pattern matched.*',
          '• Read the full error and stack trace, and find the first frame in your own code.',
          '• Check what changed recently (deploys, config, traffic, dependencies).',
          '• Check the health of the dependencies this service calls.',
        ].join('\n')
      : `*Likely cause${findings.length > 1 ? 's' : ''}:*\n\n${findings.map(describe).join('\n\n')}`;
  return { findings, text: `${LOCAL_ANALYSIS_HEADER}\n\n${body}` };
}

/** An analyser that streams its answer: the shape of the AnalysisPort (services/ports/analysis.ts). */
export interface StreamingAnalyser {
  analyze(req: { sessionId: string; inputText: string }): AsyncIterable<string>;
}

/** The local analyser as an AnalysisPort: the header first, then the findings, like a (very fast) stream. */
export function createLocalAnalysis(): StreamingAnalyser {
  return {
    async *analyze(req): AsyncGenerator<string> {
      const { text } = analyseLocally(req.inputText);
      const split = LOCAL_ANALYSIS_HEADER.length;
      yield text.slice(0, split);
      yield text.slice(split);
    },
  };
}
