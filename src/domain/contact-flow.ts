/**
 * The Amazon Connect contact-flow Lambda event, the one shape both the `connectFlow` Lambda handler and
 * `POST /api/connect/contact-flow` accept, and the flat string map Connect expects back.
 * https://docs.aws.amazon.com/connect/latest/adminguide/connect-lambda-functions.html
 *
 * Only what Hikeshi reads is validated; Connect's other fields (Channel, CustomerEndpoint, Queue, …) pass
 * through unread. `CustomerEndpoint.Address` is the responder's phone number: the event is never logged.
 */
import * as z from './zod.js';

/** The attribute names Hikeshi sets on each call (StartOutboundVoiceContact `Attributes`). */
export const CallAttributes = {
  incidentId: 'incidentId',
  title: 'incidentTitle',
  severity: 'severity',
  responderId: 'responderId',
  attempt: 'attempt',
} as const;

const stringMap = z.record(z.string(), z.string());

export const contactFlowEventSchema = z.object({
  Name: z.optional(z.string()),
  Details: z.object({
    ContactData: z.object({
      ContactId: z.string().check(z.minLength(1)),
      InitialContactId: z.optional(z.string()),
      Attributes: z.optional(stringMap),
    }),
    Parameters: z.optional(stringMap),
  }),
});

export type ContactFlowAction = 'describe' | 'response';

/** What the escalation service acts on. */
export interface ContactFlowRequest {
  action: ContactFlowAction;
  contactId: string;
  /** Set after a transfer; the call Hikeshi placed is then this one. */
  initialContactId?: string;
  attributes: Record<string, string>;
  /** action = response: the DTMF digit, `timeout`, or empty. */
  response?: string;
}

/** Connect reads Lambda results as a flat map of strings; anything nested is rejected. */
export type ContactFlowResult = Record<string, string>;

export type ContactFlowParse =
  { ok: true; request: ContactFlowRequest } | { ok: false; field: string; reason: string };

export function parseContactFlowEvent(value: unknown): ContactFlowParse {
  const parsed = contactFlowEventSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      field: issue === undefined || issue.path.length === 0 ? 'body' : issue.path.join('.'),
      reason: issue?.message ?? 'invalid',
    };
  }
  const { ContactData, Parameters = {} } = parsed.data.Details;
  const action = Parameters['action'];
  if (action !== 'describe' && action !== 'response') {
    return { ok: false, field: 'Details.Parameters.action', reason: 'expected "describe" or "response"' };
  }
  const response = Parameters['response'];
  return {
    ok: true,
    request: {
      action,
      contactId: ContactData.ContactId,
      ...(ContactData.InitialContactId === undefined || ContactData.InitialContactId === ContactData.ContactId
        ? {}
        : { initialContactId: ContactData.InitialContactId }),
      attributes: ContactData.Attributes ?? {},
      ...(action === 'response' ? { response: response ?? '' } : {}),
    },
  };
}

/**
 * A contact-flow event as Connect sends it: for tests, and for the local phone panel, which plays the part
 * of the flow when no Connect instance is configured.
 */
export function contactFlowEvent(input: {
  contactId: string;
  attributes?: Record<string, string>;
  action: ContactFlowAction;
  response?: string;
}): Record<string, unknown> {
  return {
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: {
        Attributes: input.attributes ?? {},
        Channel: 'VOICE',
        ContactId: input.contactId,
        InitialContactId: input.contactId,
        InitiationMethod: 'API',
      },
      Parameters: {
        action: input.action,
        ...(input.response === undefined ? {} : { response: input.response }),
      },
    },
  };
}

/** What the person did with the call. */
export type PhoneOutcome = 'accepted' | 'declined' | 'no_answer';

/** The contact flow's `response` parameter: "1" accept, "2" decline, anything else (timeout, "") no answer. */
export function parsePhoneResponse(value: string | undefined): PhoneOutcome {
  const digit = value?.trim();
  if (digit === '1') return 'accepted';
  if (digit === '2') return 'declined';
  return 'no_answer';
}
