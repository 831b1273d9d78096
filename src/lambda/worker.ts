/** Entry of the `worker` Lambda bundle (scripts/build-lambda.ts): only this handler, so the bundle holds only what it reaches. */
export { worker as handler } from '../lambda.js';
