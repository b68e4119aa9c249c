// Arrow in, Arrow out: the shipped ratings are converted to Parquet and Arrow IPC (as a data
// team would hand them over), read back into zero-copy typed-array columns, an ALS model is
// trained on them, and the learned item embeddings are written as Parquet with the raw movie
// ids: a standard Parquet file (FixedSizeList<Float32> column, written by parquet-wasm's
// arrow-rs writer) for DuckDB, pandas (pyarrow) or Spark. (Neither DuckDB nor pyarrow is
// installed on the machine this was written on, so these two commands were not run here.)
//
//   duckdb -c "SELECT id, embedding[1:3] FROM 'item_embeddings.parquet' LIMIT 3"
//   python -c "import pandas as pd; print(pd.read_parquet('item_embeddings.parquet').head())"
//
//   node examples/arrow-pipeline.js                     # files go to a temporary folder
//   QUIVER_OUT=out node examples/arrow-pipeline.js      # keep them in ./out
//   QUIVER_EPOCHS=2 node examples/arrow-pipeline.js     # fewer ALS sweeps (the smoke test)
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  embeddingsFromTable,
  loadMovieLens,
  randomSplit,
  readArrow,
  readParquet,
  readParquetTable,
  tableFromEmbeddings,
  writeArrow,
  writeParquet,
} from '@quiver/data';
import { ALS } from '@quiver/mf';
import { evaluateRanking, train } from '@quiver/train';
import { intFromEnv } from './lib/env.js';

const epochs = intFromEnv('arrow-pipeline', 'QUIVER_EPOCHS', undefined);
const keep = process.env.QUIVER_OUT;
const dir = keep ? (mkdirSync(keep, { recursive: true }), keep) : mkdtempSync(join(tmpdir(), 'quiver-arrow-'));
const size = (f) => `${(statSync(f).size / 1e6).toFixed(2)} MB`;

try {
  // ---- the hand-over: ratings as Parquet and Arrow IPC
  const { interactions: csv } = await loadMovieLens('ml-latest-small', undefined, { items: false });
  const parquetIn = join(dir, 'ratings.parquet');
  const arrowIn = join(dir, 'ratings.arrow');
  await writeParquet(csv, parquetIn);
  await writeArrow(csv, arrowIn);
  console.log(`ratings.parquet ${size(parquetIn)}, ratings.arrow ${size(arrowIn)} (${csv.length} rows)`);

  // ---- read back: the Arrow file's columns are used in place; Parquet is decoded once
  const fromArrow = await readArrow(arrowIn);
  const data = await readParquet(parquetIn);
  const equal = data.length === fromArrow.length && data.itemIds.every((x, k) => x === fromArrow.itemIds[k]);
  console.log(`read ${data.length} rows from Parquet and ${fromArrow.length} from Arrow IPC; same rows and ids: ${equal}`);
  console.log(`arrow table schema: ${data.table.schema.fields.map((f) => `${f.name}: ${f.type}`).join(', ')}`);

  // ---- train
  const { train: trainPart, test } = randomSplit(data, { testFraction: 0.2, seed: 42 });
  const als = new ALS();
  train(als, trainPart, epochs === undefined ? {} : { epochs });
  const m = evaluateRanking(als, trainPart, test, { k: 10, relevantMin: 4, auc: false }).metrics;
  console.log(`ALS: P@10 ${m['precision@10'].toFixed(4)}, NDCG@10 ${m['ndcg@10'].toFixed(4)}`);

  // ---- embeddings out: one row per movie, raw id + FixedSizeList<Float32>[k] (no copy)
  const weight = als.getState()['item_embedding.weight'];
  const table = tableFromEmbeddings(weight.data, weight.shape[1], { ids: data.itemIdMap });
  const out = join(dir, 'item_embeddings.parquet');
  await writeParquet(table, out);
  const back = embeddingsFromTable(await readParquetTable(out));
  const roundTrip = back.numRows === weight.shape[0] && back.vectors.every((x, k) => x === weight.data[k]);
  console.log(`item_embeddings.parquet ${size(out)}: ${back.numRows} rows × ${back.dim} floats, columns ${table.schema.fields.map((f) => `${f.name}: ${f.type}`).join(', ')}`);
  console.log(`read back bit-identical: ${roundTrip}`);
  if (!roundTrip || !equal) process.exitCode = 1;
  if (keep) console.log(`files kept in ${dir}`);
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
