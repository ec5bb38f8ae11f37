package org.dopaj.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dopaj.DopajException;
import org.dopaj.batch.BatchMerge;

/** {@code dopaj batch-merge SHARD_DIR... -o OUT}: one results table from the folders of a sharded batch. */
final class BatchMergeCli implements CliCommand {
    @Override
    public String name() {
        return "batch-merge";
    }

    @Override
    public String usage() {
        return "batch-merge SHARD_DIR... -o OUT   (joins the results of batch --shard K/N runs)";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args a = Args.parse(argv, Set.of("o"), Set.of("json"));
        if (!a.has("o")) {
            throw new DopajException("option -o OUT (a new folder for the merged table) is required");
        }
        List<Path> shards = a.positionals().stream().map(Path::of).toList();
        List<Map<String, Object>> rows = BatchMerge.merge(shards, Path.of(a.option("o")));
        long failed = rows.stream().filter(r -> "error".equals(r.get("status"))).count();
        if (a.flag("json")) {
            CliSupport.printJson(out, org.dopaj.io.Ordered.map("cases", rows.size(), "failed", failed, "results",
                    Path.of(a.option("o")).resolve("results.csv").toString()));
        } else {
            out.println(rows.size() + " cases from " + shards.size() + " shards (" + failed + " failed) in "
                    + Path.of(a.option("o")).resolve("results.csv"));
        }
        return failed > 0 ? 3 : 0;
    }
}
