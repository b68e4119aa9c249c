// The page's logic: load the model folder with @quiver/mf's browser entry (fetch + Web Crypto),
// list movies to rate (popular first, or the titles matching the search), and after each
// rating fold the visitor in as a new user and show the top 10 (recommendForNew). Bundled by
// build.mjs into dist/app.bundle.js; every computation runs in the page.
import { loadModelFromUrl } from '@quiver/mf';

const K = 10;
const LIST = 25;
const $ = (id) => document.getElementById(id);

/** The visitor's ratings, in the order given: item index → stars. */
const history = new Map();
let updates = 0;

function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className !== undefined) e.className = className;
  return e;
}

function setStatus(text, state) {
  $('status').textContent = text;
  if (state !== undefined) document.body.dataset.state = state;
}

async function main() {
  const t0 = performance.now();
  const { model, manifest, files } = await loadModelFromUrl('./model/');
  const loadMs = performance.now() - t0;
  const raw = files['titles.json'];
  const titles = raw === undefined ? [] : JSON.parse(new TextDecoder().decode(raw));
  const title = (i) => titles[i] ?? `movie #${i}`;
  // Popularity (ratings per movie in the training data) from the seen-items CSR.
  const seen = model.seenItems();
  const counts = new Int32Array(model.numItems);
  for (const i of seen.indices) counts[i]++;
  const byPopularity = Int32Array.from(counts.keys()).sort((a, b) => counts[b] - counts[a] || a - b);
  const lowerTitles = Array.from({ length: model.numItems }, (_, i) => title(i).toLowerCase());

  function renderMovies() {
    const q = $('search').value.trim().toLowerCase();
    const list = $('movies');
    list.replaceChildren();
    let shown = 0;
    for (const i of byPopularity) {
      if (shown === LIST) break;
      if (history.has(i) || (q !== '' && !lowerTitles[i].includes(q))) continue;
      const li = el('li');
      li.dataset.item = String(i);
      const name = el('span', title(i), 'title');
      name.append(' ', el('span', `${counts[i]} ratings`, 'count'));
      const stars = el('span', undefined, 'stars');
      for (let r = 1; r <= 5; r++) {
        const b = el('button', `${r}★`);
        b.type = 'button';
        b.className = 'rate';
        b.dataset.item = String(i);
        b.dataset.rating = String(r);
        b.title = `Rate "${title(i)}" ${r} star${r > 1 ? 's' : ''}`;
        stars.append(b);
      }
      li.append(name, stars);
      list.append(li);
      shown++;
    }
    if (shown === 0) list.append(el('li', 'No movie matches.', 'empty'));
  }

  function renderHistory() {
    const list = $('history');
    list.replaceChildren();
    for (const [i, r] of history) {
      const li = el('li', `${'★'.repeat(r)} ${title(i)}`);
      li.dataset.item = String(i);
      li.dataset.rating = String(r);
      const remove = el('button', '×');
      remove.type = 'button';
      remove.title = 'Remove this rating';
      remove.addEventListener('click', () => {
        history.delete(i);
        update();
      });
      li.append(remove);
      list.append(li);
    }
    if (history.size === 0) list.append(el('li', 'None yet.', 'empty'));
    $('clear').hidden = history.size === 0;
  }

  function renderRecommendations() {
    const list = $('recs');
    list.replaceChildren();
    if (history.size === 0) {
      list.append(el('li', 'Rate a movie to get recommendations.', 'empty'));
      $('timing').textContent = '';
      return;
    }
    const items = Int32Array.from(history.keys());
    const ratings = Float32Array.from(history.values());
    const t = performance.now();
    // Fold-in against the fixed item factors, then the top K of every movie not rated.
    const { ids, scores } = model.recommendForNew(items, ratings, K);
    $('timing').textContent = `(${(performance.now() - t).toFixed(1)} ms)`;
    ids.forEach((id, n) => {
      const li = el('li', title(id));
      li.dataset.item = String(id);
      li.dataset.score = String(scores[n]);
      li.append(' ', el('span', scores[n].toFixed(3), 'score'));
      list.append(li);
    });
  }

  function update() {
    renderHistory();
    renderMovies();
    renderRecommendations();
    updates++;
    document.body.dataset.updates = String(updates);
  }

  $('movies').addEventListener('click', (event) => {
    const b = event.target.closest('button.rate');
    if (b === null) return;
    const i = Number(b.dataset.item);
    history.delete(i); // a new rating of the same movie moves it to the end
    history.set(i, Number(b.dataset.rating));
    update();
  });
  $('search').addEventListener('input', renderMovies);
  $('clear').addEventListener('click', () => {
    history.clear();
    update();
  });
  $('search').disabled = false;
  renderMovies();
  const checked = Object.keys(manifest.files).length + 1;
  setStatus(
    `Model: ${manifest.kind}, ${manifest.numUsers} users × ${manifest.numItems} movies, ${manifest.config.factors} factors; ` +
      `${checked} files fetched and checked (SHA-256) in ${Math.round(loadMs)} ms.`,
    'ready',
  );
}

main().catch((err) => {
  setStatus(`Could not load the model: ${err.message}`, 'error');
  console.error(err);
});
