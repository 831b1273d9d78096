/**
 * The task's wire format on every queue (RabbitMQ, Amazon MQ, in-process): UTF-8 JSON of `TaskSchema`,
 * validated on the way in and again on the way out, so a message another producer wrote is checked too.
 */
import { TaskSchema, type Task } from './git-task.js';
import { AppError, ErrorCode } from '../errors.js';

/** The message body; throws `AppError(Internal)` for a task that does not match the schema (a bug). */
export function encodeTask(task: Task): Buffer {
  const result = TaskSchema.safeParse(task);
  if (!result.success) {
    throw new AppError(ErrorCode.Internal, 'Refusing to publish an invalid task', {
      details: { issues: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) },
    });
  }
  return Buffer.from(JSON.stringify(result.data));
}

/** The task in a message body, or why it is not one (a poison message). */
export function decodeTask(content: Buffer): { task: Task } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(content.toString('utf8'));
  } catch (err) {
    return { error: `not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  const result = TaskSchema.safeParse(json);
  if (!result.success) {
    const first = result.error.issues[0];
    return {
      error: `not a task (${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid'})`,
    };
  }
  return { task: result.data };
}
