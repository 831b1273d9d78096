/** The emulator's web page: a Slack-like client in the browser over a running emulator (`createEmulatorWebUi`). */
export { createEmulatorWebUi, type EmulatorWebUi, type LocalPhonePanel } from './ui-server.js';
export { escapeCommandText, splitCommand } from './ui-actions.js';
export { sendTestAlert, type TestAlertCredentials } from './test-alerts.js';
export type * from './protocol.js';
