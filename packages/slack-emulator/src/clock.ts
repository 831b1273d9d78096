/** Time is a parameter: message ts, trigger_id and response_url expiry read it, so tests can move it. Milliseconds. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
