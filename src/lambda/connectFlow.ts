/** Entry of the `connectFlow` Lambda bundle (scripts/build-lambda.ts): only this handler, so the bundle holds only what it reaches. */
export { connectFlow as handler } from '../lambda.js';
