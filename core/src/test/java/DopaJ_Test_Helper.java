import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.io.FileSaver;
import ij.plugin.PlugIn;
import ij.plugin.frame.Recorder;

/**
 * Test and screenshot helper installed only into the end-to-end tests' ImageJ folder (never shipped; plain ImageJ 1
 * in {@code -batch} mode has no menu bar, so neither Image›Overlay›Flatten nor File›Save As work there):
 * <ul>
 * <li>{@code run("DopaJ Test Helper", "start")}: opens ImageJ's Macro Recorder and lets it record commands that a
 * macro runs ({@link Recorder#recordInMacros}), as if a user clicked them;</li>
 * <li>{@code run("DopaJ Test Helper", "print")}: logs every recorded line prefixed with "RECORDED ";</li>
 * <li>{@code run("DopaJ Test Helper", "png=[file.png] zoom=3")}: saves the current slice of the current image with its
 * overlay rendered ({@link ImagePlus#flatten()}) as PNG, enlarged by an integer zoom (nearest neighbour).</li>
 * </ul>
 * In the default package because ImageJ 1 installs plugins from loose class files there.
 */
public class DopaJ_Test_Helper implements PlugIn {
    @Override
    public void run(String arg) {
        String o = Macro.getOptions() == null ? "" : Macro.getOptions();
        String png = Macro.getValue(o, "png", null);
        if (png != null) {
            ImagePlus flat = WindowManager.getCurrentImage().flatten();
            int zoom = (int) Double.parseDouble(Macro.getValue(o, "zoom", "1"));
            if (zoom > 1) { // nearest neighbour: voxels stay voxels
                flat = flat.resize(flat.getWidth() * zoom, flat.getHeight() * zoom, "none");
            }
            new FileSaver(flat).saveAsPng(png);
            return;
        }
        if (o.contains("start")) {
            if (Recorder.getInstance() == null) {
                new Recorder(false);
            }
            Recorder.recordInMacros = true;
            return;
        }
        Recorder.recordInMacros = false;
        String text = Recorder.getInstance() == null ? "" : Recorder.getInstance().getText();
        for (String line : text.split("\n")) {
            IJ.log("RECORDED " + line);
        }
    }
}
