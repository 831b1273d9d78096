/**
 * Bundle-only stand-in for `@smithy/core/event-streams`, the AWS SDK's event-stream codec (scripts/build-lambda.ts
 * lists the functions that go without it). Only operations that stream use it: the Bedrock agent's InvokeAgent,
 * in the worker. The Lambda client's config still asks for a marshaller (its InvokeWithResponseStream streams;
 * we call Invoke), and the protocols load the codec only for a streaming member, so a codec that fails when used
 * keeps the clients whole.
 *
 * Its own module, with no imports: the protocols load it with a dynamic `import()`, so the bundle keeps every
 * export of whatever module answers it, and everything that module imports.
 */
function unavailable(): never {
  throw new Error(
    `@smithy/core/event-streams is not bundled in the ${process.env['AWS_LAMBDA_FUNCTION_NAME'] ?? 'this'} Lambda function`,
  );
}

interface EventStreamMarshaller {
  serialize(): never;
  deserialize(): never;
}

export function eventStreamSerdeProvider(): EventStreamMarshaller {
  return { serialize: unavailable, deserialize: unavailable };
}

export function resolveEventStreamSerdeConfig<T extends object>(
  input: T,
): T & { eventStreamMarshaller: EventStreamMarshaller } {
  return Object.assign(input, { eventStreamMarshaller: eventStreamSerdeProvider() });
}

/** The protocols construct it for a streaming member only; a plain function, so constructing it fails too. */
export function EventStreamSerde(): never {
  return unavailable();
}
