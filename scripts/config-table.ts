/** Prints the README's configuration table from src/config.ts, so the two never drift (`npx tsx scripts/config-table.ts`). */
import { CONFIG_VARIABLES } from '../src/config.js';

const escape = (text: string) => text.replace(/\|/g, '\\|');
const rows = CONFIG_VARIABLES.map(
  (v) =>
    `| \`${v.env}\` | ${v.default === undefined ? '—' : `\`${escape(v.default)}\``} | ${v.secretKey ? `\`${v.secretKey}\`` : '—'} | ${escape(v.description)}${v.secret ? ' **Secret.**' : ''} |`,
);
process.stdout.write(
  ['| Variable | Default | Secret key | What it does |', '|---|---|---|---|', ...rows].join('\n') + '\n',
);
