/**
 * Which phone escalation calls through, chosen from the configuration (part of the composition root: only
 * app.ts calls `buildPhone`):
 * - the four CONNECT_* ids set: Amazon Connect;
 * - otherwise, with the local Slack emulator (`npm start` in local mode): the in-memory local phone, answered
 *   from the emulator's phone panel, so the whole chain runs locally;
 * - otherwise: no phone. Escalation is off and says so once; `/incident calls` still reads the history.
 */
import { usesLocalEmulator, type Config } from '../config/index.js';
import type { Logger } from '../logger.js';
import type { PhoneCaller } from '../services/ports/phone-caller.js';
import { createConnectCaller } from './amazon-connect.js';
import { createLocalPhone, type LocalPhone } from './local-phone.js';

export interface Phone {
  caller?: PhoneCaller;
  /** Set when the local phone is used: the phone panel lists and answers its calls. */
  local?: LocalPhone;
  close(): void;
}

export function buildPhone(config: Config, logger: Logger): Phone {
  const { region, instanceId, contactFlowId, sourcePhone } = config.connect;
  if (
    region !== undefined &&
    instanceId !== undefined &&
    contactFlowId !== undefined &&
    sourcePhone !== undefined
  ) {
    const caller = createConnectCaller({ region, instanceId, contactFlowId, sourcePhone });
    return { caller, close: () => caller.close() };
  }
  if (usesLocalEmulator(config)) {
    const local = createLocalPhone();
    logger.info('CONNECT_* not set: phone escalation calls the local phone (emulator phone panel)');
    return { caller: local, local, close: () => undefined };
  }
  logger.warn(
    'CONNECT_* not set: phone escalation is off; unacknowledged incidents will not be phoned about',
  );
  return { close: () => undefined };
}
