/**
 * What rabbitmq.ts uses of amqplib: `connect`. The adapter imports this module with `import()` on its first
 * connection, so a process that never queues a task (the ingress Lambda answering an alert) never loads the client.
 * An ES module of our own, not `import('amqplib')` itself: amqplib is CommonJS, and a Lambda bundle's lazily loaded
 * chunk of a CommonJS package exposes only its `default` export (scripts/build-lambda.ts splits the bundles), while
 * a static import here gets esbuild's interop and Node's named exports alike.
 */
export { connect } from 'amqplib';
