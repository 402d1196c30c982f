package dev.javaformers.bench;

import ai.djl.ndarray.NDManager;
import dev.javaformers.data.DataCollatorWithPadding;
import dev.javaformers.data.DataLoader;
import dev.javaformers.data.Dataset;
import dev.javaformers.data.Datasets;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;

/**
 * The datasets issue's benchmark: tokenizing and collating 100,000 rows (the sentiment sentences repeated),
 * rows/s and memory; with {@code out/data/spam-assassin.jsonl} (scripts/fetch-spam-assassin) also 6,046 long
 * e-mails truncated to 512 tokens. Run with {@code scripts/bench data}.
 */
public final class DataBench {

    public static void main(String[] args) throws Exception {
        Path cache = Files.createTempDirectory("bench-hub");
        try (PreTrainedTokenizer tokenizer = AutoTokenizer.fromPretrained("sentence-transformers/all-MiniLM-L6-v2",
                Map.of("cache_dir", cache.toString(), "local_files_only", true))) {
            Dataset base = Datasets.builtin("sentiment-sentences");
            List<Object> texts = new ArrayList<>();
            List<Object> labels = new ArrayList<>();
            for (int i = 0; i < 100_000; i++) {
                Map<String, Object> row = base.get(i % base.numRows());
                texts.add(row.get("text") + (i < base.numRows() ? "" : " #" + i));
                labels.add(row.get("label"));
            }
            Table table = Table.create("sentences-100k",
                    tech.tablesaw.api.StringColumn.create("text", texts.stream().map(Object::toString).toList()),
                    tech.tablesaw.api.IntColumn.create("label", labels.stream().mapToInt(o -> (Integer) o).toArray()));
            run("100,000 sentiment sentences (repeated)", Datasets.fromTable(table), tokenizer, 128);
            Path spam = Path.of("out/data/spam-assassin.jsonl");
            if (Files.exists(spam)) {
                run("6,046 SpamAssassin e-mails", Datasets.jsonl(spam).classEncode("label"), tokenizer, 512);
            } else {
                System.out.println("(run scripts/fetch-spam-assassin to add the e-mail corpus)");
            }
        }
    }

    private static void run(String what, Dataset raw, PreTrainedTokenizer tokenizer, int maxLength) {
        System.gc();
        long heapBefore = usedHeap();
        long start = System.nanoTime();
        Dataset tokenized = raw.map(tokenizer, "text", Map.of("truncation", true, "max_length", maxLength));
        double tokenizeSeconds = (System.nanoTime() - start) / 1e9;
        System.gc();
        long heapAfter = usedHeap();
        long tokens = 0;
        for (int i = 0; i < tokenized.numRows(); i++) {
            tokens += tokenized.sequences("input_ids").length(i);
        }
        start = System.nanoTime();
        long collated = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            DataLoader loader = new DataLoader(tokenized, 32, new DataCollatorWithPadding(tokenizer)).optShuffle(true);
            for (DataLoader.Batch batch : loader.epoch(0, manager)) {
                try (batch) {
                    collated += batch.size();
                }
            }
        }
        double collateSeconds = (System.nanoTime() - start) / 1e9;
        int rows = tokenized.numRows();
        System.out.printf("%n%s: %d rows, %.1f tokens a row%n", what, rows, (double) tokens / rows);
        System.out.printf("  tokenize: %.2f s (%.0f rows/s)%n", tokenizeSeconds, rows / tokenizeSeconds);
        System.out.printf("  collate into batches of 32: %.2f s (%.0f rows/s, %d rows)%n", collateSeconds,
                collated / collateSeconds, collated);
        System.out.printf("  token ids: %.1f bytes a row as int32 (%.1f as the int64 ids transformers holds);"
                + " stored: %.1f bytes a row (ids + offsets)%n", 4.0 * tokens / rows, 8.0 * tokens / rows,
                (double) tokenized.sequenceBytes() / rows);
        System.out.printf("  heap growth after tokenizing: %.1f MB (%.1f bytes a row); peak resident set: %d MB%n",
                (heapAfter - heapBefore) / 1e6, (double) (heapAfter - heapBefore) / rows, peakRssMb());
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }
}
