/** Entry of the `tick` Lambda bundle (scripts/build-lambda.ts): only this handler, so the bundle holds only what it reaches. */
export { tick as handler } from '../lambda.js';
