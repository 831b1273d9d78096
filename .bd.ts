import { buildLambdaBundles, largestPackages } from './scripts/build-lambda.js';
const { metafiles } = await buildLambdaBundles({ outDir: '/tmp/scratch/lb' });
const fn = process.argv[2] as 'tick';
for (const [n, b] of largestPackages(metafiles[fn], 40)) console.log((b / 1024).toFixed(1).padStart(7), n);
const out = Object.values(metafiles[fn].outputs)[0]!;
const z = Object.entries(out.inputs).filter(([p]) => p.includes(process.argv[3] ?? 'zod/')).sort((a,b)=>b[1].bytesInOutput-a[1].bytesInOutput).slice(0,15);
for (const [p,i] of z) console.log('   ', (i.bytesInOutput/1024).toFixed(1), p);
