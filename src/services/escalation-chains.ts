/**
 * Escalation chains in the seed's CallStatus table (statusId = incident id). Every change is a conditional
 * write on the phase (`state`), `attempt` and `startTries` the writer read, so of two ticks, processes or
 * Lambdas acting on the same chain exactly one succeeds and the other learns it lost (false) and does
 * nothing: no second chain, no second call.
 */
import * as z from '../domain/zod.js';
import type { Chain, ChainPhase } from '../domain/escalation.js';
import type { CallStatusItem, CallStatusRepository } from './ports/call-stores.js';

const PHASES = [
  'calling',
  'ringing',
  'retry_wait',
  'accepted',
  'stopped',
  'exhausted',
] as const satisfies readonly ChainPhase[];
const END_REASONS = [
  'accepted',
  'acknowledged',
  'resolved',
  'owned',
  'exhausted',
  'no_responders',
  'silenced',
] as const;

const itemSchema = z.object({
  statusId: z.string(),
  state: z.enum(PHASES),
  attempt: z.int().check(z.nonnegative()),
  startTries: z.int().check(z.nonnegative()),
  responders: z.array(z.object({ userId: z.string(), phone: z.string() })),
  rounds: z.int().check(z.positive()),
  startedAt: z.number(),
  episode: z.optional(z.number()),
  attemptAt: z.number(),
  contactId: z.optional(z.string()),
  nextAt: z.optional(z.number()),
  endedAt: z.optional(z.number()),
  endReason: z.optional(z.enum(END_REASONS)),
  endedBy: z.optional(z.string()),
});

/** The chain's attributes besides the key; an absent optional one is removed on write. */
const FIELDS = [
  'attempt',
  'startTries',
  'responders',
  'rounds',
  'startedAt',
  'episode',
  'attemptAt',
  'contactId',
  'nextAt',
  'endedAt',
  'endReason',
  'endedBy',
] as const satisfies readonly (keyof Chain)[];

/** What is stored under an incident id: our chain, nothing, or an item some other writer left (the seed's). */
export type StoredChain = Chain | 'foreign' | undefined;

export interface ChainStore {
  load(incidentId: string): Promise<StoredChain>;
  /** Starts a chain; false when one already exists (someone else started it). */
  create(chain: Chain): Promise<boolean>;
  /** Writes `next` only while the stored chain is still at `prev`'s phase, attempt and startTries. */
  replace(prev: Chain, next: Chain): Promise<boolean>;
}

function toAttributes(chain: Chain): Record<string, unknown> {
  const attributes: Record<string, unknown> = { state: chain.phase };
  for (const field of FIELDS) attributes[field] = chain[field];
  return attributes;
}

export function chainFromItem(item: CallStatusItem): Chain | undefined {
  const parsed = itemSchema.safeParse(item);
  if (!parsed.success) return undefined;
  const { statusId, state, contactId, nextAt, endedAt, endReason, endedBy, episode, ...rest } = parsed.data;
  return {
    incidentId: statusId,
    phase: state,
    ...rest,
    ...(episode === undefined ? {} : { episode }),
    ...(contactId === undefined ? {} : { contactId }),
    ...(nextAt === undefined ? {} : { nextAt }),
    ...(endedAt === undefined ? {} : { endedAt }),
    ...(endReason === undefined ? {} : { endReason }),
    ...(endedBy === undefined ? {} : { endedBy }),
  };
}

export function createChainStore(deps: {
  callStatus: CallStatusRepository;
  /** How long a chain's item lives: as long as its history, so a finished chain is never started again. */
  ttlSeconds: number;
}): ChainStore {
  const { callStatus } = deps;
  return {
    async load(incidentId) {
      const item = await callStatus.get(incidentId);
      if (item === undefined) return undefined;
      return chainFromItem(item) ?? 'foreign';
    },
    create(chain) {
      const attributes = toAttributes(chain);
      // `create` writes whole items: absent optional fields are simply left out.
      const item = Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== undefined));
      return callStatus.create({ ...item, statusId: chain.incidentId, state: chain.phase }, deps.ttlSeconds);
    },
    replace(prev, next) {
      return callStatus.update(prev.incidentId, toAttributes(next), {
        expectedState: prev.phase,
        expected: { attempt: prev.attempt, startTries: prev.startTries },
      });
    },
  };
}
