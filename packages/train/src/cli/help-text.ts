/** `quiver --help`. */
export const MAIN_HELP = `quiver: train, evaluate and query recommender models on interaction logs

Usage:
  quiver train --data <file|builtin> [options]     train a model, evaluate it on a held-out part
  quiver eval --model DIR --data <file> [--json]   evaluate a saved model on a file
  quiver recommend --model DIR --user ID [-k N]    top-k items for a user (with titles when known)
  quiver compare --data <file|builtin> [options]   tune and compare models on one split, with intervals
  quiver serve --model DIR [--port 8080]           serve a saved model over HTTP (JSON API, /metrics)
  quiver spark-import --spark-model DIR --out DIR  a Spark MLlib ALS model (its factor Parquet) as a model folder
  quiver spark-export --model DIR --out DIR        factors (and --data interactions) as Parquet Spark reads
  quiver <command> --help                          options of a command
  quiver --version

Data files: .csv (with header), .tsv / .data (MovieLens tab layout), .dat (::), .arrow / .feather
(Arrow IPC), .parquet; any other name is recognised from its first bytes (Arrow, Parquet, else
delimited text, such as MovieLens u1.base / u1.test), or named with --format; builtin datasets:
ml-latest-small (shipped), other MovieLens names when downloaded into the datasets folder.

Human-readable output goes to stderr; --json prints exactly one JSON object on stdout.
Errors print one line on stderr and exit with code 1 (2 for a usage error).
`;

/** `quiver train --help`. */
export const TRAIN_HELP = `quiver train --data <file|builtin> [options]

Trains a model on a training part, then reports test metrics: RMSE / MAE for explicit models,
P@10 (hits / 10), R@10, NDCG@10, MAP@10 and AUC for implicit models (full ranking over every
item the user has not interacted with in training; users without a relevant test item are left
out and the number of evaluated users is printed), and the implicit library's precision
(hits / min(10, relevant items), micro-averaged) under its own name, for comparison with it.

Data:
  --data <file|name>     training interactions, or a builtin dataset such as ml-latest-small
  --test <file>          a separate test file (ids are mapped to the training ids; unknown ones skipped)
  --test-ratio X         fraction held out for test, in (0, 1)                        [0.2]
  --split KIND           random | user-ratio | leave-last-out                       [random]
  --columns LIST         user,item[,rating[,timestamp]]: header names or 0-based indices
  --delimiter X          , | tab | :: | ; | | | space                                [detected]
  --format KIND          csv | tsv | dat | text | arrow | parquet       [extension, else sniffed]
  --on-invalid MODE      error (stop at the first malformed row) | skip (skip and count) [error]
  --duplicates POLICY    repeated (user, item) rows: keep-last | mean | sum | error   [keep-last]
                         (merged rows are counted on stderr and in --json)
  --id-type KIND         how ids in text files are read: auto | number | string          [auto]
  --max-line-bytes N     longest data line accepted (K, M, G units)                        [1M]
  --relevant-min X       implicit models: a test interaction is relevant when rating >= X
                                                                 [every test interaction]
Model:
  --model KIND           biased-mf | baseline | bpr | als | popularity | random | itemknn |
                         rp3beta | p3alpha | userknn | ease | puresvd | slim | svdpp |
                         bayesian-mf                                             [biased-mf]
  --factors N            latent factors per user and item (biased-mf, bpr, als, puresvd,
                         svdpp, bayesian-mf)                                  [model default]
  --epochs N             epochs (ALS: alternating sweeps; bayesian-mf: Gibbs sweeps)
                                                                              [model default]
  --lr X                 learning rate (biased-mf, baseline, bpr, svdpp)      [model default]
  --reg X                L2 regularisation (biased-mf, baseline, bpr, als, svdpp)
                                                                              [model default]
  --seed N               seed of the split, the initialisation and the sampling          [42]
  --schedule KIND        biased-mf SGD order: shuffle (plain loop) | blocks (LIBMF-style blocks,
                         WebAssembly SIMD; much faster on large data)  [shuffle]
                         (the model's solver: { kind: 'sgd', schedule })
  --threads N            biased-mf, als, itemknn, userknn, rp3beta, p3alpha, slim: train on N
                         threads (biased-mf: implies --schedule blocks); same result for
                         every N; other models use one thread                            [1]
                         (biased-mf, als: the model's solver.threads)
  --neighbors N          neighbours kept per item (itemknn, rp3beta, p3alpha, slim) or per user
                         (userknn)                                            [model default]
  --shrink X             itemknn, userknn: added to the similarity's denominator
                                                                              [model default]
  --similarity KIND      itemknn, userknn: cosine | asymmetric-cosine | jaccard       [cosine]
  --weighting KIND       itemknn, userknn: none | tfidf | bm25                         [none]
  --alpha X              rp3beta, p3alpha: walk exponent; als: confidence slope [model default]
  --beta X               rp3beta: popularity penalty                            [model default]
  --lambda X             ease: L2 penalty on the item–item weights              [model default]
  --checkpoint DIR       save a checkpoint after every epoch into DIR (atomic, checksummed;
                         the newest 2 are kept)
  --resume               continue from the newest intact checkpoint in --checkpoint DIR (same
                         data, split, model and options; a larger --epochs trains further, a
                         smaller one is refused); the result is bit-identical to an
                         uninterrupted run
  --max-memory SIZE      refuse, before allocating, a model whose weights, optimizer state and
                         training buffers need more (K, M, G units)   [half of this machine's memory]
Output:
  --out DIR              save the model (weights, hyper-parameters, id maps, titles) to DIR; the
                         folder is replaced as a whole, and locked for the run (a second
                         quiver train into it is refused)
  --report FILE          write a self-contained HTML report: loss and test-metric curves per
                         epoch, predicted vs actual ratings, PCA map of the item embeddings
  --json                 print one JSON object on stdout (model, params, fitSeconds, metrics,
                         history, evaluatedUsers) and nothing on stderr

Example:
  quiver train --data ml-latest-small --model als --relevant-min 4 --out runs/als
`;

