"""Reference HD95/Dice for OverlapTest.matchesScipyMedpyRecipeOnEllipsoids (MedPy's hd95 recipe with scipy).
Run: python3 docs/scripts/hd95_scipy_check.py   (needs numpy and scipy)"""
import numpy as np
from scipy import ndimage as ndi

nx, ny, nz = 91, 109, 91
spacing = (1.0, 1.0, 1.5)
x, y, z = np.meshgrid(np.arange(nx), np.arange(ny), np.arange(nz), indexing="ij")
cx, cy, cz = nx / 2, ny / 2, nz / 2
ref = ((x - cx) / (0.4 * nx)) ** 2 + ((y - cy) / (0.4 * ny)) ** 2 + ((z - cz) / (0.4 * nz)) ** 2 < 1
pred = ((x - cx - 2) / (0.41 * nx)) ** 2 + ((y - cy) / (0.39 * ny)) ** 2 + ((z - cz + 1) / (0.4 * nz)) ** 2 < 1
six = ndi.generate_binary_structure(3, 1)


def surface(m):
    return m ^ ndi.binary_erosion(m, structure=six, iterations=1)


def directed(a, b):
    return ndi.distance_transform_edt(~surface(b), sampling=spacing)[surface(a)]


d = np.hstack((directed(pred, ref), directed(ref, pred)))
print("hd95_mm %.12f" % np.percentile(d, 95))
print("hausdorff_mm %.12f" % d.max())
print("dice %.12f" % (2 * (pred & ref).sum() / (pred.sum() + ref.sum())))
