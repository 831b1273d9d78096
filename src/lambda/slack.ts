/** Entry of the `slack` Lambda bundle (scripts/build-lambda.ts): only this handler, so the bundle holds only what it reaches. */
export { slack as handler } from '../lambda.js';