/** `quiver eval --help`. */
export const EVAL_HELP = `quiver eval --model DIR --data <file> [options]

Evaluates a model saved by quiver train --out on a file of held-out interactions. Users and
items the model does not know are skipped (and counted). Explicit models report RMSE / MAE;
implicit models report full-ranking metrics, excluding the items each user had in training.

  --model DIR            a directory written by quiver train --out
  --data <file>          the interactions to evaluate on (same formats as quiver train)
  --columns LIST         user,item[,rating[,timestamp]]
  --delimiter X          , | tab | :: | ; | | | space
  --format KIND          csv | tsv | dat | text | arrow | parquet       [extension, else sniffed]
  --relevant-min X       relevance threshold for implicit models       [the training run's value]
  -k N                   cut-off of the ranking metrics                                    [10]
  --train-overlap MODE   a test pair the model trained on: error (leakage) | drop    [error]
  --json                 print one JSON object on stdout
`;

/** `quiver recommend --help`. */
export const RECOMMEND_HELP = `quiver recommend --model DIR --user ID [options]

Prints the top-k items for a user of the training data, best first, leaving out the items the
user already has. Shows titles when the model was trained on a dataset with titles
(such as ml-latest-small).

  --model DIR            a directory written by quiver train --out
  --user ID              the user's id as it appears in the data (ids beyond 2^53 are exact;
                         a negative id is a value: --user -5)
  --user-index N         the user's row index 0..numUsers-1 instead (the only way for a model
                         saved without id maps)
  -k N                   how many items                                                    [10]
  --json                 print one JSON object on stdout
`;

/** `quiver compare --help`. */
export const COMPARE_HELP = `quiver compare --data <file|builtin> [options]

Compares models on one split of the data, the way a paper's table does. The protocol splits the
data into a training and a test part; the training part is split again the same way into a
validation split, on which each model is tuned by a seeded search (its defaults are one more
candidate); each model is then refitted on the whole training part with what it chose and
evaluated once on the test part. Every per-user metric is printed with its bootstrap confidence
interval over users, and each model with a paired test against the best one on the same users.

  --data <file|name>     interactions, or a builtin dataset such as ml-latest-small
  --models LIST          comma-separated model kinds           [als,ease,itemknn,bpr,popularity]
  --protocol NAME        full | loo-sampled | strong-gen | temporal                         [full]
                           full: random 80/20 split, every unseen item ranked (no sampling)
                           loo-sampled: each user's latest interaction held out, ranked among
                             --negatives sampled items (He et al. 2017's NCF protocol); its
                             metrics are named e.g. ndcg@10(sampled 100): sampled metrics can
                             reorder models (Krichene & Rendle 2020)
                           strong-gen: 10% of users held out of training; 80% of each one's
                             history is folded in, the rest predicted (Liang et al. 2018)
                           temporal: the latest 20% of interactions are the test part; checked
                             that no test row precedes its user's training rows
  -k, --k N              cut-off of the top-k metrics                                      [10]
  --relevant-min X       ratings >= X are relevant                       [every held-out row]
  --negatives N          sampled negatives per user (loo-sampled)                         [100]
  --trials N             search trials per model on validation; 0 = defaults only           [8]
  --search KIND          random | hyperband (over epochs, for the models trained in epochs) [random]
  --metric NAME          the metric models are tuned and ranked by        [ndcg@k, sampled name]
  --seed N               seed of the splits, the searches, the negatives and the bootstrap [42]
  --level X              coverage of the confidence intervals, in (0, 1)                 [0.95]
  --bootstrap N          bootstrap resamples per interval                                [1000]
  --threads N            threads of the neighbour models, SLIM, EASE and ALS                [1]
  --html FILE            also write an HTML report with the intervals as error bars
  --journal DIR          keep the searches' journals in DIR: rerun an interrupted compare with
                         the same DIR and it reuses every finished evaluation
  --json                 print one JSON object on stdout (every metric, interval and test)
  --columns, --delimiter, --format, --on-invalid, --duplicates: as in quiver train

Builtin MovieLens data adds diversity@k (intra-list diversity by genres).

Example:
  quiver compare --data ml-latest-small --models als,ease,itemknn,bpr,popularity --html compare.html
`;
