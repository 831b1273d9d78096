/**
 * What amazon-connect.ts uses of @aws-sdk/client-connect: the Connect client (StartOutboundVoiceContact only). The adapter imports this module with `import()` on its
 * first call, so a Lambda cold start does not compile the client (scripts/build-lambda.ts). Named exports, not
 * the package itself: a dynamically imported package keeps every operation of the service in the bundle (tree
 * shaking cannot see which ones a namespace import uses), these keep only what we send.
 */
export { ConnectClient, StartOutboundVoiceContactCommand } from '@aws-sdk/client-connect';
