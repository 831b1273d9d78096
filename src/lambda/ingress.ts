/** Entry of the `ingress` Lambda bundle (scripts/build-lambda.ts): only this handler, so the bundle holds only what it reaches. */
export { ingress as handler } from '../lambda.js';
