package org.dopaj.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.dopaj.DopajException;
import org.dopaj.Version;
import org.dopaj.batch.BatchResults;
import org.dopaj.batch.BatchTask;

/**
 * One case's report, as a page a reader can look at: {@code report.html} (a single self-contained file, pictures
 * inline) and {@code report.pdf} (A4), both with the key figures, every warning in red, the pictures with their
 * captions, the model, its version and what it learnt from, and the research-use notice. Machine detail (affines,
 * input statistics, per-model records) stays in the results table, not on the page.
 */
public final class CaseReport {
    /** Fields a reader does not need on the page (they stay in results.csv/jsonl). */
    private static final List<String> HIDDEN = List.of("affine", "registration.", "input_statistics", "models.", "mean_counts",
            "voxels.", "crop", "centroid_", ".origin", "notice", "report", "subregion_sbr");

    private CaseReport() {
    }

    /** Writes report.html and report.pdf into {@code dir} from the case's row and figures. */
    public static void write(Path dir, String capability, Map<String, Object> row, List<BatchTask.Figure> figures,
            String trainingData) {
        String id = String.valueOf(row.get("case"));
        String title = "DopaJ " + capability + " report - " + id;
        List<String[]> facts = facts(row);
        List<String> warnings = warnings(row);
        String model = row.get("model") + (trainingData == null || trainingData.isBlank() ? ""
                : " (trained on: " + trainingData + ")");
        BatchResults.writeAtomically(dir.resolve("report.html"), html(title, row, facts, warnings, figures, model));
        pdf(dir.resolve("report.pdf"), title, row, facts, warnings, figures, model);
    }

    static List<String[]> facts(Map<String, Object> row) {
        List<String[]> out = new ArrayList<>();
        for (Map.Entry<String, String> e : BatchResults.flatten(row).entrySet()) {
            String k = e.getKey();
            if (k.equals("case") || k.equals("warnings") || k.equals("model") || k.equals("error") && e.getValue().isEmpty()
                    || HIDDEN.stream().anyMatch(k::contains) || e.getValue().isEmpty()) {
                continue;
            }
            out.add(new String[]{k, format(e.getValue())});
        }
        return out;
    }

    static String format(String v) {
        try {
            double d = Double.parseDouble(v);
            if (d == Math.rint(d) && Math.abs(d) < 1e9) {
                return Long.toString((long) d);
            }
            return String.format(Locale.ROOT, Math.abs(d) >= 100 ? "%.1f" : "%.3f", d);
        } catch (NumberFormatException e) {
            return v;
        }
    }

