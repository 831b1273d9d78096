/**
 * A fresh dynalite for the store ceiling, alone in its process, persisting under the directory given as the
 * first argument (LevelDB, as the embedded store does with DATA_DIR), with one table keyed by `pk`.
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoClients, LOCAL_CREDENTIALS } from '../../src/store/dynamo.js';
import { startEmbeddedDynamo } from '../../src/store/embedded.js';
import { announce } from '../lib/process.js';

export const CEILING_TABLE = 'BenchCeiling';

const dataDir = process.argv[2];
// The load generator is another process: it needs the port the app's store never opens.
const dynamo = await startEmbeddedDynamo({ dataDir, listen: true });
const endpoint = dynamo.endpoint ?? '';
const { client } = createDynamoClients({
  region: 'us-east-1',
  endpoint,
  credentials: LOCAL_CREDENTIALS,
});
await client.send(
  new CreateTableCommand({
    TableName: CEILING_TABLE,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  }),
);
client.destroy();
announce({ endpoint, table: CEILING_TABLE });
process.on('SIGTERM', () => void dynamo.close().then(() => process.exit(0)));
