package org.dopaj.registration;

import org.dopaj.progress.ProgressListener;

/**
 * Limited-memory BFGS minimiser with a backtracking (Armijo) line search, for the few (6–81) smooth parameters of
 * a registration. Chosen over Powell/Nelder–Mead because the metrics come with analytic gradients (one sampling
 * pass gives value and gradient), so a quasi-Newton method needs ~10× fewer metric evaluations; L-BFGS rather
 * than Gauss–Newton because the same optimiser then serves NCC, mutual information and the regularised
 * non-linear stage.
 *
 * <p>Parameters are in scaled units chosen by the caller (1 mm ~ 1° ~ 1 % scale), so step limits and tolerances
 * are in those units. The first step (and any step after a reset) goes down the gradient by at most
 * {@code firstStep}; every step is capped at {@code maxStep} in its largest component, which keeps the search
 * inside the capture range of the smoothed images.
 */
final class Lbfgs {
    private static final int MEMORY = 6;
    private static final double ARMIJO = 1e-4;

    private Lbfgs() {
    }

    /** The function to minimise: returns f(x) and writes ∇f(x) into grad. */
    interface Function {
        double evaluate(double[] x, double[] grad);
    }

    /** Where the minimiser stopped. */
    record Outcome(double[] x, double f, int iterations, int evaluations, boolean converged) {
    }

    /** Stop rules and limits, in the caller's scaled units. */
    record Settings(int maxIterations, double firstStep, double maxStep, double xTol, double fTol) {
    }

    /**
     * Minimises from x0 (not modified).
     *
     * @param cancel polled before each iteration; true throws {@link Registration#cancelledException()}
     */
    static Outcome minimise(Function fn, double[] x0, Settings s, ProgressListener cancel) {
        int n = x0.length;
        double[] x = x0.clone();
        double[] g = new double[n];
        double f = fn.evaluate(x, g);
        int evals = 1;
        double[][] sHist = new double[MEMORY][n];
        double[][] yHist = new double[MEMORY][n];
        double[] rho = new double[MEMORY];
        int stored = 0;
        int head = 0;
        double[] d = new double[n];
        double[] xn = new double[n];
        double[] gn = new double[n];
        double[] alpha = new double[MEMORY];
        boolean converged = false;
        int smallDecrease = 0;
        int it = 0;
        while (it < s.maxIterations()) {
            if (cancel.cancelled()) {
                throw Registration.cancelledException();
            }
            if (!Double.isFinite(f) || maxAbs(g) == 0) {
                converged = Double.isFinite(f);
                break;
            }
            // two-loop recursion: d = −H·g
            for (int i = 0; i < n; i++) {
                d[i] = -g[i];
            }
            if (stored == 0) {
                scale(d, s.firstStep() / maxAbs(d));
            } else {
                for (int k = 0; k < stored; k++) {
                    int j = Math.floorMod(head - 1 - k, MEMORY);
                    alpha[j] = rho[j] * dot(sHist[j], d);
                    axpy(-alpha[j], yHist[j], d);
                }
                int last = Math.floorMod(head - 1, MEMORY);
                scale(d, dot(sHist[last], yHist[last]) / dot(yHist[last], yHist[last]));
                for (int k = stored - 1; k >= 0; k--) {
                    int j = Math.floorMod(head - 1 - k, MEMORY);
                    double beta = rho[j] * dot(yHist[j], d);
                    axpy(alpha[j] - beta, sHist[j], d);
                }
            }
            double slope = dot(g, d);
            if (!(slope < 0)) {
                // not a descent direction (curvature information went stale): restart from the gradient
                for (int i = 0; i < n; i++) {
                    d[i] = -g[i];
                }
                scale(d, s.firstStep() / maxAbs(d));
                slope = dot(g, d);
                stored = 0;
            }
            double big = maxAbs(d);
            if (big > s.maxStep()) {
                scale(d, s.maxStep() / big);
                slope *= s.maxStep() / big;
            }
            double step = 1;
            double fn1 = Double.NaN;
            boolean accepted = false;
            for (int ls = 0; ls < 12; ls++) {
                for (int i = 0; i < n; i++) {
                    xn[i] = x[i] + step * d[i];
                }
                fn1 = fn.evaluate(xn, gn);
                evals++;
                if (Double.isFinite(fn1) && fn1 <= f + ARMIJO * step * slope) {
                    accepted = true;
                    break;
                }
                // quadratic model of f along d, kept within [0.1, 0.5] of the last step
                double q = Double.isFinite(fn1) ? -slope * step * step / (2 * (fn1 - f - slope * step)) : 0.1 * step;
                step = Math.max(0.1 * step, Math.min(0.5 * step, q));
                if (step * big < s.xTol() * 1e-2) {
                    break;
                }
            }
            it++;
            if (!accepted) {
                if (stored > 0) {
                    stored = 0; // retry from the gradient before giving up
                    continue;
                }
                converged = true; // no descent left along the gradient: a (local) minimum at this resolution
                break;
            }
            double stepMax = 0;
            double sy = 0;
            double yy = 0;
            double[] sNew = sHist[head];
            double[] yNew = yHist[head];
            for (int i = 0; i < n; i++) {
                sNew[i] = xn[i] - x[i];
                yNew[i] = gn[i] - g[i];
                stepMax = Math.max(stepMax, Math.abs(sNew[i]));
                sy += sNew[i] * yNew[i];
                yy += yNew[i] * yNew[i];
            }
            if (sy > 1e-12 * Math.sqrt(dot(sNew, sNew) * yy)) {
                rho[head] = 1 / sy;
                head = (head + 1) % MEMORY;
                stored = Math.min(stored + 1, MEMORY);
            }
            double decrease = f - fn1;
            System.arraycopy(xn, 0, x, 0, n);
            System.arraycopy(gn, 0, g, 0, n);
            f = fn1;
            if (stepMax < s.xTol()) {
                converged = true;
                break;
            }
            smallDecrease = decrease < s.fTol() ? smallDecrease + 1 : 0;
            if (smallDecrease >= 2) {
                converged = true;
                break;
            }
        }
        return new Outcome(x, f, it, evals, converged);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static void scale(double[] v, double a) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= a;
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double a : v) {
            m = Math.max(m, Math.abs(a));
        }
        return m;
    }
}
