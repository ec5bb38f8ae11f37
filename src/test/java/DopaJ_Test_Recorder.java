import ij.IJ;
import ij.Macro;
import ij.plugin.PlugIn;
import ij.plugin.frame.Recorder;

/**
 * Test helper installed only into the end-to-end tests' ImageJ folder (never shipped): opens ImageJ's Macro Recorder
 * and lets it record commands that a macro runs ({@link Recorder#recordInMacros}), as if a user clicked them —
 * {@code run("DopaJ Test Recorder", "start")}; {@code run("DopaJ Test Recorder", "print")} logs every recorded line
 * prefixed with "RECORDED ". In the default package because ImageJ 1 installs plugins from loose class files there.
 */
public class DopaJ_Test_Recorder implements PlugIn {
    @Override
    public void run(String arg) {
        String o = Macro.getOptions() == null ? "" : Macro.getOptions();
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
