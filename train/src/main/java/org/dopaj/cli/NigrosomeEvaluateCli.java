package org.dopaj.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.dopaj.io.AtomicFiles;
import org.dopaj.nigrosome.SbrEvaluation;

/**
 * {@code dopaj nigrosome-evaluate [--model DIR|ID | --model-left DIR --model-right DIR] [--phantoms N] [--base-seed S]
 * [--blur FWHM_MM] [--noise FRACTION] [--jitter VOXELS] [--csv FILE] [--json]}: agreement of a left/right SBR model
 * pair with the truth on held-out SMWI phantoms ({@link SbrEvaluation}): Lin's CCC with 95 % CI, MAE, RMSE and
 * normalised RMSE, per side and for the mean of the sides; {@code --csv} writes every case.
 */
public final class NigrosomeEvaluateCli implements CliCommand {
    @Override
    public String name() {
        return "nigrosome-evaluate";
    }

    @Override
    public String usage() {
        return "nigrosome-evaluate [--model DIR|ID | --model-left DIR --model-right DIR] [--phantoms N] [--base-seed S]"
                + " [--blur FWHM_MM] [--noise FRACTION] [--jitter VOXELS] [--generator physics|box] [--csv FILE] [--force] [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args a = Args.parse(argv, Set.of("model", "model-left", "model-right", "phantoms", "base-seed", "blur", "noise",
                "jitter", "csv", "generator"), Set.of("json", "force"));
        CliSupport.maxPositionals(a, 0, usage());
        Path csv = a.has("csv") ? Path.of(a.option("csv")) : null;
        if (csv != null) {
            CliSupport.checkOutput(csv, a.flag("force")); // was always overwritten: --force like every other output
        }
        SbrEvaluation.Condition cond = new SbrEvaluation.Condition(a.number("blur", 0), a.number("noise", 0),
                a.integer("jitter", 0));
        Path[] pair = NigrosomeCli.models(a);
        SbrEvaluation.Report r = SbrEvaluation.run(pair[0], pair[1], cond,
                CliSupport.longOption(a, "base-seed", SbrEvaluation.HELD_OUT_BASE_SEED), a.integer("phantoms", 200),
                org.dopaj.nigrosome.PhantomGenerator.parse(a.option("generator", "physics")));
        if (csv != null) {
            StringBuilder s = new StringBuilder("seed,true_left,true_right,pred_left,pred_right,warning_left,warning_right,"
                    + "input_flag_left,input_flag_right,acquisition\n");
            for (SbrEvaluation.Case k : r.cases()) {
                s.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%b,%b,%b,%b,%s%n", k.seed(), k.trueLeft(),
                        k.trueRight(), k.predLeft(), k.predRight(), k.flaggedLeft(), k.flaggedRight(), k.inputFlaggedLeft(),
                        k.inputFlaggedRight(), k.acquisition()));
            }
            AtomicFiles.write(csv, false, os -> os.write(s.toString().getBytes(StandardCharsets.UTF_8)));
        }
        if (a.flag("json")) {
            var m = r.toMap();
            m.put("notice", CliSupport.NOTICE + " Synthetic phantoms, not patients.");
            CliSupport.printJson(out, m);
        } else {
            out.print(SbrEvaluation.table(List.of(r)));
            out.println(String.format(Locale.ROOT, "latency per side (median): %.2f ms", r.latencyMs()));
        }
        return 0;
    }
}
