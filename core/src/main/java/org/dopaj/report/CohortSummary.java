package org.dopaj.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dopaj.Version;
import org.dopaj.batch.BatchResults;

/**
 * A batch's summary page ({@code summary.html}): how many cases were analysed, failed or flagged; the
 * distribution of each key figure (a histogram with median and range); the failed cases with their reasons and
 * the flagged ones with their warnings, each linked to its report.
 */
public final class CohortSummary {
    /** The figures worth a histogram, per capability (flattened column names). */
    private static final Map<String, List<String>> KEY = Map.of(
            "spect-sbr", List.of("sbr.putamen_l", "sbr.putamen_r", "sbr.caudate_l", "sbr.caudate_r",
                    "putamen_asymmetry_pct", "template_ncc"),
            "spect-classify", List.of("probability_parkinsonian", "template_ncc"),
            "brain-mask", List.of("volume_ml", "seconds_network"),
            "nigrosome-sbr", List.of("sbr_left", "sbr_right", "sbr_mean"));

    private CohortSummary() {
    }

    public static void write(Path html, String capability, List<Map<String, Object>> rows) {
        List<Map<String, String>> flat = new ArrayList<>();
        rows.forEach(r -> flat.add(BatchResults.flatten(r)));
        int failed = 0;
        int flagged = 0;
        for (Map<String, String> f : flat) {
            if ("error".equals(f.get("status"))) {
                failed++;
            } else if (!f.getOrDefault("warnings", "").isEmpty()) {
                flagged++;
            }
        }
        StringBuilder b = new StringBuilder();
        String title = "DopaJ " + capability + " batch summary";
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(title)
                .append("</title>\n<style>body{font-family:sans-serif;max-width:70em;margin:1em auto;color:#222}"
                        + "table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:left}"
                        + ".warn{color:#b00000}.notice{color:#555;font-size:90%}</style></head><body>\n");
        b.append("<h1>").append(title).append("</h1>\n");
        b.append(String.format(Locale.ROOT, "<p>%d cases: %d analysed without warnings, %d flagged, %d failed.</p>%n",
                flat.size(), flat.size() - failed - flagged, flagged, failed));
        b.append("<h2>Distributions</h2>\n");
        for (String col : KEY.getOrDefault(capability, List.of())) {
            double[] v = flat.stream().filter(f -> "ok".equals(f.get("status"))).map(f -> f.get(col))
                    .filter(s -> s != null && !s.isEmpty()).mapToDouble(CohortSummary::parse)
                    .filter(Double::isFinite).toArray();
            if (v.length > 0) {
                b.append(histogram(col, v));
            }
        }
        if (failed > 0) {
            b.append("<h2>Failed</h2><table><tr><th>case</th><th>reason</th></tr>\n");
            for (Map<String, String> f : flat) {
                if ("error".equals(f.get("status"))) {
                    b.append("<tr><td>").append(CaseReport.esc(f.get("case"))).append("</td><td class=\"warn\">")
                            .append(CaseReport.esc(f.getOrDefault("error", ""))).append("</td></tr>\n");
                }
            }
            b.append("</table>\n");
        }
        if (flagged > 0) {
            b.append("<h2>Flagged</h2><table><tr><th>case</th><th>warnings</th></tr>\n");
            for (Map<String, String> f : flat) {
                if (!"error".equals(f.get("status")) && !f.getOrDefault("warnings", "").isEmpty()) {
                    String id = CaseReport.esc(f.get("case"));
                    b.append("<tr><td><a href=\"").append(id).append("/report.html\">").append(id)
                            .append("</a></td><td class=\"warn\">").append(CaseReport.esc(f.get("warnings")))
                            .append("</td></tr>\n");
                }
            }
            b.append("</table>\n");
        }
        b.append("<p>Every case: <a href=\"results.csv\">results.csv</a>; each case's page is "
                + "<code>&lt;case&gt;/report.html</code> (and .pdf).</p>\n");
        b.append("<p class=\"notice\">").append(Version.NOTICE).append(" DopaJ ").append(Version.get())
                .append(".</p>\n</body></html>\n");
        BatchResults.writeAtomically(html, b.toString());
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** An inline SVG histogram of 20 bins with the median and range in its title. */
    static String histogram(String name, double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        double lo = s[0];
        double hi = s[s.length - 1];
        int bins = 20;
        int[] h = new int[bins];
        for (double x : v) {
            int k = hi > lo ? (int) Math.min(bins - 1, (x - lo) / (hi - lo) * bins) : bins / 2;
            h[k]++;
        }
        int max = Arrays.stream(h).max().orElse(1);
        Map<String, Object> stats = new LinkedHashMap<>();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<h3>%s</h3><p>n = %d, median %.3f, range %.3f to %.3f</p>%n",
                CaseReport.esc(name), v.length, s[s.length / 2], lo, hi));
        b.append("<svg width=\"420\" height=\"110\" role=\"img\" aria-label=\"histogram of ").append(CaseReport.esc(name))
                .append("\">");
        for (int k = 0; k < bins; k++) {
            int bh = (int) Math.round(90.0 * h[k] / max);
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"19\" height=\"%d\" fill=\"#3a6ea5\">"
                    + "<title>%d</title></rect>", 10 + 20 * k, 95 - bh, bh, h[k]));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"108\" font-size=\"10\">%.3g</text>"
                + "<text x=\"370\" y=\"108\" font-size=\"10\">%.3g</text></svg>%n", lo, hi));
        stats.clear();
        return b.toString();
    }
}
