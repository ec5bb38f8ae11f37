# Paired comparison on the validation CSV of PairedVal: per-side CCC of each model, paired bootstrap (by phantom) of differences.
import numpy as np, csv, sys
rows = list(csv.DictReader(open(sys.argv[1]))); names = sys.argv[2:]
t = np.array([float(r['true']) for r in rows]); seed = np.array([int(r['seed']) for r in rows]); acq = np.array([r['acq'] for r in rows])
P = [np.array([float(r[f'pred{j}']) for r in rows]) for j in range(len(names))]
def ccc(x, y):
    mx, my = x.mean(), y.mean(); return 2*((x-mx)*(y-my)).mean()/(x.var()+y.var()+(mx-my)**2)
ph = np.unique(seed); rng = np.random.default_rng(0); idxs = [np.where(seed == s)[0] for s in ph]
B = [np.concatenate([idxs[i] for i in rng.integers(0, len(ph), len(ph))]) for _ in range(1000)]
for j, n in enumerate(names):
    bs = [ccc(t[b], P[j][b]) for b in B]
    tm = t.reshape(-1, 2).mean(1); pm = P[j].reshape(-1, 2).mean(1)
    print(f"{n:10s} per side CCC {ccc(t, P[j]):.3f} ({np.percentile(bs,2.5):.3f}-{np.percentile(bs,97.5):.3f}) RMSE {np.sqrt(((t-P[j])**2).mean()):.3f}  mean-of-sides {ccc(tm, pm):.3f}")
for j in range(1, len(names)):
    d = [ccc(t[b], P[j][b]) - ccc(t[b], P[0][b]) for b in B]
    print(f"{names[j]} - {names[0]}: {ccc(t,P[j])-ccc(t,P[0]):+.3f} (paired 95% {np.percentile(d,2.5):+.3f} .. {np.percentile(d,97.5):+.3f})")
for a in sorted(set(acq)):
    s = acq == a
    print(f"  {a:14s} n={s.sum():3d} " + " ".join(f"{names[j]} {ccc(t[s], P[j][s]):.3f}" for j in range(len(names))))
