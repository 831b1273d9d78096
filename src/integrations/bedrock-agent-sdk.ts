/**
 * What bedrock-agent.ts uses of @aws-sdk/client-bedrock-agent-runtime: the Bedrock Agent Runtime client (InvokeAgent only). The adapter imports this module with `import()` on its
 * first call, so a Lambda cold start does not compile the client (scripts/build-lambda.ts). Named exports, not
 * the package itself: a dynamically imported package keeps every operation of the service in the bundle (tree
 * shaking cannot see which ones a namespace import uses), these keep only what we send.
 */
export { BedrockAgentRuntimeClient, InvokeAgentCommand } from '@aws-sdk/client-bedrock-agent-runtime';
