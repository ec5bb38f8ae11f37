# Ceiling of per-side SBR recoverable from SmwiPhysicsPhantom's nigrosome contrast (noise-free tissue signals).
# Mirrors SmwiPhysicsPhantom.generate's tissue draws and SBR link; ignores texture, noise, blur, partial volume
# (all of which only lower the ceiling further).
import numpy as np
from scipy.spatial import cKDTree
rng = np.random.default_rng(1)
def ccc(x, y):
    mx, my = x.mean(), y.mean(); vx, vy = x.var(), y.var(); c = ((x-mx)*(y-my)).mean()
    return 2*c/(vx+vy+(mx-my)**2)
def sides(n):  # held-out per-side SBR as SmwiPhysicsPhantom.random
    t = 0.8 + 3.4*rng.random(n); ai = 0.3*rng.random(n)*np.where(rng.random(n)<0.5, 1, -1)
    side = rng.random(n) < 0.5
    return np.where(side, t*(1+ai/2), t*(1-ai/2))
def draw(n, sbr):
    is3 = rng.random(n) < 0.7
    ff = np.where(is3, 1.0, rng.uniform(0.5, 0.6, n))
    U = lambda a, b: rng.uniform(a, b, n)
    teg = (U(.75,.82), U(20,25)*ff, U(-.01,.02)); sur = (U(.70,.80), U(18,24)*ff, U(-.02,.01))
    sn = (U(.72,.80), U(30,45)*ff, U(.08,.16)); n1 = (U(.78,.85), U(20,28)*ff, U(0,.05))
    E = np.where(is3, rng.integers(3,6,n), rng.integers(3,5,n))
    te1 = np.where(is3, U(5,8), U(8,12)); dte = np.where(is3, U(5,7), U(8,12))
    k = np.clip((sbr-1)/3, 0, 1)
    snp = (sn[0], sn[1], sn[2] + 0.02*(1-k))
    n1p = tuple(snp[i] + k*(n1[i]-snp[i]) for i in range(3))
    def S(t):
        pd, r2, chi = t; s2 = np.zeros(n)
        for e in range(5):
            te = (te1 + e*dte)/1000; on = e < E
            s2 += np.where(on, (pd*np.exp(-te*r2))**2, 0)
        m = np.clip(1 - chi/1.0, 0, 1); m = np.where(chi <= 0, 1, m)
        return np.sqrt(s2/E) * m**4
    return k, S(n1p), S(snp), S(teg), S(sur), is3
N = 400000
sb = sides(N); k, a, b, c, d, is3 = draw(N, sb)
ts = sides(200000); tk, ta, tb, tc, td, t3 = draw(200000, ts)
def knn(F, y, G, kk=200):
    mu, sd = F.mean(0), F.std(0); tr = cKDTree((F-mu)/sd)
    _, idx = tr.query((G-mu)/sd, k=kk); return y[idx].mean(1)
# O1: k known exactly (only the saturation of k outside SBR 1-4 is lost)
p1 = knn(k[:,None], sb, tk[:,None])
# O2: the noise-free nigrosome / SN signal ratio (the visible swallow-tail contrast)
p2 = knn(np.c_[a/b], sb, np.c_[ta/tb])
# O3: ratio + SN/tegmentum + SN/surrounding + field (everything a crop could carry about this side)
p3 = knn(np.c_[a/b, b/c, b/d, is3], sb, np.c_[ta/tb, tb/tc, tb/td, t3])
for name, p in [("O1 k known", p1), ("O2 N1/SN ratio", p2), ("O3 ratio+SN/tegm+SN/surr+field", p3)]:
    # CCC on many 600-side draws (the held-out size) to show its spread
    cs = [ccc(ts[i:i+600], p[i:i+600]) for i in range(0, 200000-600, 600)]
    m = [ccc((ts[i:i+600:2]+ts[i+1:i+600:2])/2, (p[i:i+600:2]+p[i+1:i+600:2])/2) for i in range(0, 200000-600, 600)]
    print(f"{name:34s} per-side CCC {ccc(ts,p):.3f} (600-side draws 2.5-97.5%: {np.percentile(cs,2.5):.3f}-{np.percentile(cs,97.5):.3f}); "
          f"RMSE {np.sqrt(((ts-p)**2).mean()):.3f}; mean of 2 indep. sides CCC {np.mean(m):.3f}")
for f3 in [True, False]:
    sel = t3 == f3; print("field", "3T" if f3 else "1.5T", "O3 per-side CCC", round(ccc(ts[sel], p3[sel]),3))
inr = (ts>=1)&(ts<=4); print("fraction of held-out sides outside 1-4:", round(1-inr.mean(),3), "O3 CCC inside 1-4:", round(ccc(ts[inr],p3[inr]),3))
# Same quadratic least-squares form as fit.py (log ratios, ×field), fitted on 1200 sides, tested on the rest:
def design(cols, f3):
    X = [np.ones(len(cols[0]))] + cols + [a*b for i,a in enumerate(cols) for b in cols[i:]]
    X = np.column_stack(X); return np.column_stack([X, X*f3[:,None]])
Xtr = design([np.log(a/b), np.log(b/c), np.log(b/d)], is3.astype(float))
Xte = design([np.log(ta/tb), np.log(tb/tc), np.log(tb/td)], t3.astype(float))
for ntr in (1200, 400000):
    w, *_ = np.linalg.lstsq(Xtr[:ntr], sb[:ntr], rcond=None); p = np.clip(Xte @ w, 0.5, 4.5)
    print(f"noise-free, quadratic on log ratios, fitted on {ntr} sides: per-side CCC {ccc(ts,p):.3f}")
