# Oracle on real phantoms: per side, mean SMWI in the TRUE nigrosome-1 label / same-side SN label / shared references.
# 5-fold cross-validated regression of SBR on these ratios (log features, quadratic terms, per-field); CCC per side.
import numpy as np, sys, csv
rows = list(csv.DictReader(open(sys.argv[1])))
rows = [r for r in rows if float(r['n1']) > 0 and float(r['sn']) > 0]
y = np.array([float(r['sbr']) for r in rows]); seed = np.array([int(r['seed']) for r in rows])
g = lambda k: np.array([float(r[k]) for r in rows])
n1, sn, teg, csf, sur, ped, rn = (g(k) for k in ['n1','sn','teg','csf','sur','ped','rn'])
f3 = np.array([r['field']=='3.0' for r in rows]); vox = np.array([r['vox'] for r in rows])
def ccc(x, y):
    mx, my = x.mean(), y.mean(); return 2*((x-mx)*(y-my)).mean()/(x.var()+y.var()+(mx-my)**2)
def design(cols, deg2=True):
    X = [np.ones(len(y))] + cols
    if deg2:
        X += [a*b for i,a in enumerate(cols) for b in cols[i:]]
    X = np.column_stack(X); return np.column_stack([X, X*f3[:,None]])
sets = {
 'N1/SN only': [np.log(n1/sn)],
 'N1/SN, SN/teg, SN/CSF, SN/sur': [np.log(n1/sn), np.log(sn/teg), np.log(sn/csf), np.log(sn/sur)],
 '+ RN, peduncle': [np.log(n1/sn), np.log(sn/teg), np.log(sn/csf), np.log(sn/sur), np.log(rn/teg), np.log(ped/teg)],
}
ph = np.unique(seed); rng = np.random.default_rng(0); fold = dict(zip(ph, rng.integers(0,5,len(ph))))
fo = np.array([fold[s] for s in seed])
for name, cols in sets.items():
    X = design(cols); p = np.zeros(len(y))
    for f in range(5):
        tr, te = fo != f, fo == f
        w, *_ = np.linalg.lstsq(X[tr], y[tr], rcond=None); p[te] = X[te] @ w
    p = np.clip(p, 0.5, 4.5)
    # bootstrap over phantoms for a CI
    bs = []
    for b in range(500):
        pick = rng.choice(ph, len(ph)); idx = np.concatenate([np.where(seed==s)[0] for s in pick]); bs.append(ccc(y[idx], p[idx]))
    ms = np.array(sorted(set(seed))); ym = np.array([y[seed==s].mean() for s in ms]); pm = np.array([p[seed==s].mean() for s in ms])
    print(f"{name:36s} n={len(y)} per-side CCC {ccc(y,p):.3f} ({np.percentile(bs,2.5):.3f}-{np.percentile(bs,97.5):.3f})"
          f" RMSE {np.sqrt(((y-p)**2).mean()):.3f}; mean-of-sides CCC {ccc(ym,pm):.3f}")
    for v in sorted(set(vox)):
        for F in (True, False):
            s = (vox==v)&(f3==F)
            if s.sum() >= 20: print(f"     {'3T ' if F else '1.5T'} {v:16s} n={s.sum():4d} CCC {ccc(y[s],p[s]):.3f}")