    @SuppressWarnings("unchecked")
    static List<String> warnings(Map<String, Object> row) {
        Object w = row.get("warnings");
        List<String> out = new ArrayList<>();
        if (w instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x)));
        }
        return out;
    }

    private static String html(String title, Map<String, Object> row, List<String[]> facts, List<String> warnings,
            List<BatchTask.Figure> figures, String model) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:1em auto;color:#222}"
                        + "table{border-collapse:collapse}td{padding:2px 10px;border-bottom:1px solid #ddd}"
                        + ".warn{color:#b00000;font-weight:bold}.notice{color:#555;font-size:90%}"
                        + "figure{margin:1em 0}img{max-width:100%}</style></head><body>\n");
        b.append("<h1>").append(esc(title)).append("</h1>\n");
        b.append("<p>Input: <code>").append(esc(String.valueOf(row.get("input")))).append("</code><br>Model: ")
                .append(esc(model)).append("</p>\n");
        if ("error".equals(row.get("status"))) {
            b.append("<p class=\"warn\">Not analysed: ").append(esc(String.valueOf(row.get("error")))).append("</p>\n");
        }
        if (!warnings.isEmpty()) {
            b.append("<h2>Warnings</h2><ul>\n");
            for (String w : warnings) {
                b.append("<li class=\"warn\">").append(esc(w)).append("</li>\n");
            }
            b.append("</ul>\n");
        }
        b.append("<h2>Results</h2><table>\n");
        for (String[] f : facts) {
            b.append("<tr><td>").append(esc(f[0])).append("</td><td>").append(esc(f[1])).append("</td></tr>\n");
        }
        b.append("</table>\n");
        for (BatchTask.Figure f : figures) {
            b.append("<figure><img alt=\"").append(esc(f.caption())).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(png(f.image()))).append("\"><figcaption>")
                    .append(esc(f.caption())).append("</figcaption></figure>\n");
        }
        b.append("<p class=\"notice\">").append(esc(Version.NOTICE)).append(" DopaJ ").append(esc(Version.get()))
                .append(".</p>\n</body></html>\n");
        return b.toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static byte[] png(BufferedImage img) {
        try (ByteArrayOutputStream o = new ByteArrayOutputStream()) {
            ImageIO.write(img, "png", o);
            return o.toByteArray();
        } catch (IOException e) {
            throw new DopajException("cannot encode a report picture: " + e.getMessage(), e);
        }
    }

    private static void pdf(Path file, String title, Map<String, Object> row, List<String[]> facts, List<String> warnings,
            List<BatchTask.Figure> figures, String model) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try (PDDocument doc = new PDDocument()) {
            Page p = new Page(doc);
            p.text(title, 15, true, false);
            p.gap(4);
            p.text("Input: " + row.get("input"), 9, false, false);
            p.text("Model: " + model, 9, false, false);
            if ("error".equals(row.get("status"))) {
                p.text("Not analysed: " + row.get("error"), 10, true, true);
            }
            p.gap(6);
            for (String w : warnings) {
                p.text("WARNING: " + w, 9, true, true);
            }
            p.gap(6);
            for (String[] f : facts) {
                p.pair(f[0], f[1]);
            }
            for (BatchTask.Figure f : figures) {
                p.gap(8);
                p.image(LosslessFactory.createFromImage(doc, f.image()));
                p.text(f.caption(), 8, false, false);
            }
            p.gap(10);
            p.text(Version.NOTICE + " DopaJ " + Version.get() + ".", 8, false, false);
            p.close();
            doc.save(tmp.toFile());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write error is the one to report
            }
            throw new DopajException(file + ": cannot write the PDF report (" + e.getMessage() + ")", e);
        }
    }

    /** A flowing A4 layout: text lines (wrapped), label–value pairs and pictures, new pages as needed. */
    private static final class Page {
        private static final float MARGIN = 48;
        private final PDDocument doc;
        private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
        private PDPageContentStream cs;
        private float y;
        private final float width = PDRectangle.A4.getWidth() - 2 * MARGIN;

        Page(PDDocument doc) throws IOException {
            this.doc = doc;
            newPage();
        }

        private void newPage() throws IOException {
            if (cs != null) {
                cs.close();
            }
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            cs = new PDPageContentStream(doc, page);
            y = PDRectangle.A4.getHeight() - MARGIN;
        }

        private void need(float h) throws IOException {
            if (y - h < MARGIN) {
                newPage();
            }
        }

        void gap(float h) {
            y -= h;
        }

        void text(String s, float size, boolean isBold, boolean red) throws IOException {
            PDType1Font f = isBold ? bold : regular;
            for (String line : wrap(winAnsi(s), f, size, width)) {
                need(size * 1.35f);
                y -= size * 1.35f;
                cs.beginText();
                cs.setFont(f, size);
                cs.setNonStrokingColor(red ? new java.awt.Color(176, 0, 0) : java.awt.Color.BLACK);
                cs.newLineAtOffset(MARGIN, y);
                cs.showText(line);
                cs.endText();
            }
        }

        void pair(String k, String v) throws IOException {
            need(12);
            y -= 12;
            cs.beginText();
            cs.setFont(regular, 9);
            cs.setNonStrokingColor(java.awt.Color.BLACK);
            cs.newLineAtOffset(MARGIN, y);
            cs.showText(winAnsi(k));
            cs.newLineAtOffset(230, 0);
            cs.showText(winAnsi(v.length() > 70 ? v.substring(0, 67) + "..." : v));
            cs.endText();
        }

        void image(PDImageXObject img) throws IOException {
            float w = Math.min(width, img.getWidth());
            float h = img.getHeight() * w / img.getWidth();
            float maxH = PDRectangle.A4.getHeight() - 2 * MARGIN - 20;
            if (h > maxH) {
                w *= maxH / h;
                h = maxH;
            }
            need(h);
            y -= h;
            cs.drawImage(img, MARGIN, y, w, h);
        }

        void close() throws IOException {
            cs.close();
        }

        private static List<String> wrap(String s, PDType1Font f, float size, float width) throws IOException {
            List<String> lines = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            for (String word : s.split(" ")) {
                String next = cur.length() == 0 ? word : cur + " " + word;
                if (f.getStringWidth(next) / 1000 * size > width && cur.length() > 0) {
                    lines.add(cur.toString());
                    cur = new StringBuilder(word);
                } else {
                    cur = new StringBuilder(next);
                }
            }
            lines.add(cur.toString());
            return lines;
        }
    }

    /** Text the PDF's standard fonts can show (WinAnsi): common symbols spelt out, anything else as '?'. */
    static String winAnsi(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '−', '–', '—' -> b.append('-');
                case '≥' -> b.append(">=");
                case '≤' -> b.append("<=");
                case '→' -> b.append("->");
                case '…' -> b.append("...");
                case '‘', '’' -> b.append('\'');
                case '“', '”' -> b.append('"');
                case '\t', '\n', '\r' -> b.append(' ');
                default -> b.append(c >= 32 && c < 127 || c >= 160 && c <= 255 ? c : '?');
            }
        }
        return b.toString();
    }
}
