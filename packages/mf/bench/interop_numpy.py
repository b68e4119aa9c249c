"""Reads a model written by bench/interop-save.mjs with numpy only (no safetensors package):
checks the SHA-256 recorded in model.json, decodes weights.safetensors by hand, recomputes
BiasedMF predictions and compares them with the ones @quiver/mf printed."""
import hashlib, json, struct, sys
import numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else '/tmp/quiver-interop'
d = out + '/model/'
raw = open(d + 'weights.safetensors', 'rb').read()
manifest = json.load(open(d + 'model.json'))
assert hashlib.sha256(raw).hexdigest() == manifest['files']['weights.safetensors']['sha256']
n = struct.unpack('<Q', raw[:8])[0]
header = json.loads(raw[8:8 + n])
base = 8 + n
t = {k: np.frombuffer(raw[base + v['data_offsets'][0]:base + v['data_offsets'][1]], dtype='<f4').reshape(v['shape'])
     for k, v in header.items() if k != '__metadata__'}
p = json.load(open(out + '/pred.json'))
U, I = np.array(p['users']), np.array(p['items'])
pred = t['global_mean'][0] + t['user_bias'][U] + t['item_bias'][I] + (t['user_embedding.weight'][U] * t['item_embedding.weight'][I]).sum(1)
pred = np.clip(pred, t['rating_range'][0], t['rating_range'][1])
diff = np.abs(pred - np.array(p['pred'])).max()
indptr = np.load(d + 'seen_indptr.npy')
print('metadata', header['__metadata__'], 'max |numpy - quiver|', diff, 'seen_indptr', indptr.dtype, indptr.shape)
assert diff < 1e-5
