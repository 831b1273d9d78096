/** The emulator's web page: a Slack-like client in the browser over a running emulator (`createEmulatorWebUi`). */
export {
  createEmulatorWebUi,
  type EmulatorWebUi,
  type EmulatorWebUiOptions,
  type PageMenu,
  type PagePhone,
  type PhonePanel,
} from './ui-server.js';
export { escapeCommandText, splitCommand } from './ui-actions.js';
export type * from './protocol.js';
