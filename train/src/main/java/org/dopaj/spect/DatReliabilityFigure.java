package org.dopaj.spect;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import com.google.gson.Gson;

/**
 * The reliability diagram of a {@link DatLofo} report (leave-one-family-out, or {@code --evaluate}'s families report):
 * per family and setting, the fraction of parkinsonian subjects against the mean predicted probability in each of the
 * ten probability bins, a dot whose area follows the number of subjects, on the diagonal of perfect calibration; ECE
 * in the legend. Two panels, original and +18 mm smoothed. Command:
 * <pre>
 * java -Djava.awt.headless=true -cp "$(./dopaj --classpath)" org.dopaj.spect.DatReliabilityFigure \
 *     runs/spect-lofo-v5/report.json docs/img/spect-reliability-lofo.png "left out"
 * </pre>
 */
public final class DatReliabilityFigure {
    private static final String[] FAMILIES = {"ellipsoid", "aal", "icbm", "aicha"};
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728)};
    private static final int PANEL = 360;
    private static final int MARGIN = 56;

    private DatReliabilityFigure() {
    }

    /** Draws the two panels of {@code report} (the parsed JSON); {@code role} names what a family is ("left out"). */
    @SuppressWarnings("unchecked")
    static BufferedImage draw(Map<String, Object> report, String role) {
        int w = 2 * (PANEL + 2 * MARGIN);
        int h = PANEL + 2 * MARGIN + 40;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        String[] settings = {"original", "smoothed"};
        for (int p = 0; p < 2; p++) {
            int x0 = p * (PANEL + 2 * MARGIN) + MARGIN;
            int y0 = MARGIN;
            g.setColor(new Color(0xeeeeee));
            for (int k = 1; k < 10; k++) {
                g.drawLine(x0 + k * PANEL / 10, y0, x0 + k * PANEL / 10, y0 + PANEL);
                g.drawLine(x0, y0 + k * PANEL / 10, x0 + PANEL, y0 + k * PANEL / 10);
            }
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f}, 0f));
            g.drawLine(x0, y0 + PANEL, x0 + PANEL, y0);
            g.setStroke(new BasicStroke(1f));
            g.setColor(Color.BLACK);
            g.drawRect(x0, y0, PANEL, PANEL);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(settings[p].equals("original") ? "original" : "+18 mm smoothed", x0, y0 - 10);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int k = 0; k <= 10; k += 2) {
                String t = String.format(Locale.ROOT, "%.1f", k / 10.0);
                g.drawString(t, x0 + k * PANEL / 10 - 8, y0 + PANEL + 16);
                g.drawString(t, x0 - 26, y0 + PANEL - k * PANEL / 10 + 4);
            }
            g.drawString("mean predicted probability of parkinsonian", x0 + 40, y0 + PANEL + 34);
            Graphics2D r = (Graphics2D) g.create();
            r.rotate(-Math.PI / 2);
            r.drawString("fraction parkinsonian", -(y0 + PANEL / 2 + 60), x0 - 34);
            r.dispose();
            int legendY = y0 + 16;
            for (int f = 0; f < FAMILIES.length; f++) {
                Map<String, Object> fam = (Map<String, Object>) report.get(FAMILIES[f]);
                if (fam == null) {
                    continue;
                }
                Map<String, Object> s = (Map<String, Object>) fam.get(settings[p]);
                g.setColor(COLOURS[f]);
                for (Map<String, Object> bin : (List<Map<String, Object>>) s.get("reliability")) {
                    double n = ((Number) bin.get("n")).doubleValue();
                    if (n == 0) {
                        continue;
                    }
                    double px = ((Number) bin.get("mean_probability")).doubleValue();
                    double py = ((Number) bin.get("fraction_parkinsonian")).doubleValue();
                    int d = (int) Math.round(4 + 2.2 * Math.sqrt(n));
                    int cx = x0 + (int) Math.round(px * PANEL);
                    int cy = y0 + PANEL - (int) Math.round(py * PANEL);
                    g.drawOval(cx - d / 2, cy - d / 2, d, d);
                    g.fillOval(cx - 2, cy - 2, 5, 5);
                }
                g.drawString(String.format(Locale.ROOT, "%s %s: accuracy %.3f, ECE %.3f", FAMILIES[f], role,
                        ((Number) s.get("cnn_accuracy")).doubleValue(), ((Number) s.get("ece")).doubleValue()),
                        x0 + 8, legendY);
                legendY += 15;
            }
            g.setColor(Color.BLACK);
        }
        g.drawString("DaT-SPECT classifier: reliability by family (circle area ~ subjects per bin; dashed = perfect"
                + " calibration). Synthetic phantoms, research use only.", MARGIN, h - 12);
        g.dispose();
        return img;
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws IOException {
        Map<String, Object> report = new Gson().fromJson(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8),
                Map.class);
        BufferedImage img = draw(report, args.length > 2 ? args[2] : "");
        Path out = Path.of(args[1]);
        Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp");
        ImageIO.write(img, "png", tmp.toFile());
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
