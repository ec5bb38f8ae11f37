package org.dopaj.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.dopaj.DopajException;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.msa.MsaInputs;
import org.dopaj.msa.MsaZScores;

/**
 * {@code dopaj msa-normal-db [--gd-list FILE] [--md-list FILE] -o DIR [--description TEXT] [--force] [--json]}: builds
 * the normal database of {@link MsaZScores} from control subjects' GD and/or MD maps (each list: one map path per
 * line, relative to the list's folder; {@code #} comments). Every map passes the classifier's input checks.
 */
final class MsaNormalDbCli implements CliCommand {
    @Override
    public String name() {
        return "msa-normal-db";
    }

    @Override
    public String usage() {
        return "msa-normal-db [--gd-list FILE] [--md-list FILE] -o DIR [--description TEXT] [--force] [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws IOException {
        Args a = Args.parse(argv, Set.of("gd-list", "md-list", "o", "description"), Set.of("force", "json"));
        CliSupport.maxPositionals(a, 0, usage());
        if (!a.has("o")) {
            throw new DopajException("option -o DIR (output folder) is required");
        }
        if (!a.has("gd-list") && !a.has("md-list")) {
            throw new DopajException("give --gd-list FILE and/or --md-list FILE");
        }
        Path dir = Path.of(a.option("o"));
        if (Files.exists(dir.resolve(MsaZScores.CSV)) && !a.flag("force")) {
            throw new DopajException(dir.resolve(MsaZScores.CSV) + ": exists (add --force to overwrite it)");
        }
        List<MsaZScores.Entry> entries = new ArrayList<>();
        for (String mod : new String[] {"gd", "md"}) {
            if (!a.has(mod + "-list")) {
                continue;
            }
            Path list = Path.of(a.option(mod + "-list"));
            CliSupport.requireFile(list);
            List<Volume> maps = new ArrayList<>();
            for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                Path f = list.toAbsolutePath().getParent().resolve(t);
                CliSupport.requireFile(f);
                Volume v;
                try {
                    v = ImageFiles.read(f);
                } catch (DopajException e) {
                    throw CliSupport.naming(f, e);
                }
                MsaInputs.Checked c = mod.equals("gd") ? MsaInputs.gd(v, f.toString()) : MsaInputs.md(v, f.toString());
                maps.add(MsaZScores.prepare(mod, c.map()));
            }
            entries.add(MsaZScores.build(mod, maps, a.option("description", "controls listed in " + list)));
        }
        MsaZScores.write(dir, entries);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("normal_db", dir.toString());
        for (MsaZScores.Entry e : entries) {
            m.put(e.modality() + "_n", e.n());
        }
        if (a.flag("json")) {
            CliSupport.printJson(out, m);
        } else {
            out.println("wrote " + dir.resolve(MsaZScores.CSV) + " " + m);
        }
        return 0;
    }
}
