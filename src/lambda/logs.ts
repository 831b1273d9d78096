/** Entry of the `logs` Lambda bundle (scripts/build-lambda.ts): only this handler, so the bundle holds only what it reaches. */
export { logs as handler } from '../lambda.js';
