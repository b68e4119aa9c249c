/** `quiver serve --help`. */
export const SERVE_HELP = `quiver serve --model DIR [options]

Serves a saved model (quiver train --out DIR) over HTTP as a JSON API:
  GET  /v1/recommend?user=ID&k=10[&exclude=a,b][&items=a,b][&filterSeen=true]
  POST /v1/recommend        {"user": ID} or {"history": [{"item": ID, "rating": 4}]}, + k, exclude, items, filterSeen
  GET  /v1/similar-items?item=ID&k=10
  GET  /v1/predict?user=ID&item=ID
  GET  /healthz             model kind, sizes, checksum, load time, generation (never needs the token)
  GET  /metrics             Prometheus text: requests and latency per route and status, reloads
Ids are the raw ids of the training data; answers carry titles when the model has them.

Options:
  --model DIR            the model folder (required)
  --host HOST            address to listen on                                     [127.0.0.1]
  --port N               port, 0 for any free one (the printed URL shows it)           [8080]
  --token-file FILE      require "Authorization: Bearer <token>" on /v1/* and /metrics; the token
                         is the file's content, trimmed (the file must not be world-readable)
  --static DIR           also serve the files of DIR under / (GET only)
  --log-level LEVEL      fatal | error | warn | info | debug | trace | silent          [info]

Limits: bodies up to 64 KiB, k in [1, 1000], lists of up to 10,000 ids, ids up to 256 characters;
a bad request gets 400 {"error": {"code", "message"}}, an unknown id 404.

The model reloads without dropping requests when its folder is replaced (quiver train --out DIR
again) and on SIGHUP; a failed reload keeps the old model serving. SIGTERM or SIGINT stop
accepting connections, finish the requests in flight, then exit 0. Logs are JSON lines on stderr;
the URL is printed on stdout once listening.
`;
