package org.dopaj.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.dopaj.cli.Main;
import org.dopaj.io.ImagePlusBridge;
import org.dopaj.io.ImageFiles;
import org.dopaj.io.Nifti;
import org.dopaj.spect.SpectPhantom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/**
 * One result, one serialisation: for the same DaT-SPECT file, {@code dopaj spect-sbr --json}, the Fiji command's
 * logged JSON, its SciJava outputs and its table "DopaJ SBR" say the same numbers — all come from
 * {@code SbrResult.toMap(norm)} and {@code SbrResult.rows()}.
 */
class SbrSerialisationAgreementTest {
    @TempDir
    Path dir;

    @Test
    void cliJsonFijiLogSciJavaOutputsAndTableAgree() throws Exception {
        Path file = dir.resolve("stage2.nii.gz");
        Nifti.write(SpectPhantom.generate(SpectPhantom.Params.builder().stage(2).fwhmMm(12).seed(5).build()).image(),
                file, null);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int code = Main.run(List.of("spect-sbr", file.toString(), "--hottest", "125", "--json"),
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8));
        assertEquals(0, code);
        JsonObject cli = JsonParser.parseString(o.toString(StandardCharsets.UTF_8).trim()).getAsJsonObject();

        ImagePlus imp = ImagePlusBridge.toImagePlus(ImageFiles.read(file), "stage2");
        SpectQuantifyCommand.Result q = SpectQuantifyCommand.quantify(imp, "", "", 125, true);
        JsonObject fijiLog = JsonParser.parseString(new GsonBuilder().serializeNulls().create()
                .toJson(q.sbr().toMap(q.normalisation()))).getAsJsonObject();
        JsonObject cliCore = cli.deepCopy();
        cliCore.remove("qc");
        cliCore.remove("notice");
        assertEquals(cliCore, fijiLog, "the Fiji log line is the CLI's JSON (less the file-only fields)");

        Context ctx = new Context(CommandService.class);
        try {
            CommandModule m = ctx.getService(CommandService.class).run(SpectQuantifyCommand.class, true, "image", imp,
                    "hottest_voxels", 125, "hide_vois", true).get();
            JsonObject sbr = cli.getAsJsonObject("sbr");
            for (String k : List.of("caudate_l", "caudate_r", "putamen_l", "putamen_r", "striatum_l", "striatum_r")) {
                assertEquals(sbr.get(k).getAsDouble(), (double) m.getOutput(k), 1e-9, k);
            }
            assertEquals(cli.get("putamen_asymmetry_pct").getAsDouble(), (double) m.getOutput("putamen_asymmetry_pct"),
                    1e-9);
            assertEquals(cli.getAsJsonObject("putamen_caudate_ratio").get("l").getAsDouble(),
                    (double) m.getOutput("putamen_caudate_ratio_l"), 1e-9);
            ResultsTable t = (ResultsTable) m.getOutput("table");
            JsonObject sub = cli.getAsJsonObject("subregion_sbr");
            int checked = 0;
            for (int row = 0; row < t.size(); row++) {
                String region = t.getStringValue("region", row);
                JsonElement e = sbr.has(region) ? sbr.get(region) : sub.has(region) ? sub.get(region)
                        : cli.has(region) ? cli.get(region) : null;
                if (e != null && e.isJsonPrimitive()) {
                    assertEquals(e.getAsDouble(), t.getValue("sbr", row), 1e-9, region);
                    checked++;
                }
            }
            assertTrue(checked >= 10, "table rows checked against the JSON: " + checked);
        } finally {
            ctx.dispose();
        }
    }
}
