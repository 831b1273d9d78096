/** Entry of the `tasks` Lambda bundle (scripts/build-lambda.ts): only this handler, so the bundle holds only what it reaches. */
export { tasks as handler } from '../lambda.js';
