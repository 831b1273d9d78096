/**
 * `POST /api/alerts/sns`: an Amazon SNS HTTP(S) subscription carrying CloudWatch alarms
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-http-https-endpoint-as-subscriber.html).
 *
 * SNS cannot send a bearer token; the message signature is the credential, so the order is: parse the
 * envelope (the signature lives inside it), check the topic is one we accept, check `SigningCertURL` is an SNS
 * host, fetch its certificate (cached) and verify the signature, refuse stale messages, and only then act:
 * - SubscriptionConfirmation → GET `SubscribeURL` (an SNS host only), which confirms the subscription;
 * - Notification → the CloudWatch alarm in it: ALARM triggers, OK resolves (cloudwatch-sns.ts);
 * - UnsubscribeConfirmation → logged, nothing else.
 *
 * Any AWS account can subscribe this URL to its own topic and get validly signed messages, so the topic is
 * part of the credential: SNS_TOPIC_ARNS lists the accepted topic ARNs (`*` accepts any). Unset, any topic is
 * accepted in local emulator mode and every message is refused otherwise.
 *
 * SNS retries a delivery that did not get a 2xx, with the same MessageId; the id is claimed in the dedup table
 * after verification, so each message is processed once (and released again if processing fails).
 */
import { signalFromSnsNotification, parseSnsEnvelope } from '../../domain/sources/cloudwatch-sns.js';
import {
  isTrustedSigningCertUrl,
  isTrustedSubscribeUrl,
  verifySnsSignature,
} from '../../domain/sources/sns-signature.js';
import type { Clock } from '../../domain/clock.js';
import { AppError, ErrorCode, badRequest } from '../../errors.js';
import type { SnsEndpointClient } from '../../services/ports/sns-endpoint.js';
import type { Logger } from '../../logger.js';
import type { IncidentService } from '../../services/incidents.js';
import type { DeliveryClaims } from '../../services/ports/delivery-claims.js';
import { unauthorized } from '../auth.js';
import { invalidField, jsonBody } from '../json-body.js';
import { json, type Route } from '../types.js';
import { ingestResult } from './alert-results.js';

/** How long a MessageId is remembered, and the oldest message accepted: a replay cannot outlive its claim. */
export const SNS_MESSAGE_TTL_SECONDS = 7 * 24 * 60 * 60;

export interface SnsRouteDeps {
  incidents: IncidentService;
  dedup: DeliveryClaims;
  sns: SnsEndpointClient;
  /** SNS_TOPIC_ARNS; `['*']` accepts any topic. */
  topicArns: readonly string[] | undefined;
  /** Local emulator mode: an unset SNS_TOPIC_ARNS accepts any topic. */
  allowLocalDefault: boolean;
  clock: Clock;
  logger: Logger;
}

/** Whether `topicArn` may deliver here. Undefined `allowed` is decided by the caller (configuration rule). */
export function isAcceptedTopic(topicArn: string, allowed: readonly string[]): boolean {
  return allowed.includes('*') || allowed.includes(topicArn);
}

export function snsAlertRoutes(deps: SnsRouteDeps): Route[] {
  const log = deps.logger.child({ component: 'sns' });
  if (deps.topicArns === undefined && deps.allowLocalDefault) {
    log.warn('SNS_TOPIC_ARNS is not set: accepting SNS messages from any topic (emulator mode only)');
  }

  const checkTopic = (topicArn: string): void => {
    if (deps.topicArns === undefined) {
      if (deps.allowLocalDefault) return;
      throw unauthorized('SNS_TOPIC_ARNS is not configured');
    }
    if (!isAcceptedTopic(topicArn, deps.topicArns)) {
      throw new AppError(ErrorCode.Unauthorized, `topic ${topicArn} is not accepted`, {
        status: 403,
        userMessage: 'this topic is not in SNS_TOPIC_ARNS',
      });
    }
  };

  return [
    {
      method: 'POST',
      path: '/api/alerts/sns',
      handler: async (request) => {
        // SNS posts JSON as `text/plain; charset=UTF-8`.
        const parsed = parseSnsEnvelope(jsonBody(request, { alsoAccept: ['text/plain'] }));
        if (!parsed.ok) throw invalidField(parsed);
        const envelope = parsed.envelope;
        const headerType = request.headers['x-amz-sns-message-type'];
        if (headerType !== undefined && headerType !== envelope.Type) {
          throw badRequest('x-amz-sns-message-type does not match the message Type', { field: 'Type' });
        }
        checkTopic(envelope.TopicArn);
        if (!isTrustedSigningCertUrl(envelope.SigningCertURL, deps.sns.trust)) {
          throw badRequest('SigningCertURL is not an Amazon SNS certificate URL', {
            field: 'SigningCertURL',
          });
        }
        const certificate = await deps.sns.certificate(envelope.SigningCertURL);
        if (!verifySnsSignature(envelope, certificate)) throw unauthorized('invalid SNS message signature');

        const sentAt = Date.parse(envelope.Timestamp);
        if (Number.isNaN(sentAt)) throw badRequest('Timestamp: not a valid time', { field: 'Timestamp' });
        if (deps.clock.now() - sentAt > SNS_MESSAGE_TTL_SECONDS * 1000) {
          throw badRequest('Timestamp: the message is too old to be accepted', { field: 'Timestamp' });
        }
        if (
          envelope.Type === 'SubscriptionConfirmation' &&
          !isTrustedSubscribeUrl(envelope.SubscribeURL, deps.sns.trust)
        ) {
          throw badRequest('SubscribeURL is not an Amazon SNS URL', { field: 'SubscribeURL' });
        }

        const key = `sns:${envelope.MessageId}`;
        if (!(await deps.dedup.claim(key, SNS_MESSAGE_TTL_SECONDS))) {
          log.info({ messageId: envelope.MessageId }, 'SNS redelivery ignored');
          return json(200, { message_id: envelope.MessageId, duplicate: true });
        }
        try {
          switch (envelope.Type) {
            case 'SubscriptionConfirmation':
              await deps.sns.confirmSubscription(envelope.SubscribeURL);
              return json(200, { message_id: envelope.MessageId, subscribed: envelope.TopicArn });
            case 'UnsubscribeConfirmation':
              log.warn(
                { topic: envelope.TopicArn },
                'SNS subscription was removed; alarms from this topic stop',
              );
              return json(200, { message_id: envelope.MessageId });
            case 'Notification': {
              const outcome = await deps.incidents.ingest(signalFromSnsNotification(envelope));
              return json(200, { message_id: envelope.MessageId, ...ingestResult(outcome) });
            }
          }
        } catch (error) {
          // Let SNS's retry process it again.
          await deps.dedup.release(key).catch((releaseError: unknown) => {
            log.error(
              { err: releaseError, messageId: envelope.MessageId },
              'could not release the SNS claim',
            );
          });
          throw error;
        }
      },
    },
  ];
}
